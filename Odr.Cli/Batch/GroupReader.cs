using System.Globalization;
using System.Text;
using Sylvan.Data.Csv;

namespace Odr.Cli.Batch;

/// <summary>The rows of one group as read: the needed cells' text, row by row, in one buffer.</summary>
internal sealed class RawGroup
{
    public RawGroup(string key, int rowCount, int columnCount, char[] text, int[] starts, int[] lengths, int[] rowNumbers)
    {
        Key = key;
        RowCount = rowCount;
        ColumnCount = columnCount;
        Text = text;
        Starts = starts;
        Lengths = lengths;
        RowNumbers = rowNumbers;
    }

    /// <summary>The group's key (the group column's cell, trimmed).</summary>
    public string Key { get; }

    public int RowCount { get; }

    public int ColumnCount { get; }

    private char[] Text { get; }

    private int[] Starts { get; }

    private int[] Lengths { get; }

    /// <summary>Data row numbers (1-based, as odr fit counts them) of the group's rows, for messages.</summary>
    public int[] RowNumbers { get; }

    /// <summary>Order of the group among the groups that are fitted (set by the runner).</summary>
    public long Sequence { get; set; }

    /// <summary>The text of needed column <paramref name="column"/> in row <paramref name="row"/>.</summary>
    public ReadOnlySpan<char> Cell(int row, int column)
    {
        int k = (row * ColumnCount) + column;
        return Text.AsSpan(Starts[k], Lengths[k]);
    }
}

/// <summary>
/// Reads a long-format CSV file (one row per observation, a group column) group by group without
/// holding the file: rows of one group must be contiguous (any group order). A group that appears
/// again after other groups is refused, unless the reader was opened as unsorted, which holds every row.
/// </summary>
internal sealed class GroupReader : IDisposable
{
    private readonly FileStream stream;
    private readonly CsvDataReader reader;
    private readonly int headerLine;

    private GroupReader(string path, FileStream stream, CsvDataReader reader, string[] header, int headerLine)
    {
        Source = path;
        this.stream = stream;
        this.reader = reader;
        Header = header;
        this.headerLine = headerLine;
    }

    /// <summary>The file, for messages.</summary>
    public string Source { get; }

    /// <summary>Column names in file order.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>Groups seen so far (fitted or not).</summary>
    public long GroupsSeen { get; private set; }

    /// <summary>The fraction of the file read so far (0 to 1), for progress.</summary>
    public double FractionRead
    {
        get
        {
            try
            {
                long length = stream.Length;
                return length == 0 ? 1 : Math.Min(1.0, (double)stream.Position / length);
            }
            catch (ObjectDisposedException)
            {
                return 1;
            }
        }
    }

    /// <summary>Opens the file and reads its header.</summary>
    /// <exception cref="CliException">Missing, empty, no header, duplicate column names.</exception>
    public static GroupReader Open(string path)
    {
        if (Directory.Exists(path)) throw new CliException($"{path} is a directory, not a CSV file");
        if (!File.Exists(path)) throw new CliException($"file not found: {path}");
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {path}: {e.Message}", e);
        }
        try
        {
            var text = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16);

            // Sylvan takes the first record as the header: skip leading blank and comment lines
            // (as odr fit does) and hand Sylvan the header line again in front of the rest.
            int line = 0;
            string? first;
            do
            {
                first = text.ReadLine();
                line++;
            }
            while (first is not null && (first.Trim().Length == 0 || first.TrimStart().StartsWith('#')));
            if (first is null) throw new CliException($"{path} is empty (no header row and no data)");
            var options = new CsvDataReaderOptions
            {
                HasHeaders = true,
                Delimiter = ',',
                Comment = '#',
                Culture = CultureInfo.InvariantCulture,
                ResultSetMode = ResultSetMode.SingleResult,
            };
            CsvDataReader csv;
            try
            {
                csv = CsvDataReader.Create(new PrefixedReader(first + "\n", text, ownsRest: true), options);
            }
            catch (CsvFormatException e)
            {
                throw new CliException($"{path}: malformed CSV: {e.Message}", e);
            }
            var header = new string[csv.FieldCount];
            for (int c = 0; c < header.Length; c++) header[c] = csv.GetName(c).Trim();
            ValidateHeader(header, path, line);
            return new GroupReader(path, stream, csv, header, line);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The index of a column by name: exact, else a unique case-insensitive match (as odr fit).</summary>
    public int ColumnIndex(string name, string option)
    {
        for (int c = 0; c < Header.Count; c++)
        {
            if (Header[c] == name) return c;
        }
        var loose = Enumerable.Range(0, Header.Count).Where(c => string.Equals(Header[c], name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (loose.Count == 1) return loose[0];
        throw new CliException($"unknown column '{name}' in {option}; {Source} has columns: {string.Join(", ", Header)}");
    }

    /// <summary>True when a column of that exact name exists.</summary>
    public bool HasColumn(string name) => Header.Contains(name);

    /// <summary>
    /// The groups in file order. Groups for which <paramref name="wanted"/> is false are read past
    /// without keeping their rows. Sorted mode (the default) holds one group at a time and refuses a
    /// group whose rows are not contiguous; unsorted mode holds every wanted row until the end.
    /// </summary>
    /// <param name="groupColumn">The group column's index.</param>
    /// <param name="columns">The columns whose cells the fits need, in the order <see cref="RawGroup.Cell"/> uses.</param>
    /// <param name="wanted">Whether a group (by key) is to be fitted.</param>
    /// <param name="unsorted">Hold every row so groups may be scattered through the file.</param>
    /// <param name="cancellation">Stops reading.</param>
    public IEnumerable<RawGroup> Groups(int groupColumn, IReadOnlyList<int> columns, Func<string, bool> wanted, bool unsorted, CancellationToken cancellation)
    {
        // Closed groups are remembered by their 64-bit hash (8 bytes a group, not the keys) to detect
        // unsorted input; a collision could only refuse a sorted file, never accept an unsorted one.
        var closed = new HashSet<ulong>();
        var scattered = unsorted ? new Dictionary<string, GroupBuilder?>(StringComparer.Ordinal) : null;
        var order = unsorted ? new List<GroupBuilder>() : null;
        GroupBuilder? current = null;
        string? currentKey = null;
        bool currentWanted = false;
        int dataRow = 0;
        var columnArray = columns.ToArray();
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            bool more;
            try
            {
                more = reader.Read();
            }
            catch (CsvFormatException e)
            {
                throw new CliException($"{Source}: malformed CSV near data row {dataRow + 1}: {e.Message}", e);
            }
            if (!more) break;
            int fields = reader.RowFieldCount;
            if (fields <= 1 && reader.GetFieldSpan(0).Trim().Length == 0) continue;
            dataRow++;
            if (fields != Header.Count)
            {
                throw new CliException(string.Create(CultureInfo.InvariantCulture,
                    $"{Source}: row {dataRow} has {fields} field{(fields == 1 ? "" : "s")} but the header has {Header.Count}"));
            }
            if (unsorted)
            {
                string key = reader.GetFieldSpan(groupColumn).Trim().ToString();
                if (!scattered!.TryGetValue(key, out var builder))
                {
                    GroupsSeen++;
                    builder = wanted(key) ? new GroupBuilder(key, columnArray.Length) : null;
                    scattered[key] = builder;
                    if (builder is not null) order!.Add(builder);
                }
                builder?.Add(reader, columnArray, dataRow);
                continue;
            }
            if (currentKey is null || !reader.GetFieldSpan(groupColumn).Trim().SequenceEqual(currentKey))
            {
                if (currentKey is not null)
                {
                    closed.Add(BatchShard.Hash(currentKey));
                    if (current is not null) yield return current.Build();
                }
                currentKey = reader.GetFieldSpan(groupColumn).Trim().ToString();
                if (closed.Contains(BatchShard.Hash(currentKey)))
                {
                    throw new CliException(string.Create(CultureInfo.InvariantCulture,
                        $"{Source} is not sorted by group: group '{currentKey}' appears again at row {dataRow} after other groups; sort the file by the group column or pass --unsorted (holds the whole file in memory)"));
                }
                GroupsSeen++;
                currentWanted = wanted(currentKey);
                current = currentWanted ? new GroupBuilder(currentKey, columnArray.Length) : null;
            }
            if (currentWanted) current!.Add(reader, columnArray, dataRow);
        }
        if (unsorted)
        {
            foreach (var builder in order!)
            {
                cancellation.ThrowIfCancellationRequested();
                yield return builder.Build();
            }
        }
        else if (current is not null)
        {
            yield return current.Build();
        }
        if (dataRow == 0) throw new CliException($"{Source} has a header but no data rows");
    }

    public void Dispose()
    {
        reader.Dispose();
        stream.Dispose();
    }

    private static void ValidateHeader(string[] header, string source, int line)
    {
        if (header.Length == 0) throw new CliException($"{source} has no header row");
        if (header.All(h => CsvTable.TryParseNumber(h, out _)))
        {
            throw new CliException($"{source} has no header row: the first row ({string.Join(",", header)}) is numeric; add a line of column names");
        }
        for (int c = 0; c < header.Length; c++)
        {
            if (header[c].Length == 0) throw new CliException(string.Create(CultureInfo.InvariantCulture, $"{source}: column {c + 1} of the header (line {line}) has no name"));
            for (int d = 0; d < c; d++)
            {
                if (header[d] == header[c]) throw new CliException($"{source}: the header names column '{header[c]}' twice");
            }
        }
    }

    /// <summary>Collects one group's needed cells into one growing buffer.</summary>
    private sealed class GroupBuilder
    {
        private readonly string key;
        private readonly int columnCount;
        private char[] text = new char[256];
        private int used;
        private readonly List<int> starts = [];
        private readonly List<int> lengths = [];
        private readonly List<int> rows = [];

        public GroupBuilder(string key, int columnCount)
        {
            this.key = key;
            this.columnCount = columnCount;
        }

        public void Add(CsvDataReader reader, int[] columns, int dataRow)
        {
            foreach (int c in columns)
            {
                var cell = reader.GetFieldSpan(c);
                if (used + cell.Length > text.Length) Array.Resize(ref text, Math.Max(text.Length * 2, used + cell.Length));
                cell.CopyTo(text.AsSpan(used));
                starts.Add(used);
                lengths.Add(cell.Length);
                used += cell.Length;
            }
            rows.Add(dataRow);
        }

        public RawGroup Build() =>
            new(key, rows.Count, columnCount, text.AsSpan(0, used).ToArray(), [.. starts], [.. lengths], [.. rows]);
    }
}

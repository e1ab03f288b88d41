using System.Globalization;
using System.Text;
using Sylvan.Data.Csv;

namespace Odr.Cli.Batch;

/// <summary>
/// The rows of one group as read: the needed cells, row by row, as text (CSV: parsed when the group is
/// fitted, on the worker's thread) or as numbers (Parquet: typed columns), with the text of any cell
/// that is not a number kept for the message. The cells live in buffers that the reader hands from
/// group to group: <see cref="Release"/> gives them back once the group is fitted.
/// </summary>
internal sealed class RawGroup
{
    private GroupCells? cells;

    public RawGroup(string key, int columnCount, GroupCells cells)
    {
        Key = key;
        RowCount = cells.RowCount;
        ColumnCount = columnCount;
        this.cells = cells;
    }

    /// <summary>The text of a missing value (a Parquet null) among the cells that are not numbers.</summary>
    public const string Null = "\0null";

    /// <summary>The group's key (the group column's cell, trimmed).</summary>
    public string Key { get; }

    public int RowCount { get; }

    public int ColumnCount { get; }

    /// <summary>Order of the group among the groups that are fitted (set by the runner).</summary>
    public long Sequence { get; set; }

    private GroupCells Cells => cells ?? throw new InvalidOperationException($"group '{Key}' was released: its cells now hold another group's");

    /// <summary>Data row number (1-based, as odr fit counts them) of the group's row, for messages.</summary>
    public int RowNumber(int row) => Cells.Rows[row];

    /// <summary>The number in needed column <paramref name="column"/> of row <paramref name="row"/>
    /// (possibly NaN or infinite), or false with the cell's text (trimmed) when it is not a number.</summary>
    public bool TryNumber(int row, int column, out double value, out string shown)
    {
        var c = Cells;
        int k = (row * ColumnCount) + column;
        if (!c.IsText)
        {
            if (c.NotNumbers is not null && c.NotNumbers.TryGetValue(k, out var bad))
            {
                value = double.NaN;
                shown = bad;
                return false;
            }
            value = c.Values[k];
            shown = "";
            return true;
        }
        var cell = c.CellText(k).Trim();
        if (TryParseNumber(cell, out value))
        {
            shown = "";
            return true;
        }
        shown = cell.ToString();
        return false;
    }

    /// <summary>A cell as the file has it, for messages (a number read from Parquet: nan, inf, -inf or its shortest text).</summary>
    public string Shown(int row, int column)
    {
        var c = Cells;
        int k = (row * ColumnCount) + column;
        if (c.IsText) return c.CellText(k).Trim().ToString();
        if (c.NotNumbers is not null && c.NotNumbers.TryGetValue(k, out var bad)) return bad;
        double v = c.Values[k];
        return double.IsNaN(v) ? "nan" : double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf" : v.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>Gives the cell buffers back for another group (the runner calls it once the group's fit
    /// has returned); the group cannot be read afterwards.</summary>
    public void Release()
    {
        var c = cells;
        cells = null;
        c?.Recycle();
    }

    /// <summary>A culture-invariant number; inf, -inf and nan spelled as such (as <see cref="CsvTable.TryParseNumber(string, out double)"/>).</summary>
    internal static bool TryParseNumber(ReadOnlySpan<char> text, out double value)
    {
        if (PlainDecimal.TryParse(text, out value)) return true; // the same bits, sooner
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return true;
        return text.Length is > 0 and < 12 && CsvTable.TryParseNumber(text.ToString(), out value);
    }
}

/// <summary>
/// Reads a long-format table (one row per observation, a group column) group by group without holding
/// the file: rows of one group must be contiguous (any group order). A group that appears again after
/// other groups is refused, unless the reader was opened as unsorted, which holds every row. CSV files
/// are read row by row (<see cref="CsvGroupReader"/>), Parquet files row group by row group
/// (<see cref="ParquetGroupReader"/>).
/// </summary>
internal abstract class GroupReader : IDisposable
{
    protected GroupReader(string source, string[] header)
    {
        Source = source;
        Header = header;
    }

    /// <summary>The file, for messages.</summary>
    public string Source { get; }

    /// <summary>Column names in file order.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>Groups seen so far (fitted or not).</summary>
    public long GroupsSeen { get; private set; }

    /// <summary>Hashes of closed groups held to detect a group that appears again (sorted mode): none
    /// while the keys ascend (memory flat in the number of groups), every closed group's after the
    /// first key out of order.</summary>
    public int ClosedGroupsHeld => closed?.Count ?? 0;

    private HashSet<ulong>? closed;
    private Func<GroupReader>? reopen;

    /// <summary>The fraction of the file read so far (0 to 1), for progress.</summary>
    public abstract double FractionRead { get; }

    /// <summary>Opens a data file: Parquet by its extension (.parquet), CSV otherwise.</summary>
    /// <exception cref="CliException">Missing, empty, no header, duplicate column names.</exception>
    /// <param name="path">The file.</param>
    /// <param name="delimiter">The CSV delimiter (--delimiter), or null to find it from the file as odr fit does.</param>
    public static GroupReader Open(string path, char? delimiter = null)
    {
        if (Directory.Exists(path)) throw new CliException($"{path} is a directory, not a data file");
        if (!File.Exists(path)) throw new CliException($"file not found: {path}");
        if (IsParquet(path) && delimiter is not null) throw new CliException($"--delimiter applies to CSV files; {path} is Parquet");
        GroupReader reader = IsParquet(path) ? ParquetGroupReader.Open(path) : CsvGroupReader.Open(path, delimiter);
        reader.reopen = () => Open(path, delimiter);
        return reader;
    }

    /// <summary>Whether a path names a Parquet file (by its extension).</summary>
    public static bool IsParquet(string path) => Path.GetExtension(path).Equals(".parquet", StringComparison.OrdinalIgnoreCase);

    /// <summary>The index of a column by name: exact, else a unique case-insensitive match (as odr fit).</summary>
    public int ColumnIndex(string name, string option) => CsvTable.ColumnIndex(Header, name, option, Source);

    /// <summary>True when a column of that exact name exists.</summary>
    public bool HasColumn(string name) => Header.Contains(name);

    /// <summary>Called once before the rows are read, with the columns they will be asked for.</summary>
    protected abstract void Prepare(int groupColumn, int[] columns);

    /// <summary>Moves to the next data row (blank rows skipped); false at the end.</summary>
    /// <param name="dataRow">The data row's number (1-based), for messages.</param>
    protected abstract bool NextRow(int dataRow);

    /// <summary>The current row's group key, trimmed.</summary>
    protected abstract ReadOnlySpan<char> RowKey();

    /// <summary>Adds the current row's needed cells to a group.</summary>
    protected abstract void AddRow(GroupBuilder builder, int dataRow);

    /// <summary>
    /// The groups in file order. Groups for which <paramref name="wanted"/> is false are read past
    /// without keeping their rows. Sorted mode (the default) holds one group at a time and refuses a
    /// group whose rows are not contiguous; unsorted mode holds every wanted row until the end.
    /// </summary>
    /// <param name="groupColumn">The group column's index.</param>
    /// <param name="columns">The columns whose cells the fits need, in the order <see cref="RawGroup.TryNumber"/> uses.</param>
    /// <param name="wanted">Whether a group (by key) is to be fitted.</param>
    /// <param name="unsorted">Hold every row so groups may be scattered through the file.</param>
    /// <param name="cancellation">Stops reading.</param>
    public IEnumerable<RawGroup> Groups(int groupColumn, IReadOnlyList<int> columns, Func<string, bool> wanted, bool unsorted, CancellationToken cancellation)
    {
        // While the keys ascend (by text or by number) no group can come back, and nothing is held.
        // From the first key out of order, closed groups are remembered by their 64-bit hash (8 bytes
        // a group, not the keys; the groups before that key are read again from the file) to detect
        // unsorted input; a collision could only refuse a sorted file, never accept an unsorted one.
        var keyOrder = new RisingKeys();
        closed = null;
        var scattered = unsorted ? new Dictionary<string, GroupBuilder?>(StringComparer.Ordinal) : null;
        var order = unsorted ? new List<GroupBuilder>() : null;
        GroupBuilder? current = null;
        GroupBuilder? reused = null;
        string? currentKey = null;
        bool currentWanted = false;
        int dataRow = 0;
        var columnArray = columns.ToArray();
        var cellPool = new GroupCells.Pool();
        Prepare(groupColumn, columnArray);
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            if (!NextRow(dataRow + 1)) break;
            dataRow++;
            if (unsorted)
            {
                string key = RowKey().ToString();
                if (!scattered!.TryGetValue(key, out var builder))
                {
                    GroupsSeen++;
                    builder = wanted(key) ? new GroupBuilder(key, columnArray.Length, cellPool) : null;
                    scattered[key] = builder;
                    if (builder is not null) order!.Add(builder);
                }
                if (builder is not null) AddRow(builder, dataRow);
                continue;
            }
            if (currentKey is null || !RowKey().SequenceEqual(currentKey))
            {
                if (currentKey is not null)
                {
                    closed?.Add(BatchShard.Hash(currentKey));
                    if (current is not null) yield return current.Build();
                }
                currentKey = RowKey().ToString();
                if (closed is null && !keyOrder.Next(currentKey)) closed = GroupsBefore(dataRow, groupColumn);
                if (closed is not null && closed.Contains(BatchShard.Hash(currentKey)))
                {
                    throw new CliException(string.Create(CultureInfo.InvariantCulture,
                        $"{Source} is not sorted by group: group '{currentKey}' appears again at row {dataRow} after other groups; sort the file by the group column or pass --unsorted (holds the whole file in memory)"));
                }
                GroupsSeen++;
                currentWanted = wanted(currentKey);
                if (currentWanted)
                {
                    // One builder for every group, its buffers recycled: once grown to a group's
                    // size they are not allocated and regrown for each of many groups.
                    reused ??= new GroupBuilder(currentKey, columnArray.Length, cellPool);
                    reused.Restart(currentKey);
                }
                current = currentWanted ? reused : null;
            }
            if (currentWanted) AddRow(current!, dataRow);
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

    public abstract void Dispose();

    /// <summary>The hashes of the groups in data rows 1 .. <paramref name="dataRow"/> − 1, read again
    /// from the file (only the group column).</summary>
    private HashSet<ulong> GroupsBefore(int dataRow, int groupColumn)
    {
        var hashes = new HashSet<ulong>();
        if (reopen is null) throw new InvalidOperationException("A reader not opened by GroupReader.Open cannot read its rows again.");
        using var again = reopen();
        again.Prepare(groupColumn, []);
        string? key = null;
        for (int row = 1; row < dataRow && again.NextRow(row); row++)
        {
            var cell = again.RowKey();
            if (key is not null && cell.SequenceEqual(key)) continue;
            key = cell.ToString();
            hashes.Add(BatchShard.Hash(key));
        }
        return hashes;
    }

    /// <summary>odr fit's header rules (<see cref="CsvTable.ValidateHeader"/>), the header joined with
    /// commas in the message and its numbers read without decimal commas, as before.</summary>
    protected static void ValidateHeader(string[] header, string source, string where) =>
        CsvTable.ValidateHeader(header, source, decimalComma: false, delimiter: ',', where);

    /// <summary>Collects one group's needed cells into buffers that serve group after group: Build hands
    /// them to the group, and the next Restart takes a set given back by an earlier group (or a new one).</summary>
    protected internal sealed class GroupBuilder
    {
        private readonly GroupCells.Pool pool;
        private string key;
        private readonly int columnCount;
        private GroupCells? cells;

        public GroupBuilder(string key, int columnCount, GroupCells.Pool pool)
        {
            this.key = key;
            this.columnCount = columnCount;
            this.pool = pool;
            cells = pool.Take();
        }

        private GroupCells Cells => cells ?? throw new InvalidOperationException("the group was built: Restart the builder first");

        /// <summary>Starts the next group, in the builder's buffers or in a set given back.</summary>
        public void Restart(string nextKey)
        {
            key = nextKey;
            if (cells is null) cells = pool.Take();
            else cells.Clear();
        }

        /// <summary>Adds a text cell (CSV).</summary>
        public void AddText(ReadOnlySpan<char> cell) => Cells.AddText(cell);

        /// <summary>Adds a number (Parquet).</summary>
        public void AddNumber(double value) => Cells.AddNumber(value);

        /// <summary>Adds a cell that is not a number, by its text (Parquet: a text cell, a missing value).</summary>
        public void AddNotNumber(string shown) => Cells.AddNotNumber(shown);

        /// <summary>Ends a row.</summary>
        public void EndRow(int dataRow) => Cells.EndRow(dataRow);

        /// <summary>The group, which takes the buffers (the next <see cref="Restart"/> takes others).</summary>
        public RawGroup Build()
        {
            var group = new RawGroup(key, columnCount, Cells);
            cells = null;
            return group;
        }
    }
}

/// <summary>
/// One group's cells as read: text cells in one character buffer with their (start, length), or
/// numbers with the text of those that are not; and the data row numbers. Recycled through a
/// <see cref="Pool"/> between the reader and the workers, so reading a group allocates nothing once
/// the buffers have grown to a group's size.
/// </summary>
internal sealed class GroupCells
{
    private readonly Pool owner;
    private char[] text = new char[256];
    private int used;
    private int[] spans = new int[64]; // start, length of text cell k at 2k, 2k + 1
    private int textCells;
    private double[] values = new double[32];
    private int valueCount;
    private int[] rows = new int[16];

    private GroupCells(Pool owner) => this.owner = owner;

    public int RowCount { get; private set; }

    /// <summary>Text cells (CSV), or numbers (Parquet; also a group of no cells).</summary>
    public bool IsText => textCells > 0 || valueCount == 0;

    public double[] Values => values;

    public Dictionary<int, string>? NotNumbers { get; private set; }

    public int[] Rows => rows;

    public ReadOnlySpan<char> CellText(int k) => text.AsSpan(spans[2 * k], spans[(2 * k) + 1]);

    public void Clear()
    {
        used = 0;
        textCells = 0;
        valueCount = 0;
        NotNumbers = null;
        RowCount = 0;
    }

    public void AddText(ReadOnlySpan<char> cell)
    {
        if (used + cell.Length > text.Length) Array.Resize(ref text, Math.Max(text.Length * 2, used + cell.Length));
        if ((2 * textCells) + 2 > spans.Length) Array.Resize(ref spans, spans.Length * 2);
        cell.CopyTo(text.AsSpan(used));
        spans[2 * textCells] = used;
        spans[(2 * textCells) + 1] = cell.Length;
        textCells++;
        used += cell.Length;
    }

    public void AddNumber(double value)
    {
        if (valueCount == values.Length) Array.Resize(ref values, values.Length * 2);
        values[valueCount++] = value;
    }

    public void AddNotNumber(string shown)
    {
        (NotNumbers ??= [])[valueCount] = shown;
        AddNumber(double.NaN);
    }

    public void EndRow(int dataRow)
    {
        if (RowCount == rows.Length) Array.Resize(ref rows, rows.Length * 2);
        rows[RowCount++] = dataRow;
    }

    /// <summary>Back to the pool it came from, for another group.</summary>
    public void Recycle()
    {
        Clear();
        owner.Give(this);
    }

    /// <summary>Cells given back by fitted groups, taken by the reader for the next ones; as many as
    /// groups between reading and writing at once.</summary>
    internal sealed class Pool
    {
        private readonly Stack<GroupCells> free = new();

        public GroupCells Take()
        {
            lock (free)
            {
                if (free.TryPop(out var cells)) return cells;
            }
            return new GroupCells(this);
        }

        public void Give(GroupCells cells)
        {
            lock (free) free.Push(cells);
        }
    }
}

/// <summary>A long-format CSV file read row by row.</summary>
internal sealed class CsvGroupReader : GroupReader
{
    private readonly FileStream stream;
    private readonly CsvDataReader reader;
    private readonly bool decimalComma;
    private char[] scratch = new char[64];
    private int groupColumn;
    private int[] columns = [];

    private CsvGroupReader(string path, FileStream stream, CsvDataReader reader, string[] header, bool decimalComma)
        : base(path, header)
    {
        this.stream = stream;
        this.reader = reader;
        this.decimalComma = decimalComma;
    }

    public override double FractionRead
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
    public static new CsvGroupReader Open(string path, char? givenDelimiter)
    {
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

            // The header, delimiter and decimal separator as odr fit finds them; the lines read for
            // that are handed to Sylvan again ahead of the rest.
            var start = CsvFormat.ReadStart(text, givenDelimiter, path);
            CsvDataReader csv;
            try
            {
                csv = CsvDataReader.Create(new PrefixedReader(start.LinesRead, text, ownsRest: true), CsvFormat.ReaderOptions(start.Delimiter));
            }
            catch (CsvFormatException e)
            {
                throw new CliException($"{path}: malformed CSV: {e.Message}", e);
            }
            var header = new string[csv.FieldCount];
            for (int c = 0; c < header.Length; c++) header[c] = csv.GetName(c).Trim();
            ValidateHeader(header, path, string.Create(CultureInfo.InvariantCulture, $"line {start.HeaderLine}"));
            return new CsvGroupReader(path, stream, csv, header, start.DecimalComma);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    protected override void Prepare(int groupColumn, int[] columns)
    {
        this.groupColumn = groupColumn;
        this.columns = columns;
    }

    protected override bool NextRow(int dataRow)
    {
        while (true)
        {
            bool more;
            try
            {
                more = reader.Read();
            }
            catch (CsvFormatException e)
            {
                throw new CliException($"{Source}: malformed CSV near data row {dataRow}: {e.Message}", e);
            }
            if (!more) return false;
            int fields = reader.RowFieldCount;
            if (fields <= 1 && reader.GetFieldSpan(0).Trim().Length == 0) continue;
            if (fields != Header.Count)
            {
                throw new CliException(string.Create(CultureInfo.InvariantCulture,
                    $"{Source}: row {dataRow} has {fields} field{(fields == 1 ? "" : "s")} but the header has {Header.Count}"));
            }
            return true;
        }
    }

    protected override ReadOnlySpan<char> RowKey() => reader.GetFieldSpan(groupColumn).Trim();

    protected override void AddRow(GroupBuilder builder, int dataRow)
    {
        foreach (int c in columns)
        {
            var cell = reader.GetFieldSpan(c);
            if (decimalComma && cell.Contains(','))
            {
                // 1,5 is 1.5 in a file that writes decimal commas (as odr fit reads it).
                if (scratch.Length < cell.Length) scratch = new char[Math.Max(64, cell.Length)];
                var point = scratch.AsSpan(0, cell.Length);
                cell.Replace(point, ',', '.');
                builder.AddText(point);
            }
            else
            {
                builder.AddText(cell);
            }
        }
        builder.EndRow(dataRow);
    }

    public override void Dispose()
    {
        reader.Dispose();
        stream.Dispose();
    }
}

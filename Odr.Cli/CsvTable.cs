using System.Globalization;
using System.Text;
using Sylvan.Data.Csv;

namespace Odr.Cli;

/// <summary>
/// A CSV file: a header row, then rows of numbers. Quoted fields, blank lines and <c>#</c> comment lines
/// are handled; the delimiter (comma, semicolon or tab) is found from the header and the first rows
/// unless given, and files not separated by commas may write decimal commas. The file is streamed and
/// every cell is parsed straight into a number (8 bytes a cell, no strings kept); a cell that is not a
/// finite number is remembered, and reported only when its column is used.
/// </summary>
public sealed class CsvTable
{
    // Rows are read one at a time; a row may be as long as this (the reader's buffer grows to fit it).
    private const int MaxRowChars = 1 << 28;

    private readonly ColumnBuilder[] columns;
    private readonly Problem?[] problems;

    private CsvTable(string source, string[] header, ColumnBuilder[] columns, Problem?[] problems, int rowCount, char delimiter, bool decimalComma)
    {
        Source = source;
        Header = header;
        this.columns = columns;
        this.problems = problems;
        RowCount = rowCount;
        Delimiter = delimiter;
        DecimalComma = decimalComma;
    }

    /// <summary>Where the table came from (a file name), for messages.</summary>
    public string Source { get; }

    /// <summary>The column names, in file order.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>Number of data rows.</summary>
    public int RowCount { get; }

    /// <summary>The delimiter the file was read with.</summary>
    public char Delimiter { get; }

    /// <summary>True when the file's numbers were read with a decimal comma (1,5).</summary>
    public bool DecimalComma { get; }

    /// <summary>A line saying how the file was read when it is not plain comma-separated with decimal points; otherwise null.</summary>
    public string? FormatNote => Delimiter == ',' && !DecimalComma ? null
        : $"Read as {CsvFormat.Name(Delimiter)}-separated values{(DecimalComma ? " with decimal commas" : "")}";

    /// <summary>Reads a CSV file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="delimiter">The delimiter, or null to find it from the file.</param>
    /// <exception cref="CliException">The file is missing, empty, has no header or is ragged.</exception>
    public static CsvTable Load(string path, char? delimiter = null)
    {
        if (Directory.Exists(path)) throw new CliException($"{path} is a directory, not a CSV file");
        if (!File.Exists(path)) throw new CliException($"file not found: {path}");
        try
        {
            using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 1 << 16 });
            return Read(reader, path, delimiter);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {path}: {e.Message}", e);
        }
    }

    /// <summary>Parses CSV text.</summary>
    /// <param name="text">The CSV text.</param>
    /// <param name="source">A name for messages.</param>
    /// <param name="delimiter">The delimiter, or null to find it from the text.</param>
    /// <exception cref="CliException">The text is empty, has no header or is ragged.</exception>
    public static CsvTable Parse(string text, string source, char? delimiter = null) => Read(new StringReader(text), source, delimiter);

    private static CsvTable Read(TextReader input, string source, char? givenDelimiter)
    {
        var start = CsvFormat.ReadStart(input, givenDelimiter, source);
        char delimiter = start.Delimiter;
        bool decimalComma = start.DecimalComma;
        var options = CsvFormat.ReaderOptions(delimiter, MaxRowChars);
        string readAs = delimiter == ',' ? "" : $" (read as {CsvFormat.Name(delimiter)}-separated)";
        try
        {
            using var reader = CsvDataReader.Create(new PrefixedReader(start.LinesRead, input, ownsRest: false), options);
            var header = new string[reader.FieldCount];
            for (int c = 0; c < header.Length; c++) header[c] = reader.GetName(c).Trim();
            ValidateHeader(header, source, decimalComma, delimiter);
            var builders = new ColumnBuilder[header.Length];
            for (int c = 0; c < builders.Length; c++) builders[c] = new ColumnBuilder();
            var problems = new Problem?[header.Length];
            int rows = 0;
            while (reader.Read())
            {
                int fields = reader.RowFieldCount;
                if (fields <= 1 && (fields == 0 || reader.GetFieldSpan(0).Trim().IsEmpty)) continue;
                int dataRow = rows + 1;
                if (fields != header.Length)
                {
                    throw new CliException(string.Create(CultureInfo.InvariantCulture,
                        $"{source}: row {dataRow} has {fields} field{(fields == 1 ? "" : "s")} but the header has {header.Length}{readAs}"));
                }
                for (int c = 0; c < fields; c++)
                {
                    var cell = reader.GetFieldSpan(c).Trim();
                    if (!TryParseNumber(cell, decimalComma, out double v) || !double.IsFinite(v))
                    {
                        problems[c] ??= new Problem(dataRow, cell.ToString(), IsNumber: TryParseNumber(cell, decimalComma, out _));
                        v = double.NaN;
                    }
                    builders[c].Add(v);
                }
                rows++;
            }
            if (rows == 0) throw new CliException($"{source} has a header but no data rows");
            return new CsvTable(source, header, builders, problems, rows, delimiter, decimalComma);
        }
        catch (CsvFormatException e)
        {
            throw new CliException($"{source}: malformed CSV{readAs}: {e.Message}", e);
        }
    }

    /// <summary>Refuses a header that is missing, all numbers (a data row), or has an empty or repeated
    /// column name: odr fit's table and odr batch's readers (CSV and Parquet) alike.</summary>
    /// <param name="header">The column names, trimmed.</param>
    /// <param name="source">The file, for messages.</param>
    /// <param name="decimalComma">Whether numbers in the header are read with decimal commas.</param>
    /// <param name="delimiter">The delimiter that joins the header in the message (a tab shows as a space).</param>
    /// <param name="where">Where the header was found ("line 3", "the Parquet schema"), shown in
    /// parentheses, or null for nothing.</param>
    internal static void ValidateHeader(string[] header, string source, bool decimalComma, char delimiter, string? where = null)
    {
        if (header.Length == 0) throw new CliException($"{source} has no header row");
        bool allNumeric = header.All(h => TryParseNumber(h.AsSpan(), decimalComma, out _));
        if (allNumeric)
        {
            throw new CliException($"{source} has no header row: the first row ({string.Join(delimiter == '\t' ? " " : delimiter.ToString(), header)}) is numeric; add a line of column names");
        }
        string at = where is null ? "" : $" ({where})";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int c = 0; c < header.Length; c++)
        {
            if (header[c].Length == 0) throw new CliException(string.Create(CultureInfo.InvariantCulture, $"{source}: column {c + 1} of the header{at} has no name"));
            if (!seen.Add(header[c])) throw new CliException($"{source}: the header names column '{header[c]}' twice");
        }
    }

    /// <summary>The index of a column by name.</summary>
    /// <param name="name">The column name (case-sensitive; a case-insensitive unique match is accepted).</param>
    /// <param name="option">The option that named it, for messages.</param>
    public int ColumnIndex(string name, string option) => ColumnIndex(Header, name, option, Source);

    /// <summary>The index of a column by name in a header: exact, else a unique case-insensitive match;
    /// odr fit's table and odr batch's readers alike.</summary>
    /// <param name="header">The column names.</param>
    /// <param name="name">The column name.</param>
    /// <param name="option">The option that named it, for messages.</param>
    /// <param name="source">The file, for messages.</param>
    internal static int ColumnIndex(IReadOnlyList<string> header, string name, string option, string source)
    {
        for (int c = 0; c < header.Count; c++)
        {
            if (header[c] == name) return c;
        }
        var loose = Enumerable.Range(0, header.Count).Where(c => string.Equals(header[c], name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (loose.Count == 1) return loose[0];
        throw new CliException($"unknown column '{name}' in {option}; {source} has columns: {string.Join(", ", header)}");
    }

    /// <summary>True when a column of that name exists.</summary>
    /// <param name="name">The name.</param>
    public bool HasColumn(string name) => Header.Contains(name);

    /// <summary>A column as finite numbers (a new array on each call).</summary>
    /// <param name="column">The column index.</param>
    /// <exception cref="CliException">A cell is not a number, or is NaN or infinite.</exception>
    public double[] Numbers(int column)
    {
        if (problems[column] is { } p)
        {
            if (p.IsNumber)
            {
                throw new CliException(string.Create(CultureInfo.InvariantCulture,
                    $"{Source}: row {p.Row}, column '{Header[column]}': {p.Cell} is not a finite number (NaN and infinities are not allowed in data)"));
            }
            string shown = p.Cell.Length == 0 ? "an empty cell" : $"'{p.Cell}'";
            string hint = DecimalComma && p.Cell.Contains('.', StringComparison.Ordinal) ? " (this file writes decimal commas)" : "";
            throw new CliException(string.Create(CultureInfo.InvariantCulture,
                $"{Source}: row {p.Row}, column '{Header[column]}': {shown} is not a number{hint}"));
        }
        return columns[column].ToArray();
    }

    /// <summary>The data row number (1-based, header and blank or comment lines not counted) of row r.</summary>
    /// <param name="r">0-based row index.</param>
    public int RowLabel(int r) => r + 1;

    /// <summary>Parses a culture-invariant number; accepts inf, -inf and nan spelled as such.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The number.</param>
    public static bool TryParseNumber(string text, out double value) => TryParseNumber(text.AsSpan(), decimalComma: false, out value);

    /// <summary>Parses a number with a decimal point (or, with <paramref name="decimalComma"/>, a decimal comma and no point); accepts inf, -inf and nan spelled as such.</summary>
    /// <param name="text">The text.</param>
    /// <param name="decimalComma">True when the file writes 1,5 for 1.5.</param>
    /// <param name="value">The number.</param>
    internal static bool TryParseNumber(ReadOnlySpan<char> text, bool decimalComma, out double value)
    {
        var t = text.Trim();
        if (t.Length <= 9)
        {
            Span<char> lower = stackalloc char[t.Length];
            t.ToLowerInvariant(lower);
            switch (lower)
            {
                case "inf" or "+inf" or "infinity" or "+infinity":
                    value = double.PositiveInfinity;
                    return true;
                case "-inf" or "-infinity":
                    value = double.NegativeInfinity;
                    return true;
                case "nan" or "+nan" or "-nan":
                    value = double.NaN;
                    return true;
            }
        }
        if (decimalComma)
        {
            if (t.Contains('.'))
            {
                value = 0;
                return false;
            }
            int comma = t.IndexOf(',');
            if (comma >= 0)
            {
                if (t[(comma + 1)..].Contains(',') || t.Length > 512)
                {
                    value = 0;
                    return false;
                }
                Span<char> copy = stackalloc char[t.Length];
                t.CopyTo(copy);
                copy[comma] = '.';
                return double.TryParse(copy, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
            }
        }
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>The first cell of a column that is not a finite number.</summary>
    private sealed record Problem(int Row, string Cell, bool IsNumber);

    /// <summary>A growing column of numbers in chunks (no copying as it grows, no doubling of the peak).</summary>
    private sealed class ColumnBuilder
    {
        private const int MaxChunk = 1 << 16;
        private readonly List<double[]> chunks = [];
        private double[] current = new double[64];
        private int used;
        private int count;

        public void Add(double value)
        {
            if (used == current.Length)
            {
                chunks.Add(current);
                current = new double[Math.Min(MaxChunk, current.Length * 2)];
                used = 0;
            }
            current[used++] = value;
            count++;
        }

        public double[] ToArray()
        {
            var result = new double[count];
            int at = 0;
            foreach (var chunk in chunks)
            {
                chunk.CopyTo(result, at);
                at += chunk.Length;
            }
            Array.Copy(current, 0, result, at, used);
            return result;
        }
    }
}

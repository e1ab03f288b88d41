using System.Globalization;
using Sylvan.Data.Csv;

namespace Odr.Cli;

/// <summary>
/// A CSV file read whole: a header row, then rows of text cells. Quoted fields, blank lines and
/// <c>#</c> comment lines are handled; numbers are parsed culture-invariantly, only for the columns used.
/// </summary>
public sealed class CsvTable
{
    private readonly List<string[]> rows;
    private readonly List<int> lines;

    private CsvTable(string source, string[] header, List<string[]> rows, List<int> lines)
    {
        Source = source;
        Header = header;
        this.rows = rows;
        this.lines = lines;
    }

    /// <summary>Where the table came from (a file name), for messages.</summary>
    public string Source { get; }

    /// <summary>The column names, in file order.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>Number of data rows.</summary>
    public int RowCount => rows.Count;

    /// <summary>Reads a CSV file.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="CliException">The file is missing, empty, has no header or is ragged.</exception>
    public static CsvTable Load(string path)
    {
        if (Directory.Exists(path)) throw new CliException($"{path} is a directory, not a CSV file");
        if (!File.Exists(path)) throw new CliException($"file not found: {path}");
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {path}: {e.Message}", e);
        }
        return Parse(text, path);
    }

    /// <summary>Parses CSV text.</summary>
    /// <param name="text">The CSV text.</param>
    /// <param name="source">A name for messages.</param>
    /// <exception cref="CliException">The text is empty, has no header or is ragged.</exception>
    public static CsvTable Parse(string text, string source)
    {
        // Sylvan takes the first record as the header; drop leading blank and comment lines first so a
        // file may start with a description. Line numbers are kept for messages.
        var allLines = text.Split('\n');
        int skip = 0;
        while (skip < allLines.Length && (allLines[skip].Trim().Length == 0 || allLines[skip].TrimStart().StartsWith('#'))) skip++;
        if (skip == allLines.Length) throw new CliException($"{source} is empty (no header row and no data)");
        string body = string.Join('\n', allLines, skip, allLines.Length - skip);

        var options = new CsvDataReaderOptions
        {
            HasHeaders = true,
            Delimiter = ',',
            Comment = '#',
            Culture = CultureInfo.InvariantCulture,
            ResultSetMode = ResultSetMode.SingleResult,
        };
        var rows = new List<string[]>();
        var lineNumbers = new List<int>();
        string[] header;
        try
        {
            using var reader = CsvDataReader.Create(new StringReader(body), options);
            header = new string[reader.FieldCount];
            for (int c = 0; c < header.Length; c++) header[c] = reader.GetName(c).Trim();
            ValidateHeader(header, source, skip + 1);
            while (reader.Read())
            {
                int fields = reader.RowFieldCount;
                var cells = new string[fields];
                bool blank = true;
                for (int c = 0; c < fields; c++)
                {
                    cells[c] = reader.GetString(c);
                    if (cells[c].Trim().Length != 0) blank = false;
                }
                if (blank && fields <= 1) continue;
                int dataRow = rows.Count + 1;
                if (fields != header.Length)
                {
                    throw new CliException(string.Create(CultureInfo.InvariantCulture,
                        $"{source}: row {dataRow} has {fields} field{(fields == 1 ? "" : "s")} but the header has {header.Length}"));
                }
                rows.Add(cells);
                lineNumbers.Add(dataRow);
            }
        }
        catch (CsvFormatException e)
        {
            throw new CliException($"{source}: malformed CSV: {e.Message}", e);
        }
        if (rows.Count == 0) throw new CliException($"{source} has a header but no data rows");
        return new CsvTable(source, header, rows, lineNumbers);
    }

    private static void ValidateHeader(string[] header, string source, int line)
    {
        if (header.Length == 0) throw new CliException($"{source} has no header row");
        bool allNumeric = header.All(h => TryParseNumber(h, out _));
        if (allNumeric)
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

    /// <summary>The index of a column by name.</summary>
    /// <param name="name">The column name (case-sensitive; a case-insensitive unique match is accepted).</param>
    /// <param name="option">The option that named it, for messages.</param>
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

    /// <summary>True when a column of that name exists.</summary>
    /// <param name="name">The name.</param>
    public bool HasColumn(string name) => Header.Contains(name);

    /// <summary>A column as finite numbers.</summary>
    /// <param name="column">The column index.</param>
    /// <exception cref="CliException">A cell is not a number, or is NaN or infinite.</exception>
    public double[] Numbers(int column)
    {
        var result = new double[rows.Count];
        for (int r = 0; r < rows.Count; r++)
        {
            string cell = rows[r][column].Trim();
            if (!TryParseNumber(cell, out double v))
            {
                string shown = cell.Length == 0 ? "an empty cell" : $"'{cell}'";
                throw new CliException(string.Create(CultureInfo.InvariantCulture,
                    $"{Source}: row {lines[r]}, column '{Header[column]}': {shown} is not a number"));
            }
            if (!double.IsFinite(v))
            {
                throw new CliException(string.Create(CultureInfo.InvariantCulture,
                    $"{Source}: row {lines[r]}, column '{Header[column]}': {cell} is not a finite number (NaN and infinities are not allowed in data)"));
            }
            result[r] = v;
        }
        return result;
    }

    /// <summary>The data row number (1-based, header and blank or comment lines not counted) of row r.</summary>
    /// <param name="r">0-based row index.</param>
    public int RowLabel(int r) => lines[r];

    /// <summary>Parses a culture-invariant number; accepts inf, -inf and nan spelled as such.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The number.</param>
    public static bool TryParseNumber(string text, out double value)
    {
        string t = text.Trim();
        switch (t.ToLowerInvariant())
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
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }
}

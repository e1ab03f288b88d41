using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Sylvan.Data.Csv;

namespace Odr.Cli;

/// <summary>
/// How a CSV file is written: its delimiter (comma, semicolon or tab, found from the header and the
/// first rows unless given) and its decimal separator (a decimal comma only in files not separated
/// by commas, when the first rows write numbers that way).
/// </summary>
internal static partial class CsvFormat
{
    /// <summary>How many data lines after the header are looked at.</summary>
    public const int SampleLines = 20;

    private static readonly char[] Candidates = [',', ';', '\t'];

    /// <summary>What the start of a CSV file says: the lines read so far (the header line first, for the
    /// CSV reader to take again ahead of the rest), the delimiter and the decimal separator, and the
    /// header's line number (for messages).</summary>
    public sealed record Start(string LinesRead, char Delimiter, bool DecimalComma, int HeaderLine);

    /// <summary>Reads the start of a CSV file as odr fit and odr batch both do: leading blank and
    /// comment lines skipped (the CSV reader takes the first record as the header, so a file may start
    /// with a description), then the header and up to <see cref="SampleLines"/> data lines, from which
    /// the delimiter (unless given) and the decimal separator are found.</summary>
    /// <param name="input">The text, at its start.</param>
    /// <param name="givenDelimiter">The delimiter, or null to find it.</param>
    /// <param name="source">The file, for messages.</param>
    /// <exception cref="CliException">No header line, or a delimiter the lines do not decide.</exception>
    public static Start ReadStart(TextReader input, char? givenDelimiter, string source)
    {
        string? header;
        int headerLine = 0;
        do
        {
            header = input.ReadLine();
            headerLine++;
        }
        while (header is not null && IsBlankOrComment(header));
        if (header is null) throw new CliException($"{source} is empty (no header row and no data)");
        var read = new StringBuilder(header).Append('\n');
        var data = new List<string>();
        while (data.Count < SampleLines && input.ReadLine() is { } line)
        {
            read.Append(line).Append('\n');
            if (!IsBlankOrComment(line)) data.Add(line);
        }
        char delimiter = givenDelimiter ?? DetectDelimiter(header, data, source);
        return new Start(read.ToString(), delimiter, DetectDecimalComma(delimiter, data, source), headerLine);
    }

    /// <summary>The CSV reader's options for a delimiter: a header, # comments, one result set.</summary>
    /// <param name="delimiter">The delimiter.</param>
    /// <param name="maxRowChars">The longest record the reader may buffer, or null for the reader's own limit.</param>
    public static CsvDataReaderOptions ReaderOptions(char delimiter, int? maxRowChars = null)
    {
        var options = new CsvDataReaderOptions
        {
            HasHeaders = true,
            Delimiter = delimiter,
            Comment = '#',
            Culture = CultureInfo.InvariantCulture,
            ResultSetMode = ResultSetMode.SingleResult,
        };
        if (maxRowChars is { } max) options.MaxBufferSize = max;
        return options;
    }

    private static bool IsBlankOrComment(string line)
    {
        var t = line.AsSpan().Trim();
        return t.IsEmpty || t[0] == '#';
    }

    /// <summary>A delimiter's name for messages.</summary>
    /// <param name="delimiter">The delimiter.</param>
    public static string Name(char delimiter) => delimiter switch
    {
        ',' => "comma",
        ';' => "semicolon",
        '\t' => "tab",
        ' ' => "space",
        '|' => "bar",
        _ => $"'{delimiter}'",
    };

    /// <summary>Reads the tool's --delimiter value: one character, or comma, semicolon, tab, \t.</summary>
    /// <param name="text">The option's value.</param>
    /// <exception cref="CliException">Not a usable delimiter.</exception>
    public static char ParseOption(string text)
    {
        char d = text switch
        {
            "comma" => ',',
            "semicolon" => ';',
            "tab" or "\\t" => '\t',
            "space" => ' ',
            { Length: 1 } => text[0],
            _ => '\0',
        };
        if (d == '\0' || d == '"' || d == '#' || d == '\r' || d == '\n' || char.IsLetterOrDigit(d) || d is '.' or '-' or '+')
        {
            throw new CliException($"--delimiter must be one character such as , ; | or a name: comma, semicolon, tab; got '{text}'");
        }
        return d;
    }

    /// <summary>Finds the delimiter from the header line and the first data lines.</summary>
    /// <param name="header">The header line.</param>
    /// <param name="data">The first data lines (blank and comment lines left out).</param>
    /// <param name="source">The file, for messages.</param>
    /// <exception cref="CliException">Two delimiters split every line alike: the file does not say which it uses.</exception>
    public static char DetectDelimiter(string header, IReadOnlyList<string> data, string source)
    {
        var consistent = new List<(char Delimiter, int Columns)>();
        foreach (char d in Candidates)
        {
            int count = CountOutsideQuotes(header, d);
            if (count > 0 && data.All(line => CountOutsideQuotes(line, d) == count)) consistent.Add((d, count + 1));
        }
        if (consistent.Count == 1) return consistent[0].Delimiter;
        if (consistent.Count > 1)
        {
            string found = string.Join(" and ", consistent.Select(c => string.Create(CultureInfo.InvariantCulture, $"{Name(c.Delimiter)}s into {c.Columns} columns")));
            string options = string.Join(" or ", consistent.Select(c => c.Delimiter == '\t' ? "--delimiter tab" : $"--delimiter '{c.Delimiter}'"));
            throw new CliException($"{source}: cannot tell the delimiter: the header and the first rows split evenly by {found}; give {options}");
        }

        // No delimiter splits every line alike (ragged rows, or one column): take the one the header uses most,
        // and let the reader name the first row that does not fit.
        char best = ',';
        int bestCount = 0;
        foreach (char d in Candidates)
        {
            int count = CountOutsideQuotes(header, d);
            if (count > bestCount)
            {
                best = d;
                bestCount = count;
            }
        }
        return best;
    }

    /// <summary>Whether the numbers of a file not separated by commas use a decimal comma (1,5), from its first data lines.</summary>
    /// <param name="delimiter">The delimiter.</param>
    /// <param name="data">The first data lines.</param>
    /// <param name="source">The file, for messages.</param>
    /// <exception cref="CliException">The first rows mix decimal commas and decimal points.</exception>
    public static bool DetectDecimalComma(char delimiter, IReadOnlyList<string> data, string source)
    {
        if (delimiter == ',') return false;
        string? comma = null, point = null;
        foreach (var line in data)
        {
            foreach (var raw in line.Split(delimiter))
            {
                string cell = raw.Trim().Trim('"').Trim();
                if (comma is null && CommaNumber().IsMatch(cell)) comma = cell;
                if (point is null && PointNumber().IsMatch(cell)) point = cell;
            }
        }
        if (comma is not null && point is not null)
        {
            throw new CliException($"{source}: the first rows write numbers with a decimal comma ('{comma}') and with a decimal point ('{point}'); use one decimal separator");
        }
        return comma is not null;
    }

    private static int CountOutsideQuotes(string line, char delimiter)
    {
        int count = 0;
        bool quoted = false;
        foreach (char ch in line)
        {
            if (ch == '"') quoted = !quoted;
            else if (ch == delimiter && !quoted) count++;
        }
        return count;
    }

    [GeneratedRegex(@"^[+-]?(\d+,\d*|,\d+)([eE][+-]?\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex CommaNumber();

    [GeneratedRegex(@"^[+-]?(\d+\.\d*|\.\d+)([eE][+-]?\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex PointNumber();
}

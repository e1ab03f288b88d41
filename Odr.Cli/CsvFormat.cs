using System.Globalization;
using System.Text.RegularExpressions;

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

using System.Globalization;
using Odr.Expressions;

namespace Odr.Cli;

/// <summary>
/// Which columns a fit's formulas use, and so its inputs and response. The rules:
/// a name in a formula that is a column is that column; a column whose name is also a constant
/// (<c>pi</c>, <c>e</c>), a parameter (<c>B</c>, <c>B0</c>, ...) or a function used without parentheses is
/// refused, because the formula could not tell them apart; <c>x</c>, <c>x0</c>, <c>x[j]</c> mean inputs by
/// position only when no column has that name. Without <c>--x</c> the inputs are the columns the formulas
/// name (or, when they name none, the first column that is not a response; every column for an implicit
/// fit); without <c>--y</c> the response is the column named <c>y</c>, else the first column that is not an
/// input or a named standard deviation or weight.
/// </summary>
public static class FormulaColumns
{
    /// <summary>An identifier in a formula's text.</summary>
    /// <param name="Name">The identifier.</param>
    /// <param name="Position">Its 0-based position.</param>
    /// <param name="Next">The first character after it that is not white space ('\0' at the end).</param>
    public readonly record struct Identifier(string Name, int Position, char Next);

    /// <summary>The identifiers of a formula (numbers such as <c>1e-3</c> are skipped whole); an alias stands
    /// for its formula.</summary>
    /// <param name="text">The formula or alias.</param>
    public static IReadOnlyList<Identifier> Identifiers(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Formula.Aliases.TryGetValue(text.Trim(), out string? expansion)) text = expansion;
        var result = new List<Identifier>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsAsciiDigit(c) || c == '.')
            {
                // As the parser reads numbers: digits, a point, digits, and an exponent only when digits follow.
                while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
                if (i < text.Length && text[i] == '.') i++;
                while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
                if (i < text.Length && text[i] is 'e' or 'E')
                {
                    int p = i + 1;
                    if (p < text.Length && text[p] is '+' or '-') p++;
                    if (p < text.Length && char.IsAsciiDigit(text[p]))
                    {
                        while (p < text.Length && char.IsAsciiDigit(text[p])) p++;
                        i = p;
                    }
                }
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                int start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_')) i++;
                int after = i;
                while (after < text.Length && char.IsWhiteSpace(text[after])) after++;
                result.Add(new Identifier(text[start..i], start, after < text.Length ? text[after] : '\0'));
            }
            else
            {
                i++;
            }
        }
        return result;
    }

    /// <summary>The inputs and responses of a fit.</summary>
    /// <param name="Inputs">Input column names, in order.</param>
    /// <param name="Responses">Response column names, in order (empty for an implicit fit).</param>
    public sealed record Columns(IReadOnlyList<string> Inputs, IReadOnlyList<string> Responses);

    /// <summary>Resolves the inputs and responses from the options and the formulas.</summary>
    /// <param name="table">The data.</param>
    /// <param name="models">The formulas.</param>
    /// <param name="x">--x, split, or null.</param>
    /// <param name="y">--y, split, or null.</param>
    /// <param name="isImplicit">An implicit fit (no responses).</param>
    /// <param name="sigmaColumns">Items of --sx, --sy, --wx, --wy (column names or numbers), never defaults.</param>
    /// <exception cref="CliException">A column name collides with a name of the formula language, the
    /// formulas use a column that is not an input, or no column is left for a default.</exception>
    public static Columns Resolve(CsvTable table, IReadOnlyList<string> models, IReadOnlyList<string>? x, IReadOnlyList<string>? y, bool isImplicit, IReadOnlyCollection<string> sigmaColumns)
    {
        ArgumentNullException.ThrowIfNull(table);
        return Resolve(table.Header, table.Source, table.ColumnIndex, models, x, y, isImplicit, sigmaColumns);
    }

    /// <summary>Resolves the inputs and responses from the options and the formulas, for any table
    /// (odr batch: the columns other than the group column).</summary>
    /// <param name="header">The column names the inputs and responses are chosen from.</param>
    /// <param name="source">The file, for messages.</param>
    /// <param name="columnIndex">The index in <paramref name="header"/> of a column named in an option (name, option), or a <see cref="CliException"/>.</param>
    /// <param name="models">The formulas.</param>
    /// <param name="x">--x, split, or null.</param>
    /// <param name="y">--y, split, or null.</param>
    /// <param name="isImplicit">An implicit fit (no responses).</param>
    /// <param name="sigmaColumns">Items of --sx, --sy, --wx, --wy (column names or numbers), never defaults.</param>
    internal static Columns Resolve(IReadOnlyList<string> header, string source, Func<string, string, int> columnIndex, IReadOnlyList<string> models,
        IReadOnlyList<string>? x, IReadOnlyList<string>? y, bool isImplicit, IReadOnlyCollection<string> sigmaColumns)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(models);
        var columnSet = new HashSet<string>(header, StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        string? positional = null;
        string? indexedColumn = null;
        foreach (string model in models)
        {
            foreach (var id in Identifiers(model))
            {
                bool isColumn = columnSet.Contains(id.Name);
                bool isCall = id.Next == '(';
                if (isColumn && Formula.IsReservedName(id.Name) && !(isCall && !IsParameterName(id.Name) && id.Name is not ("pi" or "e")))
                {
                    throw new CliException(
                        $"column '{id.Name}' of {Path.GetFileName(source)} has the name of {Meaning(id.Name)}, which the model uses; the formula cannot tell them apart: rename the column in the file's header (e.g. {id.Name}_data) and use the new name");
                }
                if (isColumn && id.Next == '[')
                {
                    // Refused after every name is checked, so that a name collision (the more specific
                    // message) is reported whichever comes first in the formula.
                    indexedColumn ??= id.Name;
                }
                else if (isColumn && !isCall)
                {
                    used.Add(id.Name);
                }
                else if (!isColumn && IsPositional(id))
                {
                    positional ??= id.Next == '[' ? id.Name + "[...]" : id.Name;
                }
            }
        }
        if (indexedColumn is not null)
        {
            throw new CliException($"'{indexedColumn}[' in the model: {Path.GetFileName(source)} has a column named {indexedColumn}, so {indexedColumn} means that column, not inputs by position; write the column names");
        }

        List<string>? responses = y is null ? null : [.. y.Select(name => header[columnIndex(name, "--y")])];
        NoRepeats(responses, "--y");
        if (responses is not null)
        {
            foreach (string r in responses)
            {
                if (used.Contains(r)) throw new CliException($"the model uses column '{r}', which is the response (--y); a response cannot also be an input");
            }
        }

        List<string> inputs;
        if (x is not null)
        {
            inputs = [.. x.Select(name => header[columnIndex(name, "--x")])];
            NoRepeats(inputs, "--x");
            foreach (string name in header.Where(used.Contains))
            {
                if (!inputs.Contains(name))
                {
                    throw new CliException($"the model uses column '{name}', which is not an input: add it to --x (the inputs are {string.Join(", ", inputs)})");
                }
            }
        }
        else if (used.Count > 0)
        {
            if (positional is not null)
            {
                throw new CliException(
                    $"the model names columns ({string.Join(", ", header.Where(used.Contains))}) and also uses '{positional}', an input by position; write every input by its column name, or list the inputs in order with --x");
            }
            inputs = [.. header.Where(used.Contains)];
        }
        else if (isImplicit)
        {
            inputs = [.. header.Where(h => !sigmaColumns.Contains(h))];
        }
        else
        {
            var first = header.FirstOrDefault(h => responses is null || !responses.Contains(h));
            inputs = first is null ? [] : [first];
        }

        if (isImplicit) return new Columns(inputs, []);
        if (responses is null)
        {
            if (inputs.Contains("y"))
            {
                throw new CliException("the model uses column 'y' as an input, so y is not the response; give the response column with --y");
            }
            string? response = columnSet.Contains("y") ? "y"
                : header.FirstOrDefault(h => !inputs.Contains(h) && !sigmaColumns.Contains(h));
            if (response is null)
            {
                throw new CliException(string.Create(CultureInfo.InvariantCulture,
                    $"{source} has no column left for the response (columns: {string.Join(", ", header)}; inputs: {string.Join(", ", inputs)}); give the response column with --y"));
            }
            responses = [response];
        }
        return new Columns(inputs, responses);
    }

    /// <summary>The names the formulas are parsed with: each input's column name, or, where that name is not a
    /// usable identifier, <c>x</c>j (reachable as <c>x[j]</c> or <c>x</c>j), made unique against the columns.</summary>
    /// <param name="inputs">The input column names.</param>
    /// <param name="header">Every column name of the file.</param>
    public static IReadOnlyList<string> FormulaNames(IReadOnlyList<string> inputs, IReadOnlyList<string> header)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(header);
        var taken = new HashSet<string>(header, StringComparer.Ordinal);
        var names = new string[inputs.Count];
        for (int j = 0; j < inputs.Count; j++)
        {
            string name = inputs[j];
            if (IsIdentifier(name) && !Formula.IsReservedName(name))
            {
                names[j] = name;
                continue;
            }
            string placeholder = string.Create(CultureInfo.InvariantCulture, $"x{j}");
            while (taken.Contains(placeholder)) placeholder += "_";
            taken.Add(placeholder);
            names[j] = placeholder;
        }
        return names;
    }

    private static void NoRepeats(List<string>? columns, string option)
    {
        if (columns is null) return;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string c in columns)
        {
            if (!seen.Add(c)) throw new CliException($"{option} names column '{c}' twice");
        }
    }

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static bool IsParameterName(string name) => name == "B" || (name.Length > 1 && name[0] == 'B' && name.Skip(1).All(char.IsAsciiDigit));

    private static bool IsPositional(Identifier id) =>
        (id.Name == "x" && id.Next != '(') || (id.Name.Length > 1 && id.Name[0] == 'x' && id.Name.Skip(1).All(char.IsAsciiDigit));

    private static string Meaning(string name) =>
        name is "pi" or "e" ? $"the constant {name}" : IsParameterName(name) ? $"the parameter {name}" : $"the function {name}";
}

using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Sylvan.Data.Csv;

namespace Odr.Cli.Batch;

/// <summary>One group's result: estimates and their standard errors, or the error that stopped its fit.</summary>
/// <param name="Key">The group key.</param>
/// <param name="Info">ODRPACK's info code (null when the fit did not run).</param>
/// <param name="Converged">Whether the fit converged (null when it did not run).</param>
/// <param name="Beta">Estimates (NaN when the fit did not run).</param>
/// <param name="SdBeta">Standard errors of the estimates.</param>
/// <param name="ResVar">Residual variance.</param>
/// <param name="Iterations">Iterations taken (null when the fit did not run).</param>
/// <param name="Error">Why the fit did not run; empty when it ran.</param>
/// <param name="Inference">The values of the inference columns (<see cref="ResultFile.InferenceColumns"/>):
/// each parameter's interval, then goodness of fit; NaN where not defined; null in a file without them.</param>
internal sealed record ResultRow(string Key, int? Info, bool? Converged, double[] Beta, double[] SdBeta, double ResVar, int? Iterations, string Error, double[]? Inference = null)
{
    /// <summary>A group whose fit could not run.</summary>
    public static ResultRow Failed(string key, int p, string error) =>
        new(key, null, null, Nan(p), Nan(p), double.NaN, null, error, Nan(ResultFile.InferenceColumns(p).Length));

    /// <summary>Inference value <paramref name="i"/> (NaN where the row has none).</summary>
    public double InferenceValue(int i) => Inference is { } values && i < values.Length ? values[i] : double.NaN;

    private static double[] Nan(int p) => Enumerable.Repeat(double.NaN, p).ToArray();
}

/// <summary>The output formats of <c>odr batch</c>, chosen by the file's extension.</summary>
internal enum ResultFormat
{
    Csv,
    JsonLines,
    Parquet,
}

/// <summary>Writing and reading result files: one row per group, columns group, info, converged,
/// B0..Bk, sd_B0..sd_Bk, res_var, iterations, error.</summary>
internal static class ResultFile
{
    /// <summary>The format of a results file by its extension.</summary>
    /// <exception cref="CliException">An extension other than .csv or .jsonl.</exception>
    public static ResultFormat FormatOf(string path, string option)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        return ext switch
        {
            ".csv" => ResultFormat.Csv,
            ".jsonl" or ".ndjson" => ResultFormat.JsonLines,
            ".parquet" => ResultFormat.Parquet,
            _ => throw new CliException($"{option} {path}: the format is chosen by the extension: .csv, .jsonl or .parquet"),
        };
    }

    /// <summary>The columns of a results file: the fit's, then the inference columns.</summary>
    /// <param name="groupName">The group column's name.</param>
    /// <param name="p">The number of parameters.</param>
    public static string[] Columns(string groupName, int p) => [.. FitColumns(groupName, p), .. InferenceColumns(p)];

    /// <summary>The fit's columns: group, info, converged, B0..Bk, sd_B0..sd_Bk, res_var, iterations, error
    /// (all a results file of an earlier version has).</summary>
    public static string[] FitColumns(string groupName, int p)
    {
        var names = Names(p);
        return [groupName, "info", "converged", .. names, .. names.Select(n => "sd_" + n), "res_var", "iterations", "error"];
    }

    /// <summary>
    /// The inference columns, named as odr fit's JSON names them: each parameter's confidence interval
    /// (ci_B0_lower, ci_B0_upper, ...: JSON's confidence_intervals, by --ci and --level), then
    /// goodness_of_fit's chi2, dof, p_value, reduced_chi2, and log_likelihood, aic, bic.
    /// </summary>
    public static string[] InferenceColumns(int p) =>
        [.. Names(p).SelectMany(n => new[] { $"ci_{n}_lower", $"ci_{n}_upper" }), "chi2", "dof", "p_value", "reduced_chi2", "log_likelihood", "aic", "bic"];

    private static string[] Names(int p) => [.. Enumerable.Range(0, p).Select(k => string.Create(CultureInfo.InvariantCulture, $"B{k}"))];

    /// <summary>The parameter count of a results file's columns (-1 when they are not a results file's):
    /// <see cref="Columns"/>, or <see cref="FitColumns"/> alone (a file of an earlier version).</summary>
    public static int ParameterCount(IReadOnlyList<string> columns)
    {
        int p = 0;
        while (3 + p < columns.Count && columns[3 + p] == string.Create(CultureInfo.InvariantCulture, $"B{p}")) p++;
        if (p < 1) return -1;
        return columns.SequenceEqual(Columns(columns[0], p)) || columns.SequenceEqual(FitColumns(columns[0], p)) ? p : -1;
    }

    /// <summary>The number of inference columns among a results file's columns (0 or 2p + 7).</summary>
    public static int InferenceCount(IReadOnlyList<string> columns) => columns.Count - ((2 * ParameterCount(columns)) + 6);

    /// <summary>Opens a writer on a (temporary) path.</summary>
    public static ResultWriter CreateWriter(string path, ResultFormat format, IReadOnlyList<string> columns) =>
        format switch
        {
            ResultFormat.Csv => new CsvResultWriter(path, columns),
            ResultFormat.Parquet => new ParquetResultWriter(path, columns),
            _ => new JsonLinesResultWriter(path, columns),
        };

    /// <summary>Reads the column names of a results file.</summary>
    /// <exception cref="CliException">The file cannot be read or is not a results file.</exception>
    public static string[] ReadColumns(string path, ResultFormat format)
    {
        using var rows = Read(path, format, null).GetEnumerator();
        rows.MoveNext();
        return rows.Current.Columns;
    }

    /// <summary>Reads a results file row by row (the first item carries only the columns).</summary>
    /// <param name="path">The file.</param>
    /// <param name="format">Its format.</param>
    /// <param name="expected">The columns it must have, or null to accept any results file's.</param>
    public static IEnumerable<(string[] Columns, ResultRow? Row)> Read(string path, ResultFormat format, IReadOnlyList<string>? expected)
    {
        return format switch
        {
            ResultFormat.Csv => ReadCsv(path, expected),
            ResultFormat.Parquet => ParquetResultWriter.Read(path, expected),
            _ => ReadJsonLines(path, expected),
        };
    }

    internal static string[] CheckColumns(string path, string[] columns, IReadOnlyList<string>? expected)
    {
        if (expected is not null && !columns.SequenceEqual(expected))
        {
            throw new CliException($"{path} has columns {string.Join(",", columns)}, not the columns of this batch ({string.Join(",", expected)})");
        }
        if (ParameterCount(columns) < 0) throw new CliException($"{path} is not an odr batch results file (columns {string.Join(",", columns)})");
        return columns;
    }

    private static IEnumerable<(string[] Columns, ResultRow? Row)> ReadCsv(string path, IReadOnlyList<string>? expected)
    {
        CsvDataReader reader;
        try
        {
            reader = CsvDataReader.Create(path, new CsvDataReaderOptions { HasHeaders = true, Delimiter = ',', ResultSetMode = ResultSetMode.SingleResult });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CsvFormatException)
        {
            throw new CliException($"cannot read {path}: {e.Message}", e);
        }
        using (reader)
        {
            var columns = new string[reader.FieldCount];
            for (int c = 0; c < columns.Length; c++) columns[c] = reader.GetName(c);
            CheckColumns(path, columns, expected);
            yield return (columns, null);
            int p = ParameterCount(columns);
            int extra = InferenceCount(columns);
            int line = 1;
            while (true)
            {
                bool more;
                try
                {
                    more = reader.Read();
                }
                catch (CsvFormatException e)
                {
                    throw new CliException($"{path}: malformed CSV after line {line}: {e.Message}", e);
                }
                if (!more) break;
                line++;
                if (reader.RowFieldCount != columns.Length) throw new CliException(string.Create(CultureInfo.InvariantCulture, $"{path}: line {line} has {reader.RowFieldCount} fields, not {columns.Length}"));
                var beta = new double[p];
                var sd = new double[p];
                for (int k = 0; k < p; k++)
                {
                    beta[k] = Number(reader.GetString(3 + k), path, line);
                    sd[k] = Number(reader.GetString(3 + p + k), path, line);
                }
                string info = reader.GetString(1), converged = reader.GetString(2), iterations = reader.GetString((2 * p) + 4);
                var row = new ResultRow(
                    reader.GetString(0),
                    info.Length == 0 ? null : Integer(info, path, line),
                    converged switch { "" => null, "true" => true, "false" => false, _ => throw new CliException($"{path}: line {line}: converged is '{converged}', not true or false") },
                    beta,
                    sd,
                    Number(reader.GetString((2 * p) + 3), path, line),
                    iterations.Length == 0 ? null : Integer(iterations, path, line),
                    reader.GetString((2 * p) + 5),
                    InferenceValues(extra, i => Number(reader.GetString((2 * p) + 6 + i), path, line)));
                yield return (columns, row);
            }
        }
    }

    private static IEnumerable<(string[] Columns, ResultRow? Row)> ReadJsonLines(string path, IReadOnlyList<string>? expected)
    {
        StreamReader text;
        try
        {
            text = new StreamReader(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {path}: {e.Message}", e);
        }
        using (text)
        {
            string[]? columns = null;
            int p = 0;
            int extra = 0;
            int line = 0;
            while (text.ReadLine() is { } json)
            {
                line++;
                if (json.Trim().Length == 0) continue;
                JsonDocument doc;
                try
                {
                    doc = JsonDocument.Parse(json);
                }
                catch (JsonException e)
                {
                    throw new CliException($"{path}: line {line} is not JSON: {e.Message}", e);
                }
                using (doc)
                {
                    var root = doc.RootElement;
                    if (root.ValueKind != JsonValueKind.Object) throw new CliException($"{path}: line {line} is not a JSON object");
                    var names = root.EnumerateObject().Select(o => o.Name).ToArray();
                    if (columns is null)
                    {
                        columns = CheckColumns(path, names, expected);
                        p = ParameterCount(columns);
                        extra = InferenceCount(columns);
                        yield return (columns, null);
                    }
                    else if (!names.SequenceEqual(columns))
                    {
                        throw new CliException($"{path}: line {line} has fields {string.Join(",", names)}, not {string.Join(",", columns)}");
                    }
                    var props = root.EnumerateObject().Select(o => o.Value).ToArray();
                    var beta = new double[p];
                    var sd = new double[p];
                    for (int k = 0; k < p; k++)
                    {
                        beta[k] = JsonNumber(props[3 + k], path, line);
                        sd[k] = JsonNumber(props[3 + p + k], path, line);
                    }
                    if (props[0].ValueKind != JsonValueKind.String) throw new CliException($"{path}: line {line}: the group is not a string");
                    var row = new ResultRow(
                        props[0].GetString()!,
                        props[1].ValueKind == JsonValueKind.Null ? null : props[1].GetInt32(),
                        props[2].ValueKind switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => null },
                        beta,
                        sd,
                        JsonNumber(props[(2 * p) + 3], path, line),
                        props[(2 * p) + 4].ValueKind == JsonValueKind.Null ? null : props[(2 * p) + 4].GetInt32(),
                        props[(2 * p) + 5].GetString() ?? "",
                        InferenceValues(extra, i => JsonNumber(props[(2 * p) + 6 + i], path, line)));
                    yield return (columns, row);
                }
            }
            if (columns is null)
            {
                if (expected is null) throw new CliException($"{path} is empty: not an odr batch results file");
                yield return ([.. expected], null);
            }
        }
    }

    /// <summary>The inference values of a row, or null for a file without inference columns.</summary>
    internal static double[]? InferenceValues(int count, Func<int, double> value)
    {
        if (count == 0) return null;
        var result = new double[count];
        for (int i = 0; i < count; i++) result[i] = value(i);
        return result;
    }

    private static double Number(string text, string path, int line)
    {
        if (text.Length == 0) return double.NaN;
        if (CsvTable.TryParseNumber(text, out double v)) return v;
        throw new CliException($"{path}: line {line}: '{text}' is not a number");
    }

    private static int Integer(string text, string path, int line) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) ? v : throw new CliException($"{path}: line {line}: '{text}' is not a whole number");

    private static double JsonNumber(JsonElement e, string path, int line) =>
        e.ValueKind switch
        {
            JsonValueKind.Null => double.NaN,
            JsonValueKind.Number => e.GetDouble(),
            _ => throw new CliException($"{path}: line {line}: {e.GetRawText()} is not a number"),
        };
}

/// <summary>Writes result rows to a file.</summary>
internal abstract class ResultWriter : IDisposable
{
    /// <summary>Rows written.</summary>
    public long Rows { get; protected set; }

    /// <summary>The row as the file's bytes (a line of CSV or JSON), made on the caller's thread so
    /// that the workers of a batch share this work instead of queueing for the file; null for a
    /// format that writes rows otherwise (Parquet). Thread-safe; hand the result to
    /// <see cref="Write(ResultRow, EncodedRow?)"/>.</summary>
    public virtual EncodedRow? Encode(ResultRow row) => null;

    /// <summary>Writes a row, from its encoding when it has one (which is then given back).</summary>
    public virtual void Write(ResultRow row, EncodedRow? encoded)
    {
        if (encoded is { } bytes) WriteEncoded(bytes);
        else Write(row);
    }

    public virtual void Write(ResultRow row)
    {
        if (Encode(row) is { } bytes) WriteEncoded(bytes);
        else throw new InvalidOperationException($"{GetType().Name} writes rows it has not encoded");
    }

    /// <summary>Appends an encoded row and gives its buffer back.</summary>
    protected virtual void WriteEncoded(EncodedRow row) => throw new InvalidOperationException($"{GetType().Name} does not encode rows");

    public abstract void Dispose();

    /// <summary>A double as text that reads back to the same bits (<see cref="RoundTripFormat"/>); NaN (a
    /// missing value) empty.</summary>
    protected static string Format(double v) =>
        double.IsNaN(v) ? "" : double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf" : RoundTripFormat.ToText(v);
}

/// <summary>A row's bytes in a buffer rented from the shared pool (the writer gives it back).</summary>
internal readonly record struct EncodedRow(byte[] Buffer, int Length)
{
    /// <summary>Copies <paramref name="bytes"/> into a rented buffer.</summary>
    public static EncodedRow Of(ReadOnlySpan<byte> bytes)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(bytes.Length);
        bytes.CopyTo(buffer);
        return new(buffer, bytes.Length);
    }

    public ReadOnlySpan<byte> Bytes => Buffer.AsSpan(0, Length);

    public void Return() => ArrayPool<byte>.Shared.Return(Buffer);
}

/// <summary>A writer of text rows (CSV, JSON lines): each row is encoded to bytes on the caller's
/// thread (<see cref="ResultWriter.Encode"/>), and only the bytes are appended to the file.</summary>
internal abstract class EncodedRowWriter : ResultWriter
{
    protected EncodedRowWriter(string path)
    {
        Stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
    }

    /// <summary>The file.</summary>
    protected FileStream Stream { get; }

    protected sealed override void WriteEncoded(EncodedRow row)
    {
        Stream.Write(row.Bytes);
        row.Return();
        Rows++;
    }

    public sealed override void Dispose() => Stream.Dispose();
}

internal sealed class CsvResultWriter : EncodedRowWriter
{
    // Each thread's line under construction (rows are encoded on the workers' threads).
    [ThreadStatic]
    private static StringBuilder? t_line;

    private readonly int inference;

    public CsvResultWriter(string path, IReadOnlyList<string> columns)
        : base(path)
    {
        inference = ResultFile.InferenceCount(columns);
        Stream.Write(Encoding.UTF8.GetBytes(string.Join(",", columns.Select(Quote)) + "\n"));
    }

    public override EncodedRow? Encode(ResultRow row)
    {
        var line = t_line ??= new StringBuilder(256);
        line.Clear();
        line.Append(Quote(row.Key)).Append(',');
        if (row.Info is { } info) line.Append(info.ToString(CultureInfo.InvariantCulture));
        line.Append(',');
        if (row.Converged is { } c) line.Append(c ? "true" : "false");
        foreach (var v in row.Beta) Append(line.Append(','), v);
        foreach (var v in row.SdBeta) Append(line.Append(','), v);
        Append(line.Append(','), row.ResVar).Append(',');
        if (row.Iterations is { } it) line.Append(it.ToString(CultureInfo.InvariantCulture));
        line.Append(',').Append(Quote(row.Error));
        for (int i = 0; i < inference; i++) Append(line.Append(','), row.InferenceValue(i));
        line.Append('\n');
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(line.Length));
        int length = 0;
        foreach (var chunk in line.GetChunks()) length += Encoding.UTF8.GetBytes(chunk.Span, buffer.AsSpan(length));
        return new EncodedRow(buffer, length);
    }

    /// <summary>Appends <see cref="ResultWriter.Format"/>'s text of <paramref name="v"/>, formatted in
    /// place rather than through a string per number (a batch writes tens of numbers per group).</summary>
    private static StringBuilder Append(StringBuilder text, double v)
    {
        if (!double.IsFinite(v)) return text.Append(Format(v));
        Span<char> digits = stackalloc char[RoundTripFormat.MaxLength];
        return text.Append(digits[..RoundTripFormat.Format(v, digits)]);
    }

    /// <summary>Quotes a cell when a reader could misread it: separators, quotes, line breaks, edge spaces, a leading #.</summary>
    private static string Quote(string cell)
    {
        bool needs = cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (cell.Length > 0 && (cell[0] == ' ' || cell[^1] == ' ' || cell[0] == '#'));
        return needs ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
    }
}

internal sealed class JsonLinesResultWriter : EncodedRowWriter
{
    // Each thread's JSON writer (rows are encoded on the workers' threads).
    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Json)? t_json;

    private readonly string[] columns;

    public JsonLinesResultWriter(string path, IReadOnlyList<string> columns)
        : base(path)
    {
        this.columns = [.. columns];
    }

    public override EncodedRow? Encode(ResultRow row)
    {
        var (buffer, json) = t_json ??= NewJsonWriter();
        buffer.ResetWrittenCount();
        json.Reset(buffer);
        int p = row.Beta.Length;
        json.WriteStartObject();
        json.WriteString(columns[0], row.Key);
        if (row.Info is { } info) json.WriteNumber(columns[1], info);
        else json.WriteNull(columns[1]);
        if (row.Converged is { } c) json.WriteBoolean(columns[2], c);
        else json.WriteNull(columns[2]);
        for (int k = 0; k < p; k++) Number(json, columns[3 + k], row.Beta[k]);
        for (int k = 0; k < p; k++) Number(json, columns[3 + p + k], row.SdBeta[k]);
        Number(json, columns[(2 * p) + 3], row.ResVar);
        if (row.Iterations is { } it) json.WriteNumber(columns[(2 * p) + 4], it);
        else json.WriteNull(columns[(2 * p) + 4]);
        json.WriteString(columns[(2 * p) + 5], row.Error);
        for (int i = (2 * p) + 6; i < columns.Length; i++) Number(json, columns[i], row.InferenceValue(i - ((2 * p) + 6)));
        json.WriteEndObject();
        json.Flush();
        buffer.Write("\n"u8);
        return EncodedRow.Of(buffer.WrittenSpan);

        static (ArrayBufferWriter<byte>, Utf8JsonWriter) NewJsonWriter()
        {
            var buffer = new ArrayBufferWriter<byte>(1024);
            return (buffer, new Utf8JsonWriter(buffer));
        }
    }

    // JSON has no NaN or infinity: they are written as null. Numbers in the CSV writer's digits
    // (RoundTripFormat), which read back as the same double where .NET's own at times do not.
    private static void Number(Utf8JsonWriter json, string name, double v)
    {
        if (!double.IsFinite(v))
        {
            json.WriteNull(name);
            return;
        }
        Span<byte> text = stackalloc byte[RoundTripFormat.MaxLength];
        json.WritePropertyName(name);
        json.WriteRawValue(text[..RoundTripFormat.Format(v, text)], skipInputValidation: true);
    }
}

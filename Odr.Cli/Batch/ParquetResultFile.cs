using Parquet;
using Parquet.Schema;

namespace Odr.Cli.Batch;

/// <summary>
/// Results as Parquet: the group as text, info and iterations as 32-bit integers, converged as a
/// boolean, the numbers as doubles, the error as text; a value that does not exist (a failed group's
/// estimates, NaN) is null, as in the JSON lines. Rows are buffered and written one row group at a time
/// (<see cref="RowGroupRows"/>), so memory does not grow with the number of groups.
/// </summary>
internal sealed class ParquetResultWriter : ResultWriter
{
    /// <summary>Rows in a row group: large enough for fast columnar reading, small enough to hold.</summary>
    public const int DefaultRowGroupRows = 65536;

    private readonly FileStream stream;
    private readonly ParquetWriter writer;
    private readonly DataField[] fields;
    private readonly int p;
    private readonly List<ResultRow> buffer = [];

    public ParquetResultWriter(string path, IReadOnlyList<string> columns, int rowGroupRows = DefaultRowGroupRows)
    {
        p = ResultFile.ParameterCount(columns);
        if (p < 0) throw new ArgumentException("not the columns of a results file", nameof(columns));
        RowGroupRows = rowGroupRows;
        fields = Schema(columns);
        stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        try
        {
            writer = ParquetWriter.CreateAsync(new ParquetSchema(fields), stream).GetAwaiter().GetResult();
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Rows per row group.</summary>
    public int RowGroupRows { get; }

    /// <summary>The most rows held at once so far (for tests: never more than a row group).</summary>
    public int MostBuffered { get; private set; }

    public override void Write(ResultRow row)
    {
        buffer.Add(row);
        MostBuffered = Math.Max(MostBuffered, buffer.Count);
        Rows++;
        if (buffer.Count >= RowGroupRows) Flush();
    }

    public override void Dispose()
    {
        try
        {
            Flush();
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            stream.Dispose();
        }
    }

    private static DataField[] Schema(IReadOnlyList<string> columns)
    {
        int p = ResultFile.ParameterCount(columns);
        var result = new DataField[columns.Count];
        result[0] = new DataField<string>(columns[0]);
        result[1] = new DataField<int?>(columns[1]);
        result[2] = new DataField<bool?>(columns[2]);
        for (int k = 3; k < (2 * p) + 4; k++) result[k] = new DataField<double?>(columns[k]);
        result[(2 * p) + 4] = new DataField<int?>(columns[(2 * p) + 4]);
        result[(2 * p) + 5] = new DataField<string>(columns[(2 * p) + 5]);
        for (int i = (2 * p) + 6; i < columns.Count; i++) result[i] = new DataField<double?>(columns[i]);
        return result;
    }

    private void Flush()
    {
        if (buffer.Count == 0) return;
        using (var group = writer.CreateRowGroup())
        {
            group.WriteAsync(fields[0], buffer.Select(r => r.Key).ToArray()).GetAwaiter().GetResult();
            Ints(group, fields[1], r => r.Info);
            group.WriteAsync<bool>(fields[2], buffer.Select(r => r.Converged).ToArray().AsMemory()).GetAwaiter().GetResult();
            for (int k = 0; k < p; k++) Doubles(group, fields[3 + k], r => r.Beta[k]);
            for (int k = 0; k < p; k++) Doubles(group, fields[3 + p + k], r => r.SdBeta[k]);
            Doubles(group, fields[(2 * p) + 3], r => r.ResVar);
            Ints(group, fields[(2 * p) + 4], r => r.Iterations);
            group.WriteAsync(fields[(2 * p) + 5], buffer.Select(r => r.Error).ToArray()).GetAwaiter().GetResult();
            for (int i = (2 * p) + 6; i < fields.Length; i++)
            {
                int at = i - ((2 * p) + 6);
                Doubles(group, fields[i], r => r.InferenceValue(at));
            }
            group.CompleteValidate();
        }
        buffer.Clear();
    }

    private void Ints(ParquetRowGroupWriter group, DataField field, Func<ResultRow, int?> value) =>
        group.WriteAsync<int>(field, buffer.Select(value).ToArray().AsMemory()).GetAwaiter().GetResult();

    private void Doubles(ParquetRowGroupWriter group, DataField field, Func<ResultRow, double> value) =>
        group.WriteAsync<double>(field, buffer.Select(r => value(r) is var v && double.IsNaN(v) ? (double?)null : v).ToArray().AsMemory()).GetAwaiter().GetResult();

    /// <summary>Reads a Parquet results file row group by row group (the first item carries only the columns).</summary>
    public static IEnumerable<(string[] Columns, ResultRow? Row)> Read(string path, IReadOnlyList<string>? expected)
    {
        var reader = ParquetGroupReader.OpenReader(path);
        try
        {
            var fields = reader.Schema.Fields.Select(f => f as DataField).ToArray();
            var columns = reader.Schema.Fields.Select(f => f.Name).ToArray();
            ResultFile.CheckColumns(path, columns, expected);
            int p = ResultFile.ParameterCount(columns);
            var schema = Schema(columns);
            for (int c = 0; c < columns.Length; c++)
            {
                if (fields[c] is not { IsArray: false } f || f.ClrType != schema[c].ClrType)
                {
                    throw new CliException($"{path}: column '{columns[c]}' is not of the type odr batch writes ({schema[c].ClrType.Name}); not an odr batch results file");
                }
            }
            yield return (columns, null);
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                foreach (var row in ReadRowGroup(reader, g, fields!, p, path)) yield return (columns, row);
            }
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static List<ResultRow> ReadRowGroup(ParquetReader reader, int index, DataField[] fields, int p, string path)
    {
        try
        {
            using var group = reader.OpenRowGroupReader(index);
            int n = checked((int)group.RowCount);
            string?[] Texts(DataField f)
            {
                var t = new string?[n];
                group.ReadAsync(f, t.AsMemory()).AsTask().GetAwaiter().GetResult();
                return t;
            }
            TV?[] Values<TV>(DataField f)
                where TV : struct
            {
                var t = new TV?[n];
                if (f.IsNullable)
                {
                    group.ReadAsync<TV>(f, t.AsMemory()).AsTask().GetAwaiter().GetResult();
                }
                else
                {
                    var plain = new TV[n];
                    group.ReadAsync<TV>(f, plain.AsMemory()).AsTask().GetAwaiter().GetResult();
                    for (int r = 0; r < n; r++) t[r] = plain[r];
                }
                return t;
            }
            var keys = Texts(fields[0]);
            var info = Values<int>(fields[1]);
            var converged = Values<bool>(fields[2]);
            var numbers = new double?[(2 * p) + 1][];
            for (int k = 0; k < numbers.Length; k++) numbers[k] = Values<double>(fields[3 + k]);
            var iterations = Values<int>(fields[(2 * p) + 4]);
            var errors = Texts(fields[(2 * p) + 5]);
            var inference = fields.Skip((2 * p) + 6).Select(Values<double>).ToArray();
            var rows = new List<ResultRow>(n);
            for (int r = 0; r < n; r++)
            {
                var beta = new double[p];
                var sd = new double[p];
                for (int k = 0; k < p; k++)
                {
                    beta[k] = numbers[k][r] ?? double.NaN;
                    sd[k] = numbers[p + k][r] ?? double.NaN;
                }
                rows.Add(new ResultRow(keys[r] ?? "", info[r], converged[r], beta, sd, numbers[2 * p][r] ?? double.NaN, iterations[r], errors[r] ?? "",
                    ResultFile.InferenceValues(inference.Length, i => inference[i][r] ?? double.NaN)));
            }
            return rows;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or InvalidOperationException or ArgumentException or OverflowException)
        {
            throw new CliException($"{path}: cannot read row group {index + 1}: {CliMessages.OneLine(e.Message)}", e);
        }
    }
}

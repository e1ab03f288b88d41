using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace Odr.Cli.Batch;

/// <summary>
/// A long-format Parquet file read one row group at a time: only the group column and the columns the
/// fits need are decoded, and only the current row group's values are held, so a file of any number of
/// rows is read in the memory of its largest row group (writers choose the row group size: pyarrow's
/// default is a million rows, Parquet.Net's and odr's own smaller).
/// Numeric columns (integers, floats, doubles) are read as numbers; a text column is read as text and
/// parsed as odr fit parses a CSV cell, so a column of numbers stored as text works too.
/// </summary>
internal sealed class ParquetGroupReader : GroupReader
{
    private readonly ParquetReader reader;
    private readonly DataField?[] fields;
    private int groupColumn;
    private int[] columns = [];
    private int rowGroup = -1;
    private int rowInGroup;
    private int rowsInGroup;
    private string[] keys = [];
    private Column[] cells = [];

    private ParquetGroupReader(string path, ParquetReader reader, string[] header, DataField?[] fields)
        : base(path, header)
    {
        this.reader = reader;
        this.fields = fields;
    }

    /// <summary>Row groups decoded so far (for progress, and for tests that check the reading is incremental).</summary>
    public int RowGroupsRead { get; private set; }

    /// <summary>The file's number of row groups.</summary>
    public int RowGroupCount => reader.RowGroupCount;

    public override double FractionRead => reader.RowGroupCount == 0 ? 1 : Math.Min(1.0, (double)RowGroupsRead / reader.RowGroupCount);

    /// <summary>Opens the file and reads its schema (the footer only).</summary>
    /// <exception cref="CliException">Not a Parquet file, unreadable, duplicate column names.</exception>
    public static ParquetGroupReader Open(string path)
    {
        var reader = OpenReader(path);
        try
        {
            var top = reader.Schema.Fields;
            var header = top.Select(f => f.Name.Trim()).ToArray();
            ValidateHeader(header, path, "the Parquet schema");
            var fields = top.Select(f => f is DataField { IsArray: false } d ? d : null).ToArray();
            return new ParquetGroupReader(path, reader, header, fields);
        }
        catch
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>Opens a Parquet file (data or results) and reads its footer; a file Parquet.Net cannot
    /// read is one line naming it.</summary>
    /// <exception cref="CliException">Not a Parquet file, or unreadable.</exception>
    internal static ParquetReader OpenReader(string path)
    {
        try
        {
            return ParquetReader.CreateAsync(path).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or NotSupportedException or ArgumentException)
        {
            throw new CliException($"cannot read {path} as Parquet: {CliMessages.OneLine(e.Message)}", e);
        }
    }

    protected override void Prepare(int groupColumn, int[] columns)
    {
        this.groupColumn = groupColumn;
        this.columns = columns;
        foreach (int c in columns.Prepend(groupColumn))
        {
            if (fields[c] is not { } field)
            {
                throw new CliException($"{Source}: column '{Header[c]}' is not a plain column (a list, map or struct); odr batch reads columns of numbers or text");
            }
            if (!Column.Supports(field.ClrType))
            {
                throw new CliException($"{Source}: column '{Header[c]}' holds {field.ClrType.Name} values; odr batch reads columns of numbers or text");
            }
        }
        cells = new Column[columns.Length];
    }

    protected override bool NextRow(int dataRow)
    {
        while (rowInGroup >= rowsInGroup)
        {
            if (rowGroup + 1 >= reader.RowGroupCount) return false;
            Load(++rowGroup);
        }
        rowInGroup++;
        return true;
    }

    protected override ReadOnlySpan<char> RowKey() => keys[rowInGroup - 1];

    protected override void AddRow(GroupBuilder builder, int dataRow)
    {
        int r = rowInGroup - 1;
        foreach (var column in cells)
        {
            if (column.Texts is { } texts)
            {
                string? text = texts[r];
                var cell = (text ?? "").AsSpan().Trim();
                if (RawGroup.TryParseNumber(cell, out double v)) builder.AddNumber(v);
                else builder.AddNotNumber(cell.ToString());
            }
            else if (column.Missing is { } missing && missing[r])
            {
                builder.AddNotNumber(RawGroup.Null);
            }
            else
            {
                builder.AddNumber(column.Values![r]);
            }
        }
        builder.EndRow(dataRow);
    }

    private void Load(int index)
    {
        try
        {
            using var group = reader.OpenRowGroupReader(index);
            int n = checked((int)group.RowCount);
            var key = Column.Read(group, fields[groupColumn]!, n, forKey: true);
            keys = new string[n];
            for (int r = 0; r < n; r++) keys[r] = key.Key(r);
            // The same column may be needed twice (as an input and a starting value): decoded once.
            var decoded = new Dictionary<int, Column>();
            for (int k = 0; k < columns.Length; k++)
            {
                if (!decoded.TryGetValue(columns[k], out var column)) decoded[columns[k]] = column = Column.Read(group, fields[columns[k]]!, n, forKey: false);
                cells[k] = column;
            }
            rowsInGroup = n;
            rowInGroup = 0;
            RowGroupsRead++;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or InvalidOperationException or ArgumentException or OverflowException)
        {
            throw new CliException($"{Source}: cannot read row group {index + 1} of {reader.RowGroupCount}: {CliMessages.OneLine(e.Message)}", e);
        }
    }

    public override void Dispose() => reader.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>One column of one row group: numbers (with the missing ones marked) or text.</summary>
    private sealed class Column
    {
        public double[]? Values { get; private init; }

        public bool[]? Missing { get; private init; }

        public string?[]? Texts { get; private init; }

        public static bool Supports(Type type) =>
            IsText(type) || type == typeof(double) || type == typeof(float) || type == typeof(long) || type == typeof(int)
            || type == typeof(short) || type == typeof(sbyte) || type == typeof(ulong) || type == typeof(uint) || type == typeof(ushort) || type == typeof(byte);

        private static bool IsText(Type type) => type == typeof(string) || type == typeof(ReadOnlyMemory<char>);

        /// <summary>The group key of row <paramref name="r"/>: text trimmed, a number as its invariant text, a missing value empty.</summary>
        public string Key(int r)
        {
            if (Texts is not null) return (Texts[r] ?? "").Trim();
            if (Missing is not null && Missing[r]) return "";
            return Exact?[r].ToString(CultureInfo.InvariantCulture) ?? Values![r].ToString("R", CultureInfo.InvariantCulture);
        }

        /// <summary>Integer columns' values as integers too, so a 64-bit key is not rounded through a double.</summary>
        private decimal[]? Exact { get; init; }

        public static Column Read(ParquetRowGroupReader group, DataField field, int n, bool forKey)
        {
            var t = field.ClrType;
            if (IsText(t))
            {
                var texts = new string?[n];
                group.ReadAsync(field, texts.AsMemory()).AsTask().GetAwaiter().GetResult();
                return new Column { Texts = texts };
            }
            if (t == typeof(double)) return Numbers<double>(group, field, n, v => v, exact: false);
            if (t == typeof(float)) return Numbers<float>(group, field, n, v => v, exact: false);
            if (t == typeof(long)) return Numbers<long>(group, field, n, v => v, exact: forKey);
            if (t == typeof(int)) return Numbers<int>(group, field, n, v => v, exact: forKey);
            if (t == typeof(short)) return Numbers<short>(group, field, n, v => v, exact: forKey);
            if (t == typeof(sbyte)) return Numbers<sbyte>(group, field, n, v => v, exact: forKey);
            if (t == typeof(ulong)) return Numbers<ulong>(group, field, n, v => v, exact: forKey);
            if (t == typeof(uint)) return Numbers<uint>(group, field, n, v => v, exact: forKey);
            if (t == typeof(ushort)) return Numbers<ushort>(group, field, n, v => v, exact: forKey);
            if (t == typeof(byte)) return Numbers<byte>(group, field, n, v => v, exact: forKey);
            throw new NotSupportedException($"column '{field.Name}' holds {t.Name} values");
        }

        private static Column Numbers<T>(ParquetRowGroupReader group, DataField field, int n, Func<T, double> toDouble, bool exact)
            where T : struct
        {
            var values = new double[n];
            decimal[]? integers = exact ? new decimal[n] : null;
            bool[]? missing = null;
            if (field.IsNullable)
            {
                var raw = new T?[n];
                group.ReadAsync<T>(field, raw.AsMemory()).AsTask().GetAwaiter().GetResult();
                for (int r = 0; r < n; r++)
                {
                    if (raw[r] is { } v)
                    {
                        values[r] = toDouble(v);
                        if (integers is not null) integers[r] = Convert.ToDecimal(v, CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        (missing ??= new bool[n])[r] = true;
                        values[r] = double.NaN;
                    }
                }
            }
            else
            {
                var raw = new T[n];
                group.ReadAsync<T>(field, raw.AsMemory()).AsTask().GetAwaiter().GetResult();
                for (int r = 0; r < n; r++)
                {
                    values[r] = toDouble(raw[r]);
                    if (integers is not null) integers[r] = Convert.ToDecimal(raw[r], CultureInfo.InvariantCulture);
                }
            }
            return new Column { Values = values, Missing = missing, Exact = integers };
        }
    }
}

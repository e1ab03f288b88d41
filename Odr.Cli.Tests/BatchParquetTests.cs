using System.Globalization;
using System.Text.Json;
using Odr.Cli.Batch;
using Parquet;
using Parquet.Schema;

namespace Odr.Cli.Tests;

/// <summary>
/// odr batch on Parquet: input written by an independent implementation (hyparquet-writer) and output
/// read back by one (hyparquet), both from Data/batch/make_parquet_reference.mjs; reading and writing
/// one row group at a time.
/// </summary>
public class BatchParquetTests
{
    private const string PeakModel = "B0 + B1*exp(-((x-B2)/B3)^2)";

    private static string Reference(string name) => Path.Combine(CliRunner.DataDir, "batch", name);

    private static CliResult Peaks(string data, string output, params string[] more) =>
        CliRunner.Run(["batch", data, "--group", "pixel", "--x", "x", "--y", "y", "--model", PeakModel, "--beta0=0.5,4,10,1.5", "--output", output, .. more]);

    private static CliResult Typed(string output) =>
        CliRunner.Run("batch", Reference("typed.parquet"), "--group", "key", "--x", "t", "--y", "signal", "--model", "B0*exp(-B1*t)", "--beta0", "2,0.3", "--output", output);

    [Fact]
    public void ParquetFromAnotherWriterFitsExactlyAsTheSameDataInCsv()
    {
        using var dir = new TempDir();
        var fromParquet = Peaks(Reference("peaks.parquet"), dir.Combine("p.csv"));
        var fromCsv = Peaks(Reference("peaks.csv"), dir.Combine("c.csv"));
        Assert.True(fromParquet.Code == 0, fromParquet.ToString());
        Assert.True(fromCsv.Code == 0, fromCsv.ToString());
        Assert.Equal(File.ReadAllText(dir.Combine("c.csv")), File.ReadAllText(dir.Combine("p.csv")));
        Assert.Equal(25, File.ReadAllLines(dir.Combine("p.csv")).Length);
    }

    [Fact]
    public void TypedColumnsNullsAndNaNsBecomeKeysAndPerGroupErrors()
    {
        using var dir = new TempDir();
        var r = Typed(dir.Combine("out.csv"));
        Assert.True(r.Code == 3, r.ToString());
        var rows = File.ReadAllLines(dir.Combine("out.csv"));
        Assert.Equal("key,info,converged,B0,B1,sd_B0,sd_B1,res_var,iterations,error,ci_B0_lower,ci_B0_upper,ci_B1_lower,ci_B1_upper,chi2,dof,p_value,reduced_chi2,log_likelihood,aic,bic", rows[0]);

        // INT64 keys beyond 2^53 as written, not rounded through a double.
        Assert.Equal(Enumerable.Range(3, 6).Select(k => "900719925474099" + k.ToString(CultureInfo.InvariantCulture)), rows.Skip(1).Select(l => l.Split(',')[0]));
        Assert.All(rows.Skip(1).Take(3), l => Assert.Equal("", SplitCsv(l)[9]));
        Assert.Equal("row 35, column 'signal': a missing value (null) is not a number", SplitCsv(rows[4])[9]);
        Assert.Equal("row 43, column 'signal': nan is not a finite number (NaN and infinities are not allowed in data)", SplitCsv(rows[5])[9]);
        Assert.Equal("1 observation for 2 free parameters: a fit needs at least as many observations as parameters", SplitCsv(rows[6])[9]);
    }

    [Theory]
    [InlineData("peaks_out")]
    [InlineData("typed_out")]
    public void ParquetOutputIsWhatAnIndependentReaderRead(string name)
    {
        using var dir = new TempDir();
        string parquet = dir.Combine("out.parquet"), csv = dir.Combine("out.csv");
        if (name == "peaks_out")
        {
            Assert.Equal(0, Peaks(Reference("peaks.parquet"), parquet).Code);
            Assert.Equal(0, Peaks(Reference("peaks.parquet"), csv).Code);
        }
        else
        {
            Assert.Equal(3, Typed(parquet).Code);
            Assert.Equal(3, Typed(csv).Code);
        }

        // Our writer is deterministic: the file hyparquet read when the reference was made is the one written now.
        Assert.Equal(File.ReadAllBytes(Reference(name + ".parquet")), File.ReadAllBytes(parquet));

        // What hyparquet read from it is, value for value and bit for bit, the CSV results of the same batch.
        using var json = JsonDocument.Parse(File.ReadAllText(Reference(name + ".hyparquet.json")));
        var theirs = json.RootElement.GetProperty("rows").EnumerateArray().ToList();
        var ours = File.ReadAllLines(csv);
        var columns = ours[0].Split(',');
        Assert.Equal(columns, json.RootElement.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(ours.Length - 1, theirs.Count);
        for (int r = 0; r < theirs.Count; r++)
        {
            var cells = SplitCsv(ours[r + 1]);
            for (int c = 0; c < columns.Length; c++)
            {
                var value = theirs[r].GetProperty(columns[c]);
                string cell = cells[c];
                switch (value.ValueKind)
                {
                    case JsonValueKind.Null:
                        Assert.Equal("", cell);
                        break;
                    case JsonValueKind.True or JsonValueKind.False:
                        Assert.Equal(value.GetBoolean() ? "true" : "false", cell);
                        break;
                    default:
                        string text = value.GetString()!;
                        if (columns[c] is "info" or "iterations" or "error" || c == 0) Assert.Equal(text, cell);
                        else Assert.Equal(double.Parse(text, CultureInfo.InvariantCulture), double.Parse(cell, CultureInfo.InvariantCulture));
                        break;
                }
            }
        }
    }

    [Fact]
    public void ResumeAndMergeWorkOnParquetResults()
    {
        using var dir = new TempDir();
        string data = Reference("peaks.parquet");
        Assert.Equal(0, Peaks(data, dir.Combine("all.csv")).Code);
        Assert.Equal(0, Peaks(data, dir.Combine("s0.parquet"), "--shard", "0/2").Code);
        Assert.Equal(0, Peaks(data, dir.Combine("s1.csv"), "--shard", "1/2").Code);
        var resumed = Peaks(data, dir.Combine("s0.parquet"), "--shard", "0/2", "--resume");
        Assert.True(resumed.Code == 0, resumed.ToString());
        Assert.Contains("0 groups (shard 0/2", resumed.Stdout, StringComparison.Ordinal);
        var merged = CliRunner.Run("merge", dir.Combine("merged.parquet"), dir.Combine("s0.parquet"), dir.Combine("s1.csv"));
        Assert.True(merged.Code == 0, merged.ToString());
        var back = CliRunner.Run("merge", dir.Combine("merged.csv"), dir.Combine("merged.parquet"));
        Assert.True(back.Code == 0, back.ToString());
        Assert.Equal(File.ReadAllText(dir.Combine("all.csv")), File.ReadAllText(dir.Combine("merged.csv")));
    }

    [Fact]
    public void AStoppedParquetBatchIsAValidFileOfTheFinishedGroupsAndResumeFinishesIt()
    {
        using var dir = new TempDir();
        string data = Reference("peaks.parquet");
        Assert.Equal(0, Peaks(data, dir.Combine("all.csv"), "--threads", "1").Code);
        string output = dir.Combine("out.parquet");
        using var stop = new CancellationTokenSource();
        var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var options = new BatchJobOptions
        {
            DataPath = data,
            Group = "pixel",
            X = "x",
            Y = "y",
            Models = [PeakModel],
            Beta0 = "0.5,4,10,1.5",
            Output = output,
            Threads = 1,
        };
        int code = BatchRunner.Run(options, new StringWriter(CultureInfo.InvariantCulture), stderr, stop.Token, written =>
        {
            if (written == 5) stop.Cancel();
        });
        Assert.True(code == BatchRunner.ExitInterrupted, stderr.ToString());

        // The stopped file is a whole Parquet file (footer written) of finished groups only; merge reads
        // it and says it is incomplete (exit 3).
        var merged = CliRunner.Run("merge", dir.Combine("partial.csv"), output);
        Assert.True(merged.Code == 3, merged.ToString());
        var all = File.ReadAllLines(dir.Combine("all.csv"));
        var partial = File.ReadAllLines(dir.Combine("partial.csv"));
        Assert.InRange(partial.Length - 1, 5, 23);
        Assert.All(partial, line => Assert.Contains(line, all));

        var resumed = Peaks(data, output, "--threads", "1", "--resume");
        Assert.True(resumed.Code == 0, resumed.ToString());
        Assert.Equal(0, CliRunner.Run("merge", dir.Combine("final.csv"), output).Code);
        Assert.Equal(all.Order(StringComparer.Ordinal), File.ReadAllLines(dir.Combine("final.csv")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RowGroupsAreReadOneAtATime()
    {
        // 2,000 groups of 10 rows in row groups of 1,000 rows: 20 row groups, each group in one.
        using var dir = new TempDir();
        string path = dir.Combine("long.parquet");
        const int Groups = 2000, Points = 10, RowGroupRows = 1000;
        var schema = new ParquetSchema(new DataField<int>("g"), new DataField<double>("x"), new DataField<double>("y"));
        await using (var stream = File.Create(path))
        {
            await using var writer = await ParquetWriter.CreateAsync(schema, stream);
            for (int start = 0; start < Groups * Points; start += RowGroupRows)
            {
                using var rowGroup = writer.CreateRowGroup();
                var rows = Enumerable.Range(start, RowGroupRows).ToArray();
                await rowGroup.WriteAsync<int>(schema.DataFields[0], rows.Select(i => i / Points).ToArray().AsMemory());
                await rowGroup.WriteAsync<double>(schema.DataFields[1], rows.Select(i => (double)(i % Points)).ToArray().AsMemory());
                await rowGroup.WriteAsync<double>(schema.DataFields[2], rows.Select(i => (i / Points) + (2.0 * (i % Points))).ToArray().AsMemory());
            }
        }
        using var reader = (ParquetGroupReader)GroupReader.Open(path);
        Assert.Equal(20, reader.RowGroupCount);
        int seen = 0;
        foreach (var group in reader.Groups(0, [1, 2], _ => true, unsorted: false, CancellationToken.None))
        {
            // Group k ends in row group k/100; the reader has looked one row past it, no further.
            int lastRow = ((seen + 1) * Points) - 1;
            Assert.Equal(((lastRow + 1) / RowGroupRows) + 1 - (lastRow + 1 == Groups * Points ? 1 : 0), reader.RowGroupsRead);
            Assert.Equal(seen.ToString(CultureInfo.InvariantCulture), group.Key);
            Assert.Equal(Points, group.RowCount);
            Assert.True(group.TryNumber(3, 1, out double y, out _));
            Assert.Equal(seen + 6.0, y);
            seen++;
        }
        Assert.Equal(Groups, seen);
    }

    [Fact]
    public async Task ResultsAreWrittenOneRowGroupAtATime()
    {
        using var dir = new TempDir();
        string path = dir.Combine("r.parquet");
        var columns = ResultFile.Columns("g", 2);
        var expected = Enumerable.Range(0, 1050).Select(i => i % 7 == 0
            ? ResultRow.Failed($"k{i}", 2, "no")
            : new ResultRow($"k{i}", 1, i % 2 == 0, [i, -i], [0.5 * i, double.PositiveInfinity], 1.0 / (i + 1), 3, "")).ToList();
        int most;
        using (var writer = new ParquetResultWriter(path, columns, rowGroupRows: 100))
        {
            foreach (var row in expected) writer.Write(row);
            most = writer.MostBuffered;
        }
        Assert.Equal(100, most);
        await using (var check = await ParquetReader.CreateAsync(path))
        {
            Assert.Equal(11, check.RowGroupCount);
        }
        var back = ResultFile.Read(path, ResultFormat.Parquet, columns).Where(x => x.Row is not null).Select(x => x.Row!).ToList();
        Assert.Equal(expected.Count, back.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Key, back[i].Key);
            Assert.Equal(expected[i].Info, back[i].Info);
            Assert.Equal(expected[i].Converged, back[i].Converged);
            Assert.Equal(expected[i].Beta, back[i].Beta);
            Assert.Equal(expected[i].SdBeta, back[i].SdBeta);
            Assert.Equal(expected[i].ResVar, back[i].ResVar);
            Assert.Equal(expected[i].Iterations, back[i].Iterations);
            Assert.Equal(expected[i].Error, back[i].Error);
        }
    }

    [Fact]
    public void AFileThatIsNotParquetIsRefusedInOneLine()
    {
        using var dir = new TempDir();
        string bad = dir.File("bad.parquet", "pixel,x,y\np0,1,2\n");
        var r = Peaks(bad, dir.Combine("out.csv"));
        Assert.True(r.Code == 2, r.ToString());
        Assert.StartsWith("odr: cannot read ", r.Stderr, StringComparison.Ordinal);
        Assert.Single(r.Stderr.TrimEnd('\n').Split('\n'));
        Assert.False(File.Exists(dir.Combine("out.csv")));
    }

    /// <summary>Splits a results CSV line (only the error cell can be quoted).</summary>
    private static string[] SplitCsv(string line)
    {
        var cells = new List<string>();
        int i = 0;
        while (i <= line.Length)
        {
            if (i < line.Length && line[i] == '"')
            {
                int end = i + 1;
                var cell = new System.Text.StringBuilder();
                while (true)
                {
                    if (line[end] == '"' && end + 1 < line.Length && line[end + 1] == '"')
                    {
                        cell.Append('"');
                        end += 2;
                    }
                    else if (line[end] == '"')
                    {
                        break;
                    }
                    else
                    {
                        cell.Append(line[end++]);
                    }
                }
                cells.Add(cell.ToString());
                i = end + 2;
            }
            else
            {
                int comma = line.IndexOf(',', i);
                if (comma < 0) comma = line.Length;
                cells.Add(line[i..comma]);
                i = comma + 1;
            }
        }
        return [.. cells];
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using Odr.Cli.Batch;

namespace Odr.Cli.Tests;

/// <summary>odr batch and odr merge: one fit per group, shards, resume, merge, bad input.</summary>
public class BatchTests
{
    private const string Model = "B0*exp(-B1*t)";

    /// <summary>Long-format data: groups of exponential decays with a little deterministic noise.</summary>
    internal static string DecayData(int groups, int points = 12, Func<int, string>? key = null, bool extraColumns = false)
    {
        var sb = new StringBuilder(extraColumns ? "cell,t,signal,b0,b1\n" : "cell,t,signal\n");
        for (int g = 0; g < groups; g++)
        {
            double a = 2 + (0.1 * (g % 7)), k = 0.3 + (0.02 * (g % 5));
            for (int i = 0; i < points; i++)
            {
                double t = 0.5 * i;
                double noise = 0.01 * Math.Sin((g * 31) + (i * 7.3));
                string row = string.Create(CultureInfo.InvariantCulture, $"{(key ?? (j => j.ToString(CultureInfo.InvariantCulture)))(g)},{t:R},{(a * Math.Exp(-k * t)) + noise:R}");
                if (extraColumns) row += string.Create(CultureInfo.InvariantCulture, $",{a:R},{k:R}");
                sb.Append(row).Append('\n');
            }
        }
        return sb.ToString();
    }

    private static CliResult Batch(string data, string output, params string[] more) =>
        CliRunner.Run(["batch", data, "--group", "cell", "--x", "t", "--y", "signal", "--model", Model, "--output", output, .. (more.Any(m => m.StartsWith("--beta0", StringComparison.Ordinal)) ? more : ["--beta0", "2,0.3", .. more])]);

    private static string[] Lines(string path) => File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void EachGroupEqualsOdrFitOfThatGroupAlone()
    {
        using var dir = new TempDir();
        string data = DecayData(5);
        var result = Batch(dir.File("d.csv", data), dir.Combine("out.csv"));
        Assert.True(result.Code == 0, result.ToString());
        var rows = Lines(dir.Combine("out.csv"));
        Assert.Equal("cell,info,converged,B0,B1,sd_B0,sd_B1,res_var,iterations,error,ci_B0_lower,ci_B0_upper,ci_B1_lower,ci_B1_upper,chi2,dof,p_value,reduced_chi2,log_likelihood,aic,bic", rows[0]);
        Assert.Equal(6, rows.Length);
        var dataLines = data.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (int g = 0; g < 5; g++)
        {
            string key = g.ToString(CultureInfo.InvariantCulture);
            string subset = dir.File($"g{g}.csv", "cell,t,signal\n" + string.Join("\n", dataLines.Skip(1).Where(l => l.StartsWith(key + ",", StringComparison.Ordinal))) + "\n");
            var fit = CliRunner.Run("fit", subset, "--x", "t", "--y", "signal", "--model", Model, "--beta0", "2,0.3", "--json", "-");
            Assert.True(fit.Code == 0, fit.ToString());
            using var json = JsonDocument.Parse(fit.Stdout);
            var r = json.RootElement;
            var cells = rows[g + 1].Split(',');
            Assert.Equal(key, cells[0]);
            Assert.Equal(r.GetProperty("info").GetInt32().ToString(CultureInfo.InvariantCulture), cells[1]);
            Assert.Equal("true", cells[2]);
            for (int k = 0; k < 2; k++)
            {
                Assert.Equal(r.GetProperty("beta")[k].GetDouble(), double.Parse(cells[3 + k], CultureInfo.InvariantCulture));
                Assert.Equal(r.GetProperty("sd_beta")[k].GetDouble(), double.Parse(cells[5 + k], CultureInfo.InvariantCulture));
            }
            Assert.Equal(r.GetProperty("res_var").GetDouble(), double.Parse(cells[7], CultureInfo.InvariantCulture));
            Assert.Equal(r.GetProperty("iterations").GetInt32().ToString(CultureInfo.InvariantCulture), cells[8]);
            Assert.Equal("", cells[9]);

            // The intervals and goodness of fit are odr fit's JSON fields, to the bit.
            for (int k = 0; k < 2; k++)
            {
                Assert.Equal(r.GetProperty("confidence_intervals")[k][0].GetDouble(), double.Parse(cells[10 + (2 * k)], CultureInfo.InvariantCulture));
                Assert.Equal(r.GetProperty("confidence_intervals")[k][1].GetDouble(), double.Parse(cells[11 + (2 * k)], CultureInfo.InvariantCulture));
            }
            var gof = r.GetProperty("goodness_of_fit");
            Assert.Equal(gof.GetProperty("chi2").GetDouble(), double.Parse(cells[14], CultureInfo.InvariantCulture));
            Assert.Equal(gof.GetProperty("dof").GetInt32().ToString(CultureInfo.InvariantCulture), cells[15]);
            Assert.Equal(JsonValueKind.Null, gof.GetProperty("p_value").ValueKind); // relative weights: no p-value
            Assert.Equal("", cells[16]);
            Assert.Equal(gof.GetProperty("reduced_chi2").GetDouble(), double.Parse(cells[17], CultureInfo.InvariantCulture));
            Assert.Equal(r.GetProperty("log_likelihood").GetDouble(), double.Parse(cells[18], CultureInfo.InvariantCulture));
            Assert.Equal(r.GetProperty("aic").GetDouble(), double.Parse(cells[19], CultureInfo.InvariantCulture));
            Assert.Equal(r.GetProperty("bic").GetDouble(), double.Parse(cells[20], CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void OutputDoesNotDependOnThreadsAndFollowsInputOrder()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", DecayData(40, key: g => "k" + ((g * 17) % 40).ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(0, Batch(data, dir.Combine("one.csv"), "--threads", "1").Code);
        Assert.Equal(0, Batch(data, dir.Combine("four.csv"), "--threads", "4").Code);
        Assert.Equal(File.ReadAllBytes(dir.Combine("one.csv")), File.ReadAllBytes(dir.Combine("four.csv")));
        var keys = Lines(dir.Combine("one.csv")).Skip(1).Select(l => l.Split(',')[0]).ToList();
        Assert.Equal(Enumerable.Range(0, 40).Select(g => "k" + ((g * 17) % 40).ToString(CultureInfo.InvariantCulture)), keys);
    }

    [Fact]
    public void JsonLinesHoldTheSameResultsAsCsv()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", DecayData(6) + "6,0,1\n");
        var csv = Batch(data, dir.Combine("out.csv"));
        var jsonl = Batch(data, dir.Combine("out.jsonl"));
        Assert.Equal(3, csv.Code);
        Assert.Equal(3, jsonl.Code);
        var csvRows = Lines(dir.Combine("out.csv"));
        var jsonRows = Lines(dir.Combine("out.jsonl"));
        Assert.Equal(csvRows.Length - 1, jsonRows.Length);
        for (int r = 0; r < jsonRows.Length; r++)
        {
            using var doc = JsonDocument.Parse(jsonRows[r]);
            var props = doc.RootElement.EnumerateObject().ToList();
            Assert.Equal(csvRows[0].Split(','), props.Select(p => p.Name));
            var cells = csvRows[r + 1].Split(',');
            Assert.Equal(cells[0], props[0].Value.GetString());
            for (int c = 3; c <= 7; c++)
            {
                if (cells[c].Length == 0) Assert.Equal(JsonValueKind.Null, props[c].Value.ValueKind);
                else Assert.Equal(double.Parse(cells[c], CultureInfo.InvariantCulture), props[c].Value.GetDouble());
            }
        }
    }

    [Fact]
    public void GroupWithTooFewPointsGetsAnErrorRowAndTheOthersGoOn()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", DecayData(2) + "short,0,1\n" + DecayData(1, key: _ => "last").Split('\n', 2)[1]);
        var r = Batch(data, dir.Combine("out.csv"));
        Assert.True(r.Code == 3, r.ToString());
        Assert.Contains("1 group failed", r.Stderr, StringComparison.Ordinal);
        var rows = Lines(dir.Combine("out.csv"));
        Assert.Equal(5, rows.Length);
        Assert.StartsWith("short,,,,,,,,,1 observation for 2 free parameters", rows[3], StringComparison.Ordinal);
        Assert.StartsWith("last,", rows[4], StringComparison.Ordinal);
        Assert.Equal("", rows[4].Split(',')[9]);
        Assert.Contains(",true,", rows[4], StringComparison.Ordinal);
    }

    [Fact]
    public void NonNumericCellFailsOnlyItsGroup()
    {
        using var dir = new TempDir();
        string text = DecayData(3).Replace("\n1,1,", "\n1,one,", StringComparison.Ordinal);
        var r = Batch(dir.File("d.csv", text), dir.Combine("out.csv"));
        Assert.True(r.Code == 3, r.ToString());
        var rows = Lines(dir.Combine("out.csv"));
        Assert.Equal(4, rows.Length);
        Assert.Contains("row 15, column 't': 'one' is not a number", rows[2], StringComparison.Ordinal);
        Assert.Contains(",true,", rows[1], StringComparison.Ordinal);
        Assert.Contains(",true,", rows[3], StringComparison.Ordinal);
    }

    [Fact]
    public void Beta0FromColumnsGivesEachGroupItsStart()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", DecayData(4, extraColumns: true));
        var r = CliRunner.Run("batch", data, "--group", "cell", "--x", "t", "--y", "signal", "--model", Model, "--beta0-from", "b0,b1", "--output", dir.Combine("out.csv"));
        Assert.True(r.Code == 0, r.ToString());

        // Group 2 alone, started from its own columns' values, given as --beta0.
        var g2Lines = DecayData(4, extraColumns: true).Split('\n').Where(l => l.StartsWith("2,", StringComparison.Ordinal)).ToList();
        string start = string.Join(",", g2Lines[0].Split(',')[3..]);
        string g2 = dir.File("g2.csv", "cell,t,signal,b0,b1\n" + string.Join("\n", g2Lines) + "\n");
        var alone = CliRunner.Run("batch", g2, "--group", "cell", "--x", "t", "--y", "signal", "--model", Model, "--beta0=" + start, "--output", dir.Combine("g2out.csv"));
        Assert.Equal(0, alone.Code);
        Assert.Equal(Lines(dir.Combine("g2out.csv"))[1], Lines(dir.Combine("out.csv"))[3]);

        var lines = DecayData(2, extraColumns: true).TrimEnd('\n').Split('\n');
        lines[^1] = lines[^1][..lines[^1].LastIndexOf(',')] + ",0.5";
        string varying = dir.File("v.csv", string.Join("\n", lines) + "\n");
        var v = CliRunner.Run("batch", varying, "--group", "cell", "--x", "t", "--y", "signal", "--model", Model, "--beta0-from", "b0,b1", "--output", dir.Combine("v.csv.out.csv"));
        Assert.Equal(3, v.Code);
        Assert.Contains("--beta0-from column 'b1' varies within the group", Lines(dir.Combine("v.csv.out.csv"))[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Fnv1aMatchesThePublishedTestVectors()
    {
        // From the FNV reference (Fowler, Noll, Vo): 64-bit FNV-1a.
        Assert.Equal(0xcbf29ce484222325UL, BatchShard.Hash(""));
        Assert.Equal(0xaf63dc4c8601ec8cUL, BatchShard.Hash("a"));
        Assert.Equal(0x85944171f73967e8UL, BatchShard.Hash("foobar"));
    }

    [Fact]
    public void ShardsSplitTheGroupsWhateverTheRowOrderAndMergeIntoTheWholeRun()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", DecayData(30));
        Assert.Equal(0, Batch(data, dir.Combine("all.csv")).Code);
        var shards = new List<string>();
        for (int k = 0; k < 3; k++)
        {
            string path = dir.Combine($"s{k}.csv");
            var r = Batch(data, path, "--shard", $"{k}/3");
            Assert.True(r.Code == 0, r.ToString());
            shards.Add(path);
        }
        var shardKeys = shards.Select(s => Lines(s).Skip(1).Select(l => l.Split(',')[0]).ToHashSet()).ToList();
        Assert.Equal(30, shardKeys.Sum(s => s.Count));
        Assert.All(shardKeys, s => Assert.NotEmpty(s));
        for (int k = 0; k < 3; k++) Assert.All(shardKeys[k], key => Assert.Equal((ulong)k, BatchShard.Hash(key) % 3));

        // The same groups in reverse order go to the same shards.
        var blocks = File.ReadAllText(data).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).GroupBy(l => l.Split(',')[0]).Reverse();
        string reversed = dir.File("r.csv", "cell,t,signal\n" + string.Join("\n", blocks.SelectMany(b => b)) + "\n");
        Assert.Equal(0, Batch(reversed, dir.Combine("r1.csv"), "--shard", "1/3").Code);
        Assert.Equal(shardKeys[1], Lines(dir.Combine("r1.csv")).Skip(1).Select(l => l.Split(',')[0]).ToHashSet());

        var merge = CliRunner.Run(["merge", dir.Combine("merged.csv"), .. shards]);
        Assert.True(merge.Code == 0, merge.ToString());
        Assert.Equal(File.ReadAllBytes(dir.Combine("all.csv")), File.ReadAllBytes(dir.Combine("merged.csv")));
    }

    /// <summary>Shards of a file sorted by group are in the merge order already: they are merged as
    /// read, one row of each held (memory flat in the number of groups); a shard in another order is
    /// read whole and sorted, into the same file.</summary>
    [Fact]
    public void MergeStreamsShardsInKeyOrderAndSortsOthersIntoTheSameFile()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", DecayData(30));
        Assert.Equal(0, Batch(data, dir.Combine("all.csv")).Code);
        var shards = Enumerable.Range(0, 3).Select(k => dir.Combine($"s{k}.csv")).ToList();
        for (int k = 0; k < 3; k++) Assert.Equal(0, Batch(data, shards[k], "--shard", $"{k}/3").Code);
        Assert.True(MergeRunner.MergePlan.Of(shards).Sorted);
        var streamed = CliRunner.Run(["merge", dir.Combine("streamed.csv"), .. shards]);
        Assert.True(streamed.Code == 0, streamed.ToString());
        Assert.Equal(File.ReadAllBytes(dir.Combine("all.csv")), File.ReadAllBytes(dir.Combine("streamed.csv")));

        var lines = Lines(shards[1]);
        File.WriteAllText(shards[1], string.Join("\n", lines.Take(1).Concat(lines.Skip(1).Reverse())) + "\n");
        Assert.False(MergeRunner.MergePlan.Of(shards).Sorted);
        var sorted = CliRunner.Run(["merge", dir.Combine("sorted.csv"), .. shards]);
        Assert.True(sorted.Code == 0, sorted.ToString());
        Assert.Equal(File.ReadAllBytes(dir.Combine("all.csv")), File.ReadAllBytes(dir.Combine("sorted.csv")));
    }

    [Fact]
    public void MergeReportsAMissingShardAndDuplicates()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", DecayData(20));
        Assert.Equal(0, Batch(data, dir.Combine("s0.csv"), "--shard", "0/3").Code);
        Assert.Equal(0, Batch(data, dir.Combine("s2.csv"), "--shard", "2/3").Code);
        var r = CliRunner.Run("merge", dir.Combine("m.csv"), dir.Combine("s0.csv"), dir.Combine("s2.csv"));
        Assert.True(r.Code == 3, r.ToString());
        Assert.Contains("shard 1/3 missing", r.Stderr, StringComparison.Ordinal);
        int missing = 20 - (Lines(dir.Combine("s0.csv")).Length - 1) - (Lines(dir.Combine("s2.csv")).Length - 1);
        Assert.Contains($"{missing} of the data's 20 groups are missing", r.Stderr, StringComparison.Ordinal);

        File.Copy(dir.Combine("s0.csv"), dir.Combine("copy.csv"));
        File.Copy(dir.Combine("s0.csv.meta.json"), dir.Combine("copy.csv.meta.json"));
        var dup = CliRunner.Run("merge", dir.Combine("m2.csv"), dir.Combine("s0.csv"), dir.Combine("copy.csv"));
        Assert.Contains("in more than one file with the same results, kept once", dup.Stderr, StringComparison.Ordinal);
        Assert.Equal(Lines(dir.Combine("s0.csv")).Length, Lines(dir.Combine("m2.csv")).Length);
    }

    [Fact]
    public void MergeRefusesResultsOfAnotherModel()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", DecayData(10));
        Assert.Equal(0, Batch(data, dir.Combine("s0.csv"), "--shard", "0/2").Code);
        Assert.Equal(0, Batch(data, dir.Combine("s1.csv"), "--shard", "1/2", "--maxit", "40").Code);
        var r = CliRunner.Run("merge", dir.Combine("m.csv"), dir.Combine("s0.csv"), dir.Combine("s1.csv"));
        AssertBadInput(r, "written by another batch", "maxit");
        Assert.False(File.Exists(dir.Combine("m.csv")));
    }

    [Fact]
    public void StoppedBatchKeepsFinishedGroupsAndResumeFinishesIt()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", DecayData(60));
        Assert.Equal(0, Batch(data, dir.Combine("all.csv")).Code);
        string output = dir.Combine("out.csv");
        using var stop = new CancellationTokenSource();
        var stdout = new StringWriter(CultureInfo.InvariantCulture);
        var stderr = new StringWriter(CultureInfo.InvariantCulture);
        // One thread: with two, one worker could still be in its first fit (JIT) while the other
        // finished every later group, and all of them would then be written in one go, past the stop.
        var options = new BatchJobOptions { DataPath = data, Group = "cell", X = "t", Y = "signal", Models = [Model], Beta0 = "2,0.3", Output = output, Threads = 1 };
        int code = BatchRunner.Run(options, stdout, stderr, stop.Token, written =>
        {
            if (written == 7) stop.Cancel();
        });
        Assert.True(code == BatchRunner.ExitInterrupted, stderr.ToString());
        Assert.Contains("--resume", stderr.ToString(), StringComparison.Ordinal);
        var partial = Lines(output);
        Assert.InRange(partial.Length - 1, 7, 59);
        var all = Lines(dir.Combine("all.csv"));
        Assert.All(partial, line => Assert.Contains(line, all));
        Assert.Contains("\"complete\": false", File.ReadAllText(output + ".meta.json"), StringComparison.Ordinal);

        var resumed = Batch(data, output, "--resume");
        Assert.True(resumed.Code == 0, resumed.ToString());
        Assert.Contains($"{partial.Length - 1} kept from before", resumed.Stdout, StringComparison.Ordinal);
        Assert.Equal(all.Order(StringComparer.Ordinal), Lines(output).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ResumeOfACompleteOutputFitsNothingAndKeepsIt()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", DecayData(8));
        string output = dir.Combine("out.jsonl");
        Assert.Equal(0, Batch(data, output).Code);
        var before = File.ReadAllBytes(output);
        var r = Batch(data, output, "--resume");
        Assert.True(r.Code == 0, r.ToString());
        Assert.Contains("odr batch: 0 groups", r.Stdout, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(output));
    }

    [Fact]
    public void UnsortedInputIsRefusedUnlessAskedAndThenMatchesTheSortedRun()
    {
        using var dir = new TempDir();
        var lines = DecayData(5).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        var body = lines.Skip(1).ToList();
        var interleaved = Enumerable.Range(0, 12).SelectMany(i => Enumerable.Range(0, 5).Select(g => body[(g * 12) + i]));
        string data = dir.File("u.csv", "cell,t,signal\n" + string.Join("\n", interleaved) + "\n");
        string output = dir.Combine("out.csv");
        File.WriteAllText(output, "precious");
        AssertBadInput(Batch(data, output), "not sorted by group", "group '0' appears again at row 6", "--unsorted");
        Assert.Equal("precious", File.ReadAllText(output));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp*"));

        Assert.Equal(0, Batch(data, output, "--unsorted").Code);
        Assert.Equal(0, Batch(dir.File("s.csv", DecayData(5)), dir.Combine("sorted.csv")).Code);
        Assert.Equal(File.ReadAllBytes(dir.Combine("sorted.csv")), File.ReadAllBytes(output));
    }

    private static void AssertBadInput(CliResult r, params string[] fragments)
    {
        Assert.True(r.Code == 2, r.ToString());
        string err = r.Stderr.TrimEnd('\r', '\n');
        Assert.DoesNotContain('\n', err);
        Assert.StartsWith("odr: ", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        foreach (var fragment in fragments) Assert.Contains(fragment, err, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingGroupColumnIsRefusedAndNothingIsWritten()
    {
        using var dir = new TempDir();
        string output = dir.Combine("out.csv");
        var r = CliRunner.Run("batch", dir.File("d.csv", DecayData(3)), "--group", "pixel", "--model", Model, "--beta0", "2,0.3", "--output", output);
        AssertBadInput(r, "unknown column 'pixel' in --group", "cell, t, signal");
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(dir.Path, "*out*"));
    }

    [Theory]
    [InlineData("4/4", "K must be below N")]
    [InlineData("5/4", "K must be below N")]
    [InlineData("1/0", "N must be at least 1")]
    [InlineData("a/4", "--shard must be K/N")]
    [InlineData("-1/4", "--shard must be K/N")]
    public void BadShardIsRefused(string shard, string fragment)
    {
        using var dir = new TempDir();
        var r = Batch(dir.File("d.csv", DecayData(3)), dir.Combine("out.csv"), "--shard", shard);
        AssertBadInput(r, fragment);
        Assert.False(File.Exists(dir.Combine("out.csv")));
    }

    [Fact]
    public void ResumeRefusesAResultsFileOfAnotherModelAndKeepsIt()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", DecayData(6));
        string output = dir.Combine("out.csv");
        Assert.Equal(0, Batch(data, output).Code);
        var before = File.ReadAllBytes(output);
        var r = CliRunner.Run("batch", data, "--group", "cell", "--x", "t", "--y", "signal", "--model", "B0*exp(-B1*t) + 0*B1", "--beta0", "2,0.3", "--output", output, "--resume");
        AssertBadInput(r, "--resume", "written by another batch", "models");
        Assert.Equal(before, File.ReadAllBytes(output));

        var shard = Batch(data, output, "--resume", "--shard", "0/2");
        AssertBadInput(shard, "holds shard none");

        File.Delete(output + ".meta.json");
        AssertBadInput(Batch(data, output, "--resume"), "has no out.csv.meta.json");
        Assert.Equal(before, File.ReadAllBytes(output));
    }

    [Theory]
    [InlineData("out.txt", ".csv, .jsonl or .parquet")]
    [InlineData("d.csv", "would overwrite the input file")]
    public void BadOutputIsRefused(string name, string fragment)
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", DecayData(2));
        AssertBadInput(Batch(data, dir.Combine(name)), fragment);
        Assert.Equal(DecayData(2), File.ReadAllText(data));
    }

    [Fact]
    public void GroupColumnNamedLikeAResultColumnIsRefused()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", DecayData(2).Replace("cell,", "error,", StringComparison.Ordinal));
        var r = CliRunner.Run("batch", data, "--group", "error", "--x", "t", "--y", "signal", "--model", Model, "--beta0", "2,0.3", "--output", dir.Combine("o.csv"));
        AssertBadInput(r, "also the name of a result column");
    }

    [Fact]
    public void KeysThatNeedQuotingRoundTripThroughResumeAndMerge()
    {
        using var dir = new TempDir();
        string[] keys = ["\"a, b\"", "\"#1\"", "\"d\"\"e\"", "x y"];
        string data = dir.File("d.csv", DecayData(4, key: g => keys[g]));
        Assert.Equal(0, Batch(data, dir.Combine("all.csv")).Code);
        var got = Lines(dir.Combine("all.csv")).Skip(1).ToList();
        Assert.Equal(4, got.Count);
        for (int g = 0; g < 4; g++) Assert.StartsWith(keys[g] + ",", got[g], StringComparison.Ordinal);
        Assert.Equal(0, Batch(data, dir.Combine("s0.csv"), "--shard", "0/2").Code);
        Assert.Equal(0, Batch(data, dir.Combine("s1.csv"), "--shard", "1/2").Code);
        Assert.Equal(0, CliRunner.Run("merge", dir.Combine("m.csv"), dir.Combine("s0.csv"), dir.Combine("s1.csv")).Code);
        Assert.Equal(Lines(dir.Combine("all.csv")).Order(StringComparer.Ordinal), Lines(dir.Combine("m.csv")).Order(StringComparer.Ordinal));
    }
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace Odr.Cli.Batch;

/// <summary>
/// Runs <c>odr merge</c>: joins the results files of one batch's shards into one, in group-key order
/// (numeric when every key is a number), and reports missing shards, missing groups and groups
/// found in more than one file. Files of different batches are refused.
/// </summary>
public static class MergeRunner
{
    /// <summary>Merges results files.</summary>
    /// <param name="output">The merged file (.csv, .jsonl or .parquet).</param>
    /// <param name="inputs">The shard outputs.</param>
    /// <param name="stdout">The summary.</param>
    /// <param name="stderr">Problems.</param>
    /// <returns>0 complete; 3 groups or shards missing (the merged file is still written); 2 bad input.</returns>
    public static int Run(string output, IReadOnlyList<string> inputs, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0) throw new CliException("give the results files to merge after the output file");
        var format = ResultFile.FormatOf(output, "odr merge");
        foreach (var input in inputs)
        {
            if (!File.Exists(input)) throw new CliException($"file not found: {input}");
            AtomicFile.CheckDestination(output, "odr merge", input);
            if (string.Equals(Path.GetFullPath(BatchMeta.PathFor(output)), Path.GetFullPath(input), StringComparison.Ordinal))
            {
                throw new CliException($"odr merge: {BatchMeta.PathFor(output)} would overwrite an input file");
            }
        }
        if (inputs.Distinct().Count() != inputs.Count) throw new CliException("odr merge: a file is given twice");

        // The batch descriptions must agree; the shards say what is missing.
        var metas = inputs.Select(i => BatchMeta.Read(i, "odr merge")).ToList();
        var batch = metas[0]["batch"] as JsonObject ?? throw new CliException($"{BatchMeta.PathFor(inputs[0])} has no batch description");
        for (int i = 1; i < inputs.Count; i++)
        {
            string? difference = BatchMeta.Difference(batch, metas[i]["batch"]);
            if (difference is not null) throw new CliException($"{inputs[i]} was written by another batch than {inputs[0]} ({difference}); only shards of one batch can be merged");
        }
        var problems = new List<string>();
        var shards = metas.Select(m => m["shard"]?.GetValue<string>()).Select(s => s is null ? null : BatchShard.Parse(s)).ToList();
        long? expected = null;
        if (shards.All(s => s is not null) && shards.Select(s => s!.Count).Distinct().Count() == 1)
        {
            int n = shards[0]!.Count;
            var missing = Enumerable.Range(0, n).Where(k => !shards.Any(s => s!.Index == k)).ToList();
            if (missing.Count > 0) problems.Add($"shard{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing.Select(k => $"{k}/{n}"))} missing");
            var groupsInData = metas.Select(m => m["groups_in_data"]?.GetValue<long>()).Where(g => g is not null).Distinct().ToList();
            if (groupsInData.Count == 1) expected = groupsInData[0];
        }
        else if (shards.Any(s => s is not null))
        {
            problems.Add("the files are not shards K/N of one N: missing groups cannot be told");
        }
        else if (inputs.Count == 1 && metas[0]["groups_in_data"]?.GetValue<long>() is { } all)
        {
            expected = all;
        }
        for (int i = 0; i < inputs.Count; i++)
        {
            if (metas[i]["complete"]?.GetValue<bool>() != true) problems.Add($"{inputs[i]} is incomplete (its batch was stopped; finish it with --resume)");
        }

        // Rows of every file; one list (results are one short row per group).
        string[]? columns = null;
        var rows = new List<(ResultRow Row, int File)>();
        for (int i = 0; i < inputs.Count; i++)
        {
            foreach (var (cols, row) in ResultFile.Read(inputs[i], ResultFile.FormatOf(inputs[i], "odr merge"), columns))
            {
                columns ??= cols;
                if (row is not null) rows.Add((row, i));
            }
        }
        // Numeric order when every key is a number, else ordinal order of the text.
        var numbers = new double[rows.Count];
        bool numeric = true;
        for (int r = 0; r < rows.Count && numeric; r++)
        {
            numeric = double.TryParse(rows[r].Row.Key, NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[r]) && double.IsFinite(numbers[r]);
        }
        var order = Enumerable.Range(0, rows.Count).ToArray();
        Array.Sort(order, (a, b) =>
        {
            int c = numeric ? numbers[a].CompareTo(numbers[b]) : 0;
            if (c == 0) c = string.CompareOrdinal(rows[a].Row.Key, rows[b].Row.Key);
            return c != 0 ? c : rows[a].File.CompareTo(rows[b].File);
        });
        rows = [.. order.Select(i => rows[i])];
        var merged = new List<ResultRow>(rows.Count);
        var duplicated = new List<string>();
        for (int r = 0; r < rows.Count; r++)
        {
            if (r > 0 && rows[r].Row.Key == rows[r - 1].Row.Key)
            {
                if (!Same(rows[r].Row, rows[r - 1].Row))
                {
                    throw new CliException($"group '{rows[r].Row.Key}' is in {inputs[rows[r - 1].File]} and {inputs[rows[r].File]} with different results; remove the wrong file");
                }
                if (duplicated.Count == 0 || duplicated[^1] != rows[r].Row.Key) duplicated.Add(rows[r].Row.Key);
                continue;
            }
            merged.Add(rows[r].Row);
        }
        if (duplicated.Count > 0)
        {
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"odr: warning: {duplicated.Count} group{(duplicated.Count == 1 ? " is" : "s are")} in more than one file with the same results, kept once: {string.Join(", ", duplicated.Take(5).Select(k => $"'{k}'"))}{(duplicated.Count > 5 ? ", ..." : "")}"));
        }
        if (expected is { } total && merged.Count != total)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{total - merged.Count} of the data's {total} groups are missing"));
        }

        AtomicFile.Write(output, temp =>
        {
            using var writer = ResultFile.CreateWriter(temp, format, columns!);
            foreach (var row in merged) writer.Write(row);
        });
        bool complete = problems.Count == 0;
        BatchMeta.Write(output, BatchMeta.Create(metas[0]["data"]?.GetValue<string>() ?? "", (JsonObject)batch.DeepClone(), null, complete, expected ?? merged.Count, merged.Count, merged.Count));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"odr merge: {merged.Count} groups from {inputs.Count} file{(inputs.Count == 1 ? "" : "s")}; results in {output}"));
        if (!complete)
        {
            stderr.WriteLine($"odr: the merged results are incomplete: {string.Join("; ", problems)}");
            return FitRunner.ExitNotConverged;
        }
        return FitRunner.ExitConverged;
    }

    private static bool Same(ResultRow a, ResultRow b) =>
        a.Key == b.Key && a.Info == b.Info && a.Converged == b.Converged && a.Iterations == b.Iterations && a.Error == b.Error
        && a.ResVar.Equals(b.ResVar) && a.Beta.SequenceEqual(b.Beta) && a.SdBeta.SequenceEqual(b.SdBeta)
        && (a.Inference ?? []).SequenceEqual(b.Inference ?? []);
}

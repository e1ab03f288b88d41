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

        // Numeric order when every key is a number, else ordinal order of the text. Files already in
        // that order (shards of a file sorted by group) are merged as they are read, holding one row
        // per file; others are read whole and sorted.
        var plan = MergePlan.Of(inputs);
        string[] columns = plan.Columns;
        var comparer = new KeyOrder(plan.Numeric);
        var duplicated = new List<string>();
        int duplicates = 0;
        long mergedCount = 0;
        ResultRow? last = null;
        int lastFile = -1;

        // Every row in merged order once: a group in several files with the same results is kept
        // once (and reported), with different results refused.
        bool Keep(ResultRow row, int file)
        {
            if (last is not null && row.Key == last.Key)
            {
                if (!Same(row, last)) throw new CliException($"group '{row.Key}' is in {inputs[lastFile]} and {inputs[file]} with different results; remove the wrong file");
                if (duplicated.Count == 0 || duplicated[^1] != row.Key)
                {
                    duplicates++;
                    if (duplicated.Count < 6) duplicated.Add(row.Key);
                }
                return false;
            }
            last = row;
            lastFile = file;
            mergedCount++;
            return true;
        }

        AtomicFile.Write(output, temp =>
        {
            using var writer = ResultFile.CreateWriter(temp, format, columns);
            foreach (var (row, file) in plan.Sorted ? Streamed(inputs, columns, comparer) : ReadAndSorted(inputs, columns, comparer))
            {
                if (Keep(row, file)) writer.Write(row);
            }
        });
        if (duplicates > 0)
        {
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"odr: warning: {duplicates} group{(duplicates == 1 ? " is" : "s are")} in more than one file with the same results, kept once: {string.Join(", ", duplicated.Take(5).Select(k => $"'{k}'"))}{(duplicates > 5 ? ", ..." : "")}"));
        }
        if (expected is { } total && mergedCount != total)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{total - mergedCount} of the data's {total} groups are missing"));
        }

        bool complete = problems.Count == 0;
        BatchMeta.Write(output, BatchMeta.Create(metas[0]["data"]?.GetValue<string>() ?? "", (JsonObject)batch.DeepClone(), null, complete, expected ?? mergedCount, mergedCount, mergedCount));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"odr merge: {mergedCount} groups from {inputs.Count} file{(inputs.Count == 1 ? "" : "s")}; results in {output}"));
        if (!complete)
        {
            stderr.WriteLine($"odr: the merged results are incomplete: {string.Join("; ", problems)}");
            return FitRunner.ExitNotConverged;
        }
        return FitRunner.ExitConverged;
    }

    /// <summary>The rows of files that each follow the merge order, merged as read (k-way): one row per
    /// file held.</summary>
    private static IEnumerable<(ResultRow Row, int File)> Streamed(IReadOnlyList<string> inputs, string[] columns, KeyOrder order)
    {
        var readers = new List<IEnumerator<(string[] Columns, ResultRow? Row)>>();
        try
        {
            var heads = new PriorityQueue<int, KeyedRow>(order);
            for (int i = 0; i < inputs.Count; i++)
            {
                readers.Add(ResultFile.Read(inputs[i], ResultFile.FormatOf(inputs[i], "odr merge"), columns).GetEnumerator());
                if (NextRow(readers[i]) is { } row) heads.Enqueue(i, order.Keyed(row, i));
            }
            while (heads.TryDequeue(out int file, out var head))
            {
                yield return (head.Row, file);
                if (NextRow(readers[file]) is { } row) heads.Enqueue(file, order.Keyed(row, file));
            }
        }
        finally
        {
            foreach (var reader in readers) reader.Dispose();
        }
    }

    private static ResultRow? NextRow(IEnumerator<(string[] Columns, ResultRow? Row)> reader)
    {
        while (reader.MoveNext())
        {
            if (reader.Current.Row is { } row) return row;
        }
        return null;
    }

    /// <summary>The rows of every file, held and sorted into the merge order.</summary>
    private static IEnumerable<(ResultRow Row, int File)> ReadAndSorted(IReadOnlyList<string> inputs, string[] columns, KeyOrder order)
    {
        var rows = new List<KeyedRow>();
        for (int i = 0; i < inputs.Count; i++)
        {
            foreach (var (_, row) in ResultFile.Read(inputs[i], ResultFile.FormatOf(inputs[i], "odr merge"), columns))
            {
                if (row is not null) rows.Add(order.Keyed(row, i));
            }
        }
        rows.Sort(order);
        return rows.Select(r => (r.Row, r.File));
    }

    /// <summary>A row with its file and its key as a number (parsed once, when it is read).</summary>
    private readonly record struct KeyedRow(ResultRow Row, int File, double Number);

    /// <summary>The merge order: by number when every key is one (then by text), else by text
    /// (ordinal); the file's position breaks ties.</summary>
    private sealed class KeyOrder(bool numeric) : IComparer<KeyedRow>
    {
        public KeyedRow Keyed(ResultRow row, int file) =>
            new(row, file, numeric ? double.Parse(row.Key, NumberStyles.Float, CultureInfo.InvariantCulture) : 0);

        public int Compare(KeyedRow a, KeyedRow b)
        {
            int c = a.Number.CompareTo(b.Number);
            if (c == 0) c = string.CompareOrdinal(a.Row.Key, b.Row.Key);
            return c != 0 ? c : a.File.CompareTo(b.File);
        }
    }

    /// <summary>What a first pass over the keys tells: the files' columns, whether every key is a
    /// number, and whether every file already follows the merge order (its keys rising in it; a file
    /// that repeats a key is sorted with the rest, to the same result).</summary>
    internal sealed record MergePlan(string[] Columns, bool Numeric, bool Sorted)
    {
        public static MergePlan Of(IReadOnlyList<string> inputs)
        {
            string[]? columns = null;
            bool numeric = true, byNumber = true, byText = true;
            for (int i = 0; i < inputs.Count; i++)
            {
                var keys = new RisingKeys();
                foreach (var (cols, row) in ResultFile.Read(inputs[i], ResultFile.FormatOf(inputs[i], "odr merge"), columns))
                {
                    columns ??= cols;
                    if (row is null) continue;
                    numeric &= double.TryParse(row.Key, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && double.IsFinite(number);
                    keys.Next(row.Key);
                }
                byText &= keys.ByText;
                byNumber &= keys.ByNumber;
            }
            return new MergePlan(columns ?? throw new CliException($"{inputs[0]} has no header"), numeric, numeric ? byNumber : byText);
        }
    }

    private static bool Same(ResultRow a, ResultRow b) =>
        a.Key == b.Key && a.Info == b.Info && a.Converged == b.Converged && a.Iterations == b.Iterations && a.Error == b.Error
        && a.ResVar.Equals(b.ResVar) && a.Beta.SequenceEqual(b.Beta) && a.SdBeta.SequenceEqual(b.SdBeta)
        && (a.Inference ?? []).SequenceEqual(b.Inference ?? []);
}

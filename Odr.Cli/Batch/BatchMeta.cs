using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Odr.Cli.Batch;

/// <summary>
/// The description written beside a results file (FILE.meta.json): which batch wrote it (model,
/// columns, starting values, options), which shard, whether it is complete and how many groups the
/// data had. <c>--resume</c> and <c>odr merge</c> read it so results of different batches never mix.
/// </summary>
internal static class BatchMeta
{
    /// <summary>The description's path for a results file.</summary>
    public static string PathFor(string output) => output + ".meta.json";

    public static JsonObject Create(string dataPath, JsonObject batch, BatchShard? shard, bool complete, long groupsInData, long groupsInShard, long rows) => new()
    {
        ["odr_batch"] = 1,
        ["version"] = CliApp.Version,
        ["data"] = dataPath,
        ["batch"] = batch,
        ["shard"] = shard?.ToString(),
        ["complete"] = complete,
        ["groups_in_data"] = complete ? groupsInData : null,
        ["groups_in_shard"] = complete ? groupsInShard : null,
        ["rows"] = rows,
    };

    public static void Write(string output, JsonObject meta) =>
        AtomicFile.WriteText(PathFor(output), meta.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");

    /// <summary>Reads the description of a results file.</summary>
    /// <exception cref="CliException">It is missing or unreadable.</exception>
    public static JsonObject Read(string output, string why)
    {
        string path = PathFor(output);
        if (!File.Exists(path)) throw new CliException($"{why}: {output} has no {Path.GetFileName(path)} beside it (the description of the batch that wrote it), so its model cannot be checked");
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new CliException($"{path} is not an odr batch description");
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {path}: {e.Message}", e);
        }
    }

    /// <summary>The first difference between two batch descriptions, or null when they are the same.</summary>
    public static string? Difference(JsonObject expected, JsonNode? actual)
    {
        if (actual is not JsonObject other) return "it has no batch description";
        foreach (var (key, value) in expected)
        {
            var theirs = other[key];
            if (!JsonNode.DeepEquals(value, theirs))
            {
                return string.Create(CultureInfo.InvariantCulture, $"{key} is {Show(theirs)}, not {Show(value)}");
            }
        }
        foreach (var (key, _) in other)
        {
            if (!expected.ContainsKey(key)) return $"it has {key}, which this batch has not";
        }
        return null;
    }

    private static string Show(JsonNode? node) => node is null ? "none" : node.ToJsonString();
}

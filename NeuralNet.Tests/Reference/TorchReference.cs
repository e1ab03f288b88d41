using System.Text.Json;

namespace NeuralNet.Tests.Reference;

/// <summary>Reads Data/torch_reference.json, written by Data/make_reference.py.</summary>
internal static class TorchReference
{
    private static readonly Lazy<JsonElement[]> Cases = new(() =>
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Data", "torch_reference.json");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        return [.. doc.RootElement.GetProperty("cases").EnumerateArray().Select(e => e.Clone())];
    });

    public static int Count => Cases.Value.Length;

    public static JsonElement Case(int index) => Cases.Value[index];

    public static DoubleTensor ToTensor(JsonElement array)
    {
        int[] shape = [.. array.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32())];
        double[] data = [.. array.GetProperty("data").EnumerateArray().Select(e => e.GetDouble())];
        return new DoubleTensor(data, shape);
    }

    public static DoubleTensor[] ToTensors(JsonElement list) => [.. list.EnumerateArray().Select(ToTensor)];
}

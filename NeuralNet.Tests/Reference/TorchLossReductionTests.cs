using System.Text.Json;
using NeuralNet.Losses;

namespace NeuralNet.Tests.Reference;

/// <summary>Loss values and gradients with mean and sum reduction against PyTorch (Data/torch_losses.json).</summary>
public class TorchLossReductionTests
{
    private static readonly Lazy<JsonElement[]> Cases = new(() =>
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Data", "torch_losses.json");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        return [.. doc.RootElement.GetProperty("cases").EnumerateArray().Select(e => e.Clone())];
    });

    public static TheoryData<int> Indices => [.. Enumerable.Range(0, Cases.Value.Length)];

    private static Loss Create(string name, LossReduction reduction) => name switch
    {
        "mse" => new MeanSquaredError { Reduction = reduction },
        "mae" => new MeanAbsoluteError { Reduction = reduction },
        "huber1" => new Huber(1.0) { Reduction = reduction },
        "huber0.3" => new Huber(0.3) { Reduction = reduction },
        "bce" => new BinaryCrossEntropy() { Reduction = reduction },
        "bce_logits" => new BinaryCrossEntropy(fromLogits: true) { Reduction = reduction },
        "cce_logits" => new CategoricalCrossEntropy(fromLogits: true) { Reduction = reduction },
        "cce" => new CategoricalCrossEntropy() { Reduction = reduction },
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Indices))]
    public void LossAndGradientMatchPyTorch(int index)
    {
        JsonElement c = Cases.Value[index];
        var reduction = c.GetProperty("reduction").GetString() == "sum" ? LossReduction.Sum : LossReduction.Mean;
        Loss loss = Create(c.GetProperty("loss").GetString()!, reduction);
        DoubleTensor predicted = TorchReference.ToTensor(c.GetProperty("predicted"));
        DoubleTensor target = TorchReference.ToTensor(c.GetProperty("target"));
        DoubleTensor expectedGradient = TorchReference.ToTensor(c.GetProperty("gradient"));
        var gradient = new DoubleTensor(predicted.Shape);
        double value = loss.Compute(predicted, target, gradient);
        double expected = c.GetProperty("value").GetDouble();
        Assert.True(Math.Abs(value - expected) <= 1e-14 * Math.Max(1.0, Math.Abs(expected)), $"{loss.Name} {reduction}: {value:R} vs {expected:R}");
        for (int i = 0; i < gradient.Length; i++)
        {
            double e = expectedGradient.Data[i];
            Assert.True(Math.Abs(gradient.Data[i] - e) <= 1e-14 * Math.Max(1.0, Math.Abs(e)), $"{loss.Name} {reduction} gradient[{i}]: {gradient.Data[i]:R} vs {e:R}");
        }
    }
}

using System.Text.Json;
using NeuralNet.Layers;
using NeuralNet.Tests.Helpers;

namespace NeuralNet.Tests.Reference;

/// <summary>
/// Outputs and gradients for Keras-layout weights agree with PyTorch (float64) to 1e-10.
/// The numbers come from Data/make_reference.py; the objective is L = Σ upstream ⊙ outputs,
/// with outputs (sequence, final h[, final c]) for recurrent layers and (y) for Conv1D.
/// </summary>
public class TorchReferenceTests
{
    private const double Tolerance = 1e-10;

    public static TheoryData<int, string> CaseIndices()
    {
        var data = new TheoryData<int, string>();
        for (int i = 0; i < TorchReference.Count; i++)
        {
            data.Add(i, Describe(TorchReference.Case(i)));
        }

        return data;
    }

    [Fact]
    public void TheReferenceFileCoversEveryLayerAndMode()
    {
        string[] described = [.. Enumerable.Range(0, TorchReference.Count).Select(i => Describe(TorchReference.Case(i)))];
        Assert.Contains(described, d => d.StartsWith("simple_rnn", StringComparison.Ordinal));
        Assert.Contains(described, d => d.StartsWith("lstm", StringComparison.Ordinal));
        Assert.Contains(described, d => d.StartsWith("gru reset_after=True", StringComparison.Ordinal));
        Assert.Contains(described, d => d.StartsWith("gru reset_after=False", StringComparison.Ordinal));
        foreach (string padding in new[] { "valid", "same", "causal" })
        {
            Assert.Contains(described, d => d.Contains($"padding={padding}", StringComparison.Ordinal) && d.Contains("stride=2", StringComparison.Ordinal));
            Assert.Contains(described, d => d.Contains($"padding={padding}", StringComparison.Ordinal) && d.Contains("dilation=2", StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void OutputsAndGradientsMatchPyTorch(int index, string description)
    {
        JsonElement c = TorchReference.Case(index);
        DoubleTensor x = TorchReference.ToTensor(c.GetProperty("input"));
        Layer layer = CreateLayer(c);
        layer.Build(x.Shape[1..]);
        layer.SetWeights(TorchReference.ToTensors(c.GetProperty("weights")));

        ForwardPass pass = layer.Forward([x]);
        DoubleTensor[] expectedOutputs = TorchReference.ToTensors(c.GetProperty("outputs"));
        Assert.Equal(expectedOutputs.Length, pass.Outputs.Count);
        for (int k = 0; k < expectedOutputs.Length; k++)
        {
            Assert.Equal(expectedOutputs[k].Shape, pass.Outputs[k].Shape);
            Assertions.AllClose(expectedOutputs[k].Span, pass.Outputs[k].Span, Tolerance, $"{description} output {k}");
        }

        layer.ZeroGradients();
        DoubleTensor[] dx = layer.Backward(pass, TorchReference.ToTensors(c.GetProperty("upstream")));
        Assertions.AllClose(TorchReference.ToTensor(c.GetProperty("grad_input")).Span, dx[0].Span, Tolerance, $"{description} dL/dx");
        DoubleTensor[] expectedGrads = TorchReference.ToTensors(c.GetProperty("grad_weights"));
        Assert.Equal(expectedGrads.Length, layer.Parameters.Count);
        for (int k = 0; k < expectedGrads.Length; k++)
        {
            Assert.Equal(expectedGrads[k].Shape, layer.Parameters[k].Shape);
            Assertions.AllClose(expectedGrads[k].Span, layer.Parameters[k].Gradient.Span, Tolerance, $"{description} dL/d{layer.Parameters[k].Name}");
        }
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void PyTorchLayoutImportReproducesTheOutputs(int index, string description)
    {
        JsonElement c = TorchReference.Case(index);
        if (!c.TryGetProperty("torch_weights", out JsonElement torchWeights))
        {
            // GRU(reset_after=False) has no PyTorch module; importing must be refused.
            Layer gru = CreateLayer(c);
            gru.Build(TorchReference.ToTensor(c.GetProperty("input")).Shape[1..]);
            Assert.Throws<NotSupportedException>(() => gru.GetTorchWeights());
            return;
        }

        DoubleTensor x = TorchReference.ToTensor(c.GetProperty("input"));
        Layer layer = CreateLayer(c);
        layer.Build(x.Shape[1..]);
        layer.SetTorchWeights(TorchReference.ToTensors(torchWeights));

        IReadOnlyList<DoubleTensor> outputs = layer.Forward([x]).Outputs;
        DoubleTensor[] expected = TorchReference.ToTensors(c.GetProperty("outputs"));
        for (int k = 0; k < expected.Length; k++)
        {
            Assertions.AllClose(expected[k].Span, outputs[k].Span, Tolerance, $"{description} output {k}");
        }

        // Keras weights after the import equal the Keras weights of the case (bias split summed back).
        DoubleTensor[] keras = TorchReference.ToTensors(c.GetProperty("weights"));
        DoubleTensor[] imported = layer.GetWeights();
        for (int k = 0; k < keras.Length; k++)
        {
            Assertions.AllClose(keras[k].Span, imported[k].Span, 1e-14, $"{description} weight {k}");
        }

        // Export and re-import is the identity on the Keras weights.
        Layer copy = CreateLayer(c);
        copy.Build(x.Shape[1..]);
        copy.SetTorchWeights(layer.GetTorchWeights());
        DoubleTensor[] roundTrip = copy.GetWeights();
        for (int k = 0; k < keras.Length; k++)
        {
            Assert.Equal(imported[k].Data, roundTrip[k].Data);
        }
    }

    private static Layer CreateLayer(JsonElement c)
    {
        var sequences = new RecurrentOptions { ReturnSequences = true, ReturnState = true };
        return c.GetProperty("layer").GetString() switch
        {
            "simple_rnn" => new SimpleRnn(c.GetProperty("units").GetInt32(), sequences),
            "lstm" => new Lstm(c.GetProperty("units").GetInt32(), sequences),
            "gru" => new Gru(c.GetProperty("units").GetInt32(), sequences, c.GetProperty("reset_after").GetBoolean()),
            "conv1d" => new Conv1D(
                c.GetProperty("filters").GetInt32(),
                c.GetProperty("kernel_size").GetInt32(),
                c.GetProperty("strides").GetInt32(),
                c.GetProperty("padding").GetString() switch
                {
                    "valid" => Padding.Valid,
                    "same" => Padding.Same,
                    _ => Padding.Causal,
                },
                c.GetProperty("dilation_rate").GetInt32()),
            var other => throw new InvalidOperationException($"Unknown layer {other}"),
        };
    }

    private static string Describe(JsonElement c)
    {
        string layer = c.GetProperty("layer").GetString()!;
        string shape = string.Join("x", c.GetProperty("input").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        return layer switch
        {
            "gru" => $"gru reset_after={(c.GetProperty("reset_after").GetBoolean() ? "True" : "False")} {shape}",
            "conv1d" => $"conv1d k={c.GetProperty("kernel_size").GetInt32()} stride={c.GetProperty("strides").GetInt32()} dilation={c.GetProperty("dilation_rate").GetInt32()} padding={c.GetProperty("padding").GetString()} {shape}",
            _ => $"{layer} {shape}",
        };
    }
}

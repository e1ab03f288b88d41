using System.Text.Json;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Tests.Helpers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Reference;

/// <summary>
/// Masked recurrent layers against Keras' masking semantics written out in NumPy, and the final states of post-padded
/// batches against PyTorch's pack_padded_sequence (Data/make_masking_reference.py); gradients against finite differences.
/// </summary>
public class MaskingReferenceTests
{
    private const double Tolerance = 1e-13;

    private static readonly Lazy<JsonElement[]> Cases = new(() =>
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Data", "masking_reference.json");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        return [.. doc.RootElement.GetProperty("cases").EnumerateArray().Select(e => e.Clone())];
    });

    public static TheoryData<int> Indices => [.. Enumerable.Range(0, Cases.Value.Length)];

    private static RecurrentLayer Create(JsonElement c, bool returnSequences)
    {
        var options = new RecurrentOptions { ReturnSequences = returnSequences, ReturnState = true, Seed = 1 };
        int units = c.GetProperty("units").GetInt32();
        return c.GetProperty("layer").GetString() switch
        {
            "simple_rnn" => new SimpleRnn(units, options),
            "lstm" => new Lstm(units, options),
            _ => new Gru(units, options, c.GetProperty("reset_after").GetBoolean()),
        };
    }

    private static bool[] Mask(JsonElement c)
        => [.. c.GetProperty("mask").EnumerateArray().SelectMany(row => row.EnumerateArray().Select(v => v.GetBoolean()))];

    private static (DoubleTensor[] Inputs, bool[]?[] Masks) Inputs(JsonElement c)
    {
        DoubleTensor x = TorchReference.ToTensor(c.GetProperty("input"));
        bool[] mask = Mask(c);
        if (c.GetProperty("initial_states").ValueKind == JsonValueKind.Null)
        {
            return ([x], [mask]);
        }

        DoubleTensor[] initial = TorchReference.ToTensors(c.GetProperty("initial_states"));
        return ([x, .. initial], [mask, .. initial.Select(_ => (bool[]?)null)]);
    }

    [Theory]
    [MemberData(nameof(Indices))]
    public void MaskedOutputsAndStatesMatchKerasSemantics(int index)
    {
        JsonElement c = Cases.Value[index];
        (DoubleTensor[] inputs, bool[]?[] masks) = Inputs(c);
        foreach (bool sequences in new[] { true, false })
        {
            RecurrentLayer layer = Create(c, sequences);
            layer.Build([.. inputs.Select(t => t.Shape[1..])]);
            layer.SetWeights(TorchReference.ToTensors(c.GetProperty("weights")));
            ForwardPass pass = layer.Forward(inputs, masks);
            DoubleTensor expected = TorchReference.ToTensor(c.GetProperty(sequences ? "sequence" : "last"));
            Assert.Equal(expected.Shape, pass.Outputs[0].Shape);
            Assertions.AllClose(expected.Span, pass.Outputs[0].Span, Tolerance, $"case {index} output");
            DoubleTensor[] states = TorchReference.ToTensors(c.GetProperty("states"));
            for (int s = 0; s < states.Length; s++)
            {
                Assertions.AllClose(states[s].Span, pass.Outputs[1 + s].Span, Tolerance, $"case {index} state {s}");
            }

            if (c.TryGetProperty("torch_states", out JsonElement ts))
            {
                DoubleTensor[] torchStates = TorchReference.ToTensors(ts);
                for (int s = 0; s < torchStates.Length; s++)
                {
                    Assertions.AllClose(torchStates[s].Span, pass.Outputs[1 + s].Span, Tolerance, $"case {index} PyTorch state {s}");
                }
            }

            Assert.Equal(sequences ? masks[0] : null, pass.OutputMasks[0]);
        }
    }

    [Theory]
    [MemberData(nameof(Indices))]
    public void MaskedGradientsMatchFiniteDifferences(int index)
    {
        JsonElement c = Cases.Value[index];
        (DoubleTensor[] inputs, bool[]?[] masks) = Inputs(c);
        foreach (bool sequences in new[] { true, false })
        {
            RecurrentLayer layer = Create(c, sequences);
            GraphTensor[] symbols = [.. inputs.Select(t => Network.Input(t.Shape[1..]))];
            GraphTensor[] outs = layer.CallMany(symbols);
            var model = new Network(symbols, outs);
            layer.SetWeights(TorchReference.ToTensors(c.GetProperty("weights")));
            var random = new Random(index);
            DoubleTensor[] targets = [.. outs.Select(o => TestRandom.DoubleTensor(random, 1.0, [inputs[0].Shape[0], .. o.Shape]))];
            GradientCheckResult result = GradientCheck.Check(model, inputs, targets, new MeanSquaredError(), masks: masks);
            Assert.True(result.Passed, result.ToString());
        }
    }

    [Fact]
    public void MaskedStepsGetNoInputGradientAndTheirValuesDoNotMatter()
    {
        JsonElement c = Cases.Value[1];
        (DoubleTensor[] inputs, bool[]?[] masks) = Inputs(c);
        RecurrentLayer layer = Create(c, true);
        layer.Build(inputs[0].Shape[1..]);
        layer.SetWeights(TorchReference.ToTensors(c.GetProperty("weights")));
        ForwardPass pass = layer.Forward(inputs, masks);
        DoubleTensor garbage = inputs[0].Clone();
        int width = garbage.Shape[2];
        for (int s = 0; s < masks[0]!.Length; s++)
        {
            if (!masks[0]![s])
            {
                garbage.Span.Slice(s * width, width).Fill(1e6);
            }
        }

        Assert.Equal(pass.Outputs[0].Data, layer.Forward([garbage], masks).Outputs[0].Data);
        DoubleTensor dx = layer.Backward(pass, [TestRandom.DoubleTensor(new Random(2), 1.0, pass.Outputs[0].Shape), null, null])[0];
        for (int s = 0; s < masks[0]!.Length; s++)
        {
            if (!masks[0]![s])
            {
                Assert.All(dx.Span.Slice(s * width, width).ToArray(), v => Assert.Equal(0.0, v));
            }
        }
    }
}

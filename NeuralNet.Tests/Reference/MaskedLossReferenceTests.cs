using System.Text.Json;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Preprocessing;
using NeuralNet.Tests.Helpers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Reference;

/// <summary>
/// The mask of a sequence output reaches the loss as in Keras 3: masked steps contribute nothing and the mean divides by
/// the number of unmasked steps. Loss values and weight gradients against the PyTorch-autograd reference in
/// Data/make_masking_reference.py ("loss_cases"), and padded against unpadded training.
/// </summary>
public class MaskedLossReferenceTests
{
    private const double Tolerance = 1e-13;

    private static readonly Lazy<JsonElement[]> Cases = new(() =>
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Data", "masking_reference.json");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        return [.. doc.RootElement.GetProperty("loss_cases").EnumerateArray().Select(e => e.Clone())];
    });

    public static TheoryData<int> Indices => [.. Enumerable.Range(0, Cases.Value.Length)];

    private static (Network Model, Loss Loss) Create(JsonElement c, int time, int features)
    {
        int units = c.GetProperty("units").GetInt32(), outputs = c.GetProperty("outputs").GetInt32();
        var options = new RecurrentOptions { ReturnSequences = true };
        Layer recurrent = c.GetProperty("layer").GetString() == "lstm" ? new Lstm(units, options) : new SimpleRnn(units, options);
        bool mse = c.GetProperty("loss").GetString() == "mse";
        var dense = new Dense(outputs, mse ? "linear" : "softmax");
        Network model = Network.Sequential([time, features], 1, recurrent, dense);
        model.SetWeights(TorchReference.ToTensors(c.GetProperty("weights")));
        return (model, mse ? new MeanSquaredError() : new CategoricalCrossEntropy());
    }

    private static bool[] Mask(JsonElement c)
        => [.. c.GetProperty("mask").EnumerateArray().SelectMany(row => row.EnumerateArray().Select(v => v.GetBoolean()))];

    [Theory]
    [MemberData(nameof(Indices))]
    public void MaskedLossAndGradientsMatchKeras(int index)
    {
        JsonElement c = Cases.Value[index];
        DoubleTensor x = TorchReference.ToTensor(c.GetProperty("input"));
        DoubleTensor target = TorchReference.ToTensor(c.GetProperty("target"));
        (Network model, Loss loss) = Create(c, x.Shape[1], x.Shape[2]);

        model.ZeroGradients();
        DoubleTensor y = model.Forward([x], [Mask(c)], training: true)[0];
        Assert.Equal(Mask(c), model.OutputMasks[0]);
        var g = new DoubleTensor(y.Shape);
        double value = loss.Compute(y, target, g, model.OutputMasks[0]);
        model.AccumulateGradients([g]);

        double expected = c.GetProperty("value").GetDouble();
        Assert.True(Math.Abs(value - expected) <= Tolerance * Math.Abs(expected), $"loss {value:R}, expected {expected:R}");
        DoubleTensor[] gradients = TorchReference.ToTensors(c.GetProperty("gradients"));
        for (int k = 0; k < gradients.Length; k++)
        {
            Assertions.AllClose(gradients[k].Span, model.Parameters[k].Gradient.Span, Tolerance, $"case {index} gradient {k}");
        }
    }

    [Fact]
    public void PaddedBatchHasTheGradientsOfItsUnpaddedSequences()
    {
        // Lengths 5 and 2 padded to 7: the mean over the 7 unmasked steps of the padded batch is the sum of the two
        // sequences' summed losses (each run alone, unpadded, no mask) divided by 7; the padding values do not matter.
        var random = new Random(7);
        int[] lengths = [5, 2];
        const int Time = 7, Features = 2, Outputs = 2;
        DoubleTensor[] seqs = [.. lengths.Select(l => TestRandom.DoubleTensor(random, 1.0, 1, l, Features))];
        DoubleTensor[] targets = [.. lengths.Select(l => TestRandom.DoubleTensor(random, 1.0, 1, l, Outputs))];
        var x = new DoubleTensor(2, Time, Features);
        var t = new DoubleTensor(2, Time, Outputs);
        for (int s = 0; s < 2; s++)
        {
            for (int i = 0; i < x.Length / 2; i++)
            {
                x.Data[(s * Time * Features) + i] = 99.0 + i; // padding that must train nothing
                t.Data[(s * Time * Outputs) + (i % (Time * Outputs))] = -42.0;
            }

            Array.Copy(seqs[s].Data, 0, x.Data, s * Time * Features, seqs[s].Length);
            Array.Copy(targets[s].Data, 0, t.Data, s * Time * Outputs, targets[s].Length);
        }

        Network Model() => Network.Sequential([-1, Features], 3, new Lstm(3, new RecurrentOptions { ReturnSequences = true }), new Dense(Outputs));

        Network padded = Model();
        padded.ZeroGradients();
        DoubleTensor y = padded.Forward([x], [Sequences.MaskFromLengths(lengths, Time)], training: true)[0];
        var g = new DoubleTensor(y.Shape);
        double meanLoss = new MeanSquaredError().Compute(y, t, g, padded.OutputMasks[0]);
        padded.AccumulateGradients([g]);

        Network separate = Model();
        separate.ZeroGradients();
        var sum = new MeanSquaredError { Reduction = LossReduction.Sum };
        double summed = 0.0;
        for (int s = 0; s < 2; s++)
        {
            DoubleTensor ys = separate.Forward([seqs[s]], training: true)[0];
            var gs = new DoubleTensor(ys.Shape);
            summed += sum.Compute(ys, targets[s], gs);
            separate.AccumulateGradients([gs]);
        }

        int terms = (5 + 2) * Outputs;
        Assert.True(Math.Abs(meanLoss - (summed / terms)) <= 1e-14 * summed / terms, $"{meanLoss:R} vs {summed / terms:R}");
        for (int k = 0; k < padded.Parameters.Count; k++)
        {
            double[] expected = [.. separate.Parameters[k].Gradient.Data.Select(v => v / terms)];
            Assertions.AllClose(expected, padded.Parameters[k].Gradient.Span, 1e-13, padded.Parameters[k].Name);
        }
    }

    [Fact]
    public void TrainingIgnoresHowMuchPaddingThereIs()
    {
        // The same sequences padded to 6 and to 10 steps train to the same weights (before the mask reached the loss,
        // the padded steps' carried-over outputs were fitted to the padding targets and counted in the mean).
        var random = new Random(8);
        int[] lengths = [4, 2, 6];
        DoubleTensor[] seqs = [.. lengths.Select(l => TestRandom.DoubleTensor(random, 1.0, l, 1))];
        DoubleTensor[] targets = [.. lengths.Select(l => TestRandom.DoubleTensor(random, 1.0, l, 1))];

        DoubleTensor[] Train(int time)
        {
            var x = new DoubleTensor(3, time, 1);
            var t = new DoubleTensor(3, time, 1);
            for (int s = 0; s < 3; s++)
            {
                Array.Copy(seqs[s].Data, 0, x.Data, s * time, lengths[s]);
                Array.Copy(targets[s].Data, 0, t.Data, s * time, lengths[s]);
            }

            Network model = Network.Sequential([-1, 1], 2, new SimpleRnn(3, new RecurrentOptions { ReturnSequences = true }), new Dense(1));
            var trainer = new NeuralNetwork(model, new TrainerOptions
            {
                MaxEpochs = 3,
                BatchSize = 3,
                Regression = true,
                Shuffle = false,
                Loss = new MeanSquaredError(),
                Optimizer = new Sgd(new SgdOptions { LearningRate = 0.1 }),
            });
            trainer.Fit([x], [t], [lengths]);
            return model.GetWeights();
        }

        DoubleTensor[] short6 = Train(6), long10 = Train(10);
        for (int k = 0; k < short6.Length; k++)
        {
            Assertions.AllClose(short6[k].Span, long10[k].Span, 1e-13, $"weight {k}");
        }
    }
}

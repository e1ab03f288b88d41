using System.Text.Json;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using NeuralNet.Tests.Helpers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Reference;

/// <summary>
/// What the trainer reports honours the output mask as Keras 3 does: the accuracy takes the mask of a sequence output
/// as sample weights (masked steps count neither as right nor as wrong), the loss is per batch with the masked mean and
/// averaged weighted by batch size. Against Keras' evaluate written out in NumPy in Data/make_masking_reference.py
/// ("metric_cases"), and padded against more padded data.
/// </summary>
public class MaskedMetricReferenceTests
{
    private static readonly Lazy<JsonElement[]> Cases = new(() =>
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Data", "masking_reference.json");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        return [.. doc.RootElement.GetProperty("metric_cases").EnumerateArray().Select(e => e.Clone())];
    });

    public static TheoryData<int> Indices => [.. Enumerable.Range(0, Cases.Value.Length)];

    private static NeuralNetwork Create(JsonElement c, int time, int features)
    {
        int units = c.GetProperty("units").GetInt32(), outputs = c.GetProperty("outputs").GetInt32();
        var options = new RecurrentOptions { ReturnSequences = true };
        Layer recurrent = c.GetProperty("layer").GetString() == "lstm" ? new Lstm(units, options) : new SimpleRnn(units, options);
        Network model = Network.Sequential([time, features], 1, recurrent, new Dense(outputs, outputs == 1 ? "sigmoid" : "softmax"));
        model.SetWeights(TorchReference.ToTensors(c.GetProperty("weights")));
        return new NeuralNetwork(model, new TrainerOptions { BatchSize = c.GetProperty("batch_size").GetInt32() });
    }

    private static void Close(double expected, double actual, double tolerance, string what)
        => Assert.True(Math.Abs(actual - expected) <= tolerance * Math.Abs(expected), $"{what} {actual:R}, expected {expected:R}");

    [Theory]
    [MemberData(nameof(Indices))]
    public void EvaluateMatchesKerasWithAndWithoutTheMask(int index)
    {
        JsonElement c = Cases.Value[index];
        DoubleTensor x = TorchReference.ToTensor(c.GetProperty("input"));
        DoubleTensor y = TorchReference.ToTensor(c.GetProperty("target"));
        int[] lengths = [.. c.GetProperty("lengths").EnumerateArray().Select(e => e.GetInt32())];
        NeuralNetwork net = Create(c, x.Shape[1], x.Shape[2]);

        Evaluation masked = net.Evaluate([x], [y], [lengths]);
        JsonElement m = c.GetProperty("masked");
        Close(m.GetProperty("loss").GetDouble(), masked.Loss, 1e-13, "masked loss");
        Close(m.GetProperty("accuracy").GetDouble(), masked.Accuracy, 1e-15, "masked accuracy");

        Evaluation unmasked = net.Evaluate([x], [y]);
        JsonElement u = c.GetProperty("unmasked");
        Close(u.GetProperty("loss").GetDouble(), unmasked.Loss, 1e-13, "loss");
        Close(u.GetProperty("accuracy").GetDouble(), unmasked.Accuracy, 1e-15, "accuracy");
    }

    [Fact]
    public void ValidationFiguresAreTheEvaluationOfTheHeldOutSamples()
    {
        JsonElement c = Cases.Value[0];
        DoubleTensor x = TorchReference.ToTensor(c.GetProperty("input"));
        DoubleTensor y = TorchReference.ToTensor(c.GetProperty("target"));
        int[] lengths = [.. c.GetProperty("lengths").EnumerateArray().Select(e => e.GetInt32())];
        NeuralNetwork net = Create(c, x.Shape[1], x.Shape[2]);
        var frozen = new NeuralNetwork(net.Network, new TrainerOptions
        {
            MaxEpochs = 1,
            BatchSize = 2,
            EvalSize = 0.4,
            Optimizer = new Sgd(new SgdOptions { LearningRate = 0.0 }),
        });
        frozen.Fit([x], [y], [lengths]);

        int[] rows = [.. frozen.ValidIndices];
        Evaluation expected = frozen.Evaluate([x.SelectRows(rows)], [y.SelectRows(rows)], [[.. rows.Select(r => lengths[r])]]);
        Assert.Equal(expected.Loss, frozen.History[0].ValidLoss);
        Assert.Equal(expected.Accuracy, frozen.History[0].ValidAccuracy);
    }

    [Fact]
    public void ReportedFiguresIgnoreHowMuchPaddingThereIs()
    {
        // The same labelled sequences padded to 6 and to 12 steps, padding targets of class 0 that the carried-over
        // outputs would partly match: before the mask reached the accuracy, the padded steps were counted (and the
        // count divided by the number of samples, not of steps: accuracies above 1).
        var random = new Random(9);
        int[] lengths = [4, 2, 6, 3, 5, 1, 6, 2, 4, 3];
        const int Classes = 3, Features = 2;
        DoubleTensor[] seqs = [.. lengths.Select(l => TestRandom.DoubleTensor(random, 1.0, l, Features))];
        int[][] labels = [.. lengths.Select(l => Enumerable.Range(0, l).Select(_ => random.Next(Classes)).ToArray())];

        NeuralNetwork Train(int time)
        {
            var x = new DoubleTensor(lengths.Length, time, Features);
            var t = new DoubleTensor(lengths.Length, time, Classes);
            for (int s = 0; s < lengths.Length; s++)
            {
                Array.Copy(seqs[s].Data, 0, x.Data, s * time * Features, seqs[s].Length);
                for (int step = 0; step < time; step++)
                {
                    t[s, step, step < lengths[s] ? labels[s][step] : 0] = 1.0;
                }
            }

            Network model = Network.Sequential([-1, Features], 4, new SimpleRnn(5, new RecurrentOptions { ReturnSequences = true }), new Dense(Classes, "softmax"));
            var trainer = new NeuralNetwork(model, new TrainerOptions
            {
                MaxEpochs = 4,
                BatchSize = 3,
                EvalSize = 0.4,
                Seed = 5,
                Optimizer = new Sgd(new SgdOptions { LearningRate = 0.5 }),
            });
            return trainer.Fit([x], [t], [lengths]);
        }

        NeuralNetwork short6 = Train(6), long12 = Train(12);
        Assert.Equal(short6.ValidIndices, long12.ValidIndices);
        for (int e = 0; e < short6.History.Count; e++)
        {
            EpochInfo a = short6.History[e], b = long12.History[e];
            Assert.InRange(a.ValidAccuracy, 0.0, 1.0);
            Assert.Equal(a.ValidAccuracy, b.ValidAccuracy);
            Close(a.ValidLoss, b.ValidLoss, 1e-13, $"epoch {e + 1} valid loss");
            Close(a.TrainLoss, b.TrainLoss, 1e-13, $"epoch {e + 1} train loss");
        }
    }
}

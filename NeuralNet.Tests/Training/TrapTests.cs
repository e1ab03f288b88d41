using NeuralNet.Layers;
using NeuralNet.Optimizers;
using NeuralNet.Tests.Helpers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>Each test reproduces a trap of issue 23 that gave a silent wrong answer or hung before the fix.</summary>
public class TrapTests
{
    private static (DoubleTensor X, int[] Labels) ThreeClasses(int n, int seed)
    {
        var random = new Random(seed);
        DoubleTensor x = TestRandom.DoubleTensor(random, 1.0, n, 4);
        return (x, [.. Enumerable.Range(0, n).Select(i => i % 3)]);
    }

    [Fact]
    public void FeatureExtractorModelOverTrainedLayersKeepsTheirWeights()
    {
        // Keras: extractor = Model(inputs, hidden.output) reuses the trained layers as they are.
        (DoubleTensor x, int[] labels) = ThreeClasses(60, 1);
        GraphTensor input = Network.Input(4);
        var hiddenLayer = new Dense(8, "tanh");
        GraphTensor hidden = hiddenLayer.Call(input);
        var model = new Network(input, new Dense(3, "softmax").Call(hidden), seed: 7);
        new NeuralNetwork(model, new TrainerOptions { MaxEpochs = 3, BatchSize = 10 }).Fit(x, labels);
        double[] before = model.Predict(x)[0].Data;
        DoubleTensor[] trained = hiddenLayer.GetWeights();

        var extractor = new Network(input, hidden, seed: 99);

        Assert.Equal(before, model.Predict(x)[0].Data);
        Assert.Equal(trained[0].Data, hiddenLayer.GetWeights()[0].Data);

        // The extractor computes tanh(x·W + b) with the trained W and b (the definition, written out).
        DoubleTensor features = extractor.Predict(x)[0];
        for (int i = 0; i < 60; i++)
        {
            for (int j = 0; j < 8; j++)
            {
                double z = trained[1].Data[j];
                for (int k = 0; k < 4; k++)
                {
                    z += x[i, k] * trained[0][k, j];
                }

                // Within 1e-14, not "equal to 14 decimals": rounding both to 14 decimals tells 0.18091119343925494
                // (Math.Tanh, 1.5 ulp off) from 0.180911193439255 (the vectorized tanh, 0.5 ulp off).
                Assert.Equal(Math.Tanh(z), features[i, j], 1e-14);
            }
        }
    }

    [Fact]
    public void WeightsSetBeforeTheModelIsBuiltAreKept()
    {
        var layer = new Dense(2);
        layer.Build([3]);
        var w = new DoubleTensor([1, 2, 3, 4, 5, 6], 3, 2);
        layer.SetWeights(w, new DoubleTensor([0.5, -0.5], 2));
        _ = Network.Sequential([3], 5, layer);
        Assert.Equal(w.Data, layer.GetWeights()[0].Data);
    }

    [Fact]
    public void NewUnseededLayersStillGetTheModelSeed()
    {
        Network a = Network.Sequential([3], 4, new Dense(5), new Dense(1));
        Network b = Network.Sequential([3], 4, new Dense(5), new Dense(1));
        Network c = Network.Sequential([3], 5, new Dense(5), new Dense(1));
        Assert.Equal(a.GetWeights()[0].Data, b.GetWeights()[0].Data);
        Assert.NotEqual(a.GetWeights()[0].Data, c.GetWeights()[0].Data);
    }

    [Fact]
    public void OutOfRangeOptionsAreRefusedWhenSet()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainerOptions { BatchSize = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainerOptions { BatchSize = -3 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainerOptions { MaxEpochs = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainerOptions { EvalSize = 1.0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainerOptions { EvalSize = 1.5 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainerOptions { EvalSize = -0.1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainerOptions { EvalSize = double.NaN });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainerOptions() with { BatchSize = 0 });
        Assert.Equal(0.0, new TrainerOptions { EvalSize = 0.0 }.EvalSize);
    }

    [Fact]
    public void ASplitThatLeavesNothingToTrainOnIsRefused()
    {
        // Three samples, one per class: 60 % of each class rounds to the whole class.
        (DoubleTensor x, int[] labels) = ThreeClasses(3, 2);
        var net = new NeuralNetwork(Network.Sequential([4], new Dense(3, "softmax")), new TrainerOptions { EvalSize = 0.6 });
        var e = Assert.Throws<ArgumentException>(() => net.Fit(x, labels));
        Assert.Contains("nothing is left to train on", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(-1)]
    public void ClassLabelsOutsideTheOutputAreRefused(int bad)
    {
        (DoubleTensor x, int[] labels) = ThreeClasses(30, 3);
        labels[17] = bad;
        var net = new NeuralNetwork(Network.Sequential([4], new Dense(3, "softmax")), new TrainerOptions { MaxEpochs = 1 });
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => net.Fit(x, labels));
        Assert.Contains("sample 17", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SingleColumnClassifierTakesOnlyZeroAndOne()
    {
        (DoubleTensor x, _) = ThreeClasses(10, 4);
        int[] labels = [0, 1, 0, 1, 2, 0, 1, 0, 1, 0];
        var net = new NeuralNetwork(Network.Sequential([4], new Dense(1, "sigmoid")), new TrainerOptions { MaxEpochs = 1, EvalSize = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => net.Fit(x, labels));
    }

    [Fact]
    public void TensorIndexersCheckEveryAxis()
    {
        var t = new DoubleTensor(2, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => t[0, 3] = 1.0);
        Assert.Throws<ArgumentOutOfRangeException>(() => t[0, -1] = 1.0);
        Assert.Throws<ArgumentOutOfRangeException>(() => t[2, 0]);
        Assert.Throws<InvalidOperationException>(() => t[0, 0, 0]);
        Assert.All(t.Data, v => Assert.Equal(0.0, v));
        var u = new DoubleTensor(2, 3, 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => u[0, 0, 4]);
        Assert.Throws<ArgumentOutOfRangeException>(() => u[0, 3, 0]);
        Assert.Throws<InvalidOperationException>(() => u[0, 0]);
        u[1, 2, 3] = 5.0;
        Assert.Equal(5.0, u.Data[^1]);
    }

    [Fact]
    public void NaNInputStopsTrainingAtItsBatchNamingEpochAndBatch()
    {
        var random = new Random(5);
        DoubleTensor x = TestRandom.DoubleTensor(random, 1.0, 40, 3);
        DoubleTensor y = TestRandom.DoubleTensor(random, 1.0, 40, 1);
        x[25, 1] = double.NaN;
        Network model = Network.Sequential([3], 1, new Dense(4, "tanh"), new Dense(1));
        DoubleTensor[] initial = model.GetWeights();
        var net = new NeuralNetwork(model, new TrainerOptions { MaxEpochs = 5, BatchSize = 10, EvalSize = 0, Shuffle = false, Regression = true });
        var e = Assert.Throws<NonFiniteLossException>(() => net.Fit(x, y));
        Assert.Equal(1, e.Epoch);
        Assert.Equal(3, e.Batch);
        Assert.True(double.IsNaN(e.Loss));
        Assert.Contains("batch 3 in epoch 1", e.Message, StringComparison.Ordinal);

        // Two batches trained, the third was refused before its update: weights are finite.
        Assert.All(model.GetWeights(), w => Assert.All(w.Data, v => Assert.True(double.IsFinite(v))));
        Assert.NotEqual(initial[0].Data, model.GetWeights()[0].Data);
    }

    [Fact]
    public void OptingOutTrainsOnAsBefore()
    {
        var random = new Random(5);
        DoubleTensor x = TestRandom.DoubleTensor(random, 1.0, 20, 3);
        DoubleTensor y = TestRandom.DoubleTensor(random, 1.0, 20, 1);
        x[5, 0] = double.NaN;
        Network model = Network.Sequential([3], 1, new Dense(1));
        var net = new NeuralNetwork(model, new TrainerOptions { MaxEpochs = 2, BatchSize = 10, EvalSize = 0, Regression = true, TerminateOnNonFinite = false });
        net.Fit(x, y);
        Assert.Equal(2, net.History.Count);
        Assert.True(double.IsNaN(net.History[0].TrainLoss));
    }

    [Fact]
    public void NonFiniteLearningRatesAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(new SgdOptions { LearningRate = double.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(new AdamOptions { LearningRate = double.PositiveInfinity }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(new SgdOptions { Momentum = double.NaN }));
        var sgd = new Sgd();
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = double.NaN);
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = -0.1);

        // A schedule that yields NaN is refused before the epoch runs.
        var random = new Random(6);
        DoubleTensor x = TestRandom.DoubleTensor(random, 1.0, 20, 3);
        DoubleTensor y = TestRandom.DoubleTensor(random, 1.0, 20, 1);
        var net = new NeuralNetwork(Network.Sequential([3], new Dense(1)), new TrainerOptions { Regression = true, LearningRateSchedule = new ConstantSchedule(double.NaN) });
        Assert.Throws<ArgumentOutOfRangeException>(() => net.Fit(x, y));
    }

    [Fact]
    public void AnOverflowingUpdateInTheLastBatchIsCaughtAfterTheEpoch()
    {
        // One batch, one epoch: the loss is finite, the update overflows every weight to infinity.
        var random = new Random(7);
        DoubleTensor x = TestRandom.DoubleTensor(random, 1.0, 10, 3);
        var y = new DoubleTensor(10, 1);
        y.Span.Fill(100.0);
        Network model = Network.Sequential([3], 1, new Dense(1));
        var net = new NeuralNetwork(model, new TrainerOptions
        {
            MaxEpochs = 1,
            BatchSize = 10,
            EvalSize = 0,
            Regression = true,
            Optimizer = new Sgd(new SgdOptions { LearningRate = 1e308 }),
        });
        var e = Assert.Throws<NonFiniteLossException>(() => net.Fit(x, y));
        Assert.Equal(1, e.Epoch);
        Assert.Equal(1, e.Batch);
        Assert.Contains("kernel", e.Message, StringComparison.Ordinal);
    }
}

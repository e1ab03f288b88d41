using NeuralNet.Layers;
using NeuralNet.Optimizers;
using NeuralNet.Tests.Helpers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

public class TrainerTests
{
    // Three Gaussian blobs in 2-D, labels 0..2.
    private static (DoubleTensor X, int[] Labels) Blobs(int n, int seed)
    {
        var random = new Random(seed);
        double[][] centers = [[2, 0], [-2, 1], [0, -2]];
        var x = new DoubleTensor(n, 2);
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % 3;
            x[i, 0] = centers[labels[i]][0] + (0.5 * TestRandom.Uniform(random, -1, 1));
            x[i, 1] = centers[labels[i]][1] + (0.5 * TestRandom.Uniform(random, -1, 1));
        }

        return (x, labels);
    }

    [Fact]
    public void ClassifierLearnsSeparableBlobsAndPrintsTheEpochTable()
    {
        (DoubleTensor x, int[] labels) = Blobs(150, 1);
        var output = new StringWriter();
        Network model = Network.Sequential([2], 3, new Dense(8, "tanh"), new Dense(3, "softmax"));
        var net = new NeuralNetwork(model, new TrainerOptions { MaxEpochs = 30, BatchSize = 16, Verbose = output });
        net.Fit(x, labels);

        Assert.Equal(30, net.History.Count);
        Assert.True(net.History[^1].ValidAccuracy > 0.95, $"accuracy {net.History[^1].ValidAccuracy}");
        Assert.True(net.History[^1].TrainLoss < net.History[0].TrainLoss);
        int[] predicted = net.PredictClasses(x);
        Assert.True(predicted.Zip(labels).Count(p => p.First == p.Second) > 140);

        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("epoch", lines[0], StringComparison.Ordinal);
        Assert.Contains("train loss", lines[0], StringComparison.Ordinal);
        Assert.Contains("valid loss", lines[0], StringComparison.Ordinal);
        Assert.Contains("train/val", lines[0], StringComparison.Ordinal);
        Assert.Contains("valid acc", lines[0], StringComparison.Ordinal);
        Assert.Contains("dur", lines[0], StringComparison.Ordinal);
        Assert.Equal(2 + 30, lines.Length);
        Assert.StartsWith("      1", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void ValidationSplitIsStratifiedTwentyPercent()
    {
        (DoubleTensor x, int[] labels) = Blobs(150, 2);
        Network model = Network.Sequential([2], new Dense(3, "softmax"));
        var net = new NeuralNetwork(model, new TrainerOptions { MaxEpochs = 1 });
        net.Fit(x, labels);

        Assert.Equal(30, net.ValidIndices.Count);
        Assert.Equal(120, net.TrainIndices.Count);
        Assert.Equal(Enumerable.Range(0, 150), net.TrainIndices.Concat(net.ValidIndices).Order());
        Assert.All(Enumerable.Range(0, 3), c => Assert.Equal(10, net.ValidIndices.Count(i => labels[i] == c)));
    }

    [Fact]
    public void EarlyStoppingStopsAndRestoresTheBestWeights()
    {
        // Noise targets: the validation loss soon stops improving with a large learning rate.
        var random = new Random(3);
        DoubleTensor x = TestRandom.DoubleTensor(random, 1.0, 60, 3);
        DoubleTensor y = TestRandom.DoubleTensor(random, 1.0, 60, 2);
        Network model = Network.Sequential([3], 4, new Dense(32, "tanh"), new Dense(2));
        var weightsPerEpoch = new List<DoubleTensor[]>();
        var record = new EpochCallback((n, _) => weightsPerEpoch.Add(n.Network.GetWeights()));
        var stopping = new EarlyStopping(patience: 3);
        var net = new NeuralNetwork(model, new TrainerOptions
        {
            MaxEpochs = 200,
            BatchSize = 8,
            Regression = true,
            Optimizer = new Sgd(new SgdOptions { LearningRate = 0.1, Momentum = 0.9 }),
            Callbacks = [record, stopping],
        });
        net.Fit(x, y);

        Assert.True(stopping.Stopped);
        Assert.True(net.History.Count < 200);
        Assert.Equal(stopping.BestEpoch + 3, net.History.Count);
        double best = net.History.Min(h => h.ValidLoss);
        Assert.Equal(best, net.History[stopping.BestEpoch - 1].ValidLoss);
        DoubleTensor[] restored = model.GetWeights();
        DoubleTensor[] expected = weightsPerEpoch[stopping.BestEpoch - 1];
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.Equal(expected[k].Data, restored[k].Data);
        }

        Assert.NotEqual(weightsPerEpoch[^1][0].Data, restored[0].Data);
    }

    [Fact]
    public void RegressionWithManyOutputsDropoutAndSchedules()
    {
        var random = new Random(6);
        DoubleTensor x = TestRandom.DoubleTensor(random, 1.0, 200, 5);
        DoubleTensor mixing = TestRandom.DoubleTensor(random, 1.0, 5, 26);
        var y = new DoubleTensor(200, 26);
        for (int i = 0; i < 200; i++)
        {
            for (int j = 0; j < 26; j++)
            {
                for (int k = 0; k < 5; k++)
                {
                    y[i, j] += x[i, k] * mixing[k, j];
                }
            }
        }

        Network model = Network.Sequential([5], 2, new Dense(32, "relu"), new Dropout(0.1, seed: 1), new Dense(26));
        var lrSchedule = new LinearSchedule(0.03, 0.001);
        var net = new NeuralNetwork(model, new TrainerOptions
        {
            MaxEpochs = 40,
            BatchSize = 20,
            Regression = true,
            LearningRateSchedule = lrSchedule,
            MomentumSchedule = new LinearSchedule(0.9, 0.999),
            Verbose = TextWriter.Null,
        });
        net.Fit(x, y);

        Assert.Equal(Enumerable.Range(0, 40).Select(e => lrSchedule.ValueAt(e, 40)), net.History.Select(h => h.LearningRate));
        Assert.True(double.IsNaN(net.History[0].ValidAccuracy));
        Assert.True(net.History[^1].ValidLoss < 0.2 * net.History[0].ValidLoss, $"{net.History[0].ValidLoss} -> {net.History[^1].ValidLoss}");
        Assert.Equal(0.999, ((Sgd)net.Optimizer).Momentum, 12);
        Assert.Equal([200, 26], net.Predict(x).Shape);
    }

    [Fact]
    public void MultiInputModelTrainsThroughTheTrainer()
    {
        var random = new Random(8);
        GraphTensor a = Network.Input(6, 1);
        GraphTensor b = Network.Input(4, 1);
        var shared = new SimpleRnn(4);
        GraphTensor merged = new Concatenate().Call(shared.Call(a), shared.Call(b));
        var model = new Network([a, b], [new Dense(1).Call(merged)], seed: 3);
        DoubleTensor xa = TestRandom.DoubleTensor(random, 1.0, 64, 6, 1);
        DoubleTensor xb = TestRandom.DoubleTensor(random, 1.0, 64, 4, 1);
        var y = new DoubleTensor(64, 1);
        for (int i = 0; i < 64; i++)
        {
            y[i, 0] = xa[i, 5, 0] - xb[i, 3, 0];
        }

        var net = new NeuralNetwork(model, new TrainerOptions { MaxEpochs = 30, BatchSize = 8, Regression = true, EvalSize = 0.25 });
        net.Fit([xa, xb], [y]);
        Assert.True(net.History[^1].ValidLoss < 0.5 * net.History[0].ValidLoss);
        Assert.Equal([64, 1], net.Predict(xa, xb).Shape);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void StatefulModelsAreResetAtEveryEpochUnlessAskedNotTo(bool reset)
    {
        // Learning rate 0 keeps the weights fixed, so epochs differ only through the carried states.
        var random = new Random(12);
        DoubleTensor x = TestRandom.DoubleTensor(random, 1.0, 8, 5, 2);
        DoubleTensor y = TestRandom.DoubleTensor(random, 1.0, 8, 1);
        Network model = Network.Sequential([5, 2], 1, new Lstm(3, new RecurrentOptions { Stateful = true }), new Dense(1));
        var net = new NeuralNetwork(model, new TrainerOptions
        {
            MaxEpochs = 2,
            BatchSize = 4,
            EvalSize = 0,
            Shuffle = false,
            Regression = true,
            ResetStatesEachEpoch = reset,
            Optimizer = new Sgd(new SgdOptions { LearningRate = 0.0 }),
        });
        net.Fit(x, y);
        Assert.Equal(reset, net.History[0].TrainLoss == net.History[1].TrainLoss);
    }

    [Fact]
    public void DropoutScalesKeptValuesAndIsIdentityAtInference()
    {
        var dropout = new Dropout(0.25, seed: 3);
        DoubleTensor x = TestRandom.DoubleTensor(new Random(1), 1.0, 50, 40);
        Assert.Equal(x.Data, dropout.Apply(x, training: false).Data);
        ForwardPass pass = dropout.Forward([x], training: true);
        DoubleTensor y = pass.Outputs[0];
        int dropped = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (y.Data[i] == 0.0)
            {
                dropped++;
            }
            else
            {
                Assert.Equal(x.Data[i] / 0.75, y.Data[i], 12);
            }
        }

        Assert.InRange(dropped / (double)x.Length, 0.2, 0.3);
        var upstream = TestRandom.DoubleTensor(new Random(2), 1.0, 50, 40);
        DoubleTensor dx = dropout.Backward(pass, [upstream])[0];
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(y.Data[i] == 0.0 ? 0.0 : upstream.Data[i] / 0.75, dx.Data[i], 12);
        }
    }
}

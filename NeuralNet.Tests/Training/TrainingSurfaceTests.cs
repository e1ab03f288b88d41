using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Tests.Helpers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

public class TrainingSurfaceTests
{
    [Fact]
    public void EpochInfoCarriesLearningRateMomentumAndNolearnsBestFlags()
    {
        var random = new Random(1);
        DoubleTensor x = TestRandom.DoubleTensor(random, 1.0, 60, 3);
        DoubleTensor y = TestRandom.DoubleTensor(random, 1.0, 60, 2);
        var lr = new LinearSchedule(0.05, 0.001);
        var momentum = new LinearSchedule(0.9, 0.999);
        var seen = new List<(double Lr, double Momentum)>();
        var net = new NeuralNetwork(Network.Sequential([3], 2, new Dense(16, "tanh"), new Dense(2)), new TrainerOptions
        {
            MaxEpochs = 25,
            BatchSize = 8,
            Regression = true,
            LearningRateSchedule = lr,
            MomentumSchedule = momentum,
            Callbacks = [new EpochCallback((n, _) => seen.Add((n.Optimizer.LearningRate, ((Sgd)n.Optimizer).Momentum)))],
        });
        net.Fit(x, y);

        for (int e = 0; e < 25; e++)
        {
            EpochInfo info = net.History[e];
            Assert.Equal(e + 1, info.Epoch);
            Assert.Equal(lr.ValueAt(e, 25), info.LearningRate);
            Assert.Equal(momentum.ValueAt(e, 25), info.Momentum);
            Assert.Equal(seen[e], (info.LearningRate, info.Momentum));
            Assert.Equal(info.TrainLoss / info.ValidLoss, info.TrainValidRatio);
            Assert.Equal(info.TrainLoss == net.History.Take(e + 1).Min(h => h.TrainLoss), info.TrainLossBest);
            Assert.Equal(info.ValidLoss == net.History.Take(e + 1).Min(h => h.ValidLoss), info.ValidLossBest);
            Assert.True(info.Duration > TimeSpan.Zero);
        }

        Assert.True(net.History[0].TrainLossBest && net.History[0].ValidLossBest);
        Assert.Contains(net.History, h => !h.ValidLossBest);
    }

    [Fact]
    public void MomentumIsNaNForOptimizersWithoutOne()
    {
        var random = new Random(2);
        var net = new NeuralNetwork(Network.Sequential([3], new Dense(1)), new TrainerOptions { MaxEpochs = 2, Regression = true, Optimizer = new Adam(), EvalSize = 0 });
        net.Fit(TestRandom.DoubleTensor(random, 1.0, 20, 3), TestRandom.DoubleTensor(random, 1.0, 20, 1));
        Assert.All(net.History, h => Assert.True(double.IsNaN(h.Momentum)));
        Assert.All(net.History, h => Assert.False(h.ValidLossBest));
    }

    [Fact]
    public void SumReductionTrainsWithTheUndividedGradient()
    {
        // One batch of 10 samples: Sum with learning rate lr equals Mean with learning rate 10·lr·(values per row).
        var random = new Random(3);
        DoubleTensor x = TestRandom.DoubleTensor(random, 1.0, 10, 3);
        DoubleTensor y = TestRandom.DoubleTensor(random, 1.0, 10, 1);
        Network Build() => Network.Sequential([3], 4, new Dense(1));
        var options = new TrainerOptions { MaxEpochs = 1, BatchSize = 10, EvalSize = 0, Regression = true, Shuffle = false };
        var sum = new NeuralNetwork(Build(), options with { Loss = new MeanSquaredError { Reduction = LossReduction.Sum }, Optimizer = new Sgd(new SgdOptions { LearningRate = 0.01 }) });
        var mean = new NeuralNetwork(Build(), options with { Optimizer = new Sgd(new SgdOptions { LearningRate = 0.1 }) });
        sum.Fit(x, y);
        mean.Fit(x, y);
        Assert.Equal(mean.History[0].TrainLoss * 10, sum.History[0].TrainLoss, 12);
        for (int k = 0; k < 2; k++)
        {
            double[] a = sum.Network.GetWeights()[k].Data, b = mean.Network.GetWeights()[k].Data;
            Assert.All(a.Zip(b), p => Assert.Equal(p.Second, p.First, 14));
        }
    }

    [Fact]
    public void GradientCheckPassesACorrectModelWithRecurrentAndConvolutionLayers()
    {
        var random = new Random(4);
        GraphTensor input = Network.Input(6, 2);
        GraphTensor h = new Lstm(3).Call(new Conv1D(3, 2, padding: Padding.Causal, activation: "tanh").Call(input));
        var model = new Network(input, new Dense(2, "softmax").Call(h), seed: 3);
        DoubleTensor x = TestRandom.DoubleTensor(random, 1.0, 4, 6, 2);
        var y = new DoubleTensor(4, 2);
        for (int i = 0; i < 4; i++)
        {
            y[i, i % 2] = 1.0;
        }

        GradientCheckResult result = GradientCheck.Check(model, x, y, new CategoricalCrossEntropy());
        Assert.True(result.Passed, result.ToString());
        Assert.Equal(model.Parameters.Sum(p => p.Length) + x.Length, result.Checked);
        Assert.True(result.MaxAbsoluteError < 1e-9, result.ToString());
    }

    [Fact]
    public void GradientCheckFindsAWrongHandWrittenBackward()
    {
        var random = new Random(5);
        var scale = new BuggyScale();
        Network model = Network.Sequential([3], 6, new Dense(3, "tanh"), scale, new Dense(1));
        DoubleTensor x = TestRandom.DoubleTensor(random, 1.0, 5, 3);
        DoubleTensor y = TestRandom.DoubleTensor(random, 1.0, 5, 1);
        GradientCheckResult result = GradientCheck.Check(model, x, y);
        Assert.False(result.Passed);
        Assert.All(result.Failures, f => Assert.Equal(("BuggyScale", "scale"), (f.Layer, f.Parameter)));
        Assert.Equal(3, result.Failures.Count);
        Assert.Contains("BuggyScale.scale[", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TwoDimensionalMasksCutTheNamedConnections()
    {
        // Entry [i, j] = 0 cuts input i from output j: changing input i leaves output j unchanged.
        var mask = new double[,] { { 1, 0, 1 }, { 0, 1, 1 }, { 1, 1, 0 }, { 0, 0, 1 } };
        var dense = new Dense(3, mask, "tanh", seed: 1);
        dense.Build([4]);
        var random = new Random(6);
        DoubleTensor x = TestRandom.DoubleTensor(random, 1.0, 5, 4);
        DoubleTensor before = dense.Apply(x);
        for (int i = 0; i < 4; i++)
        {
            DoubleTensor moved = x.Clone();
            for (int r = 0; r < 5; r++)
            {
                moved[r, i] += 0.5;
            }

            DoubleTensor after = dense.Apply(moved);
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(mask[i, j] == 0.0, Enumerable.Range(0, 5).All(r => after[r, j] == before[r, j]));
                Assert.Equal(mask[i, j] == 0.0, dense.Kernel.Value[i, j] == 0.0);
            }
        }

        var p = new Dense(3, seed: 1);
        p.Build([4]);
        p.Kernel.SetMask(mask);
        Assert.Equal(dense.Kernel.Value.Data, p.Kernel.Value.Data);
        Assert.Throws<ArgumentException>(() => p.Kernel.SetMask(new double[3, 4]));
        Assert.Throws<ArgumentException>(() => new Dense(2, mask));
    }

    [Fact]
    public void ThreeDimensionalConvMaskCutsTheNamedTaps()
    {
        // Mask [t, c, f]: filter 0 sees only tap 1 of channel 0; filter 1 sees everything.
        var mask = new double[2, 2, 2];
        mask[1, 0, 0] = 1;
        for (int t = 0; t < 2; t++)
        {
            for (int c = 0; c < 2; c++)
            {
                mask[t, c, 1] = 1;
            }
        }

        var conv = new Conv1D(2, 2, mask, seed: 2);
        conv.Build([5, 2]);
        var random = new Random(7);
        DoubleTensor x = TestRandom.DoubleTensor(random, 1.0, 1, 5, 2);
        DoubleTensor y = conv.Apply(x);
        double w = conv.Kernel.Value[1, 0, 0];
        for (int o = 0; o < 4; o++)
        {
            Assert.Equal(w * x[0, o + 1, 0], y[0, o, 0], 15);
        }

        Assert.Throws<ArgumentException>(() => new Conv1D(3, 2, mask));
    }

    /// <summary>y = w ⊙ x with a deliberately wrong parameter gradient (dy instead of dy ⊙ x).</summary>
    private sealed class BuggyScale() : Layer("BuggyScale", 1)
    {
        private Parameter _scale = null!;

        protected override void CreateParameters(int[][] inputShapes) => _scale = AddParameter("scale", inputShapes[0][^1]);

        protected override int[][] ComputeOutputShapes(int[][] inputShapes) => [inputShapes[0]];

        protected override void InitializeCore(Random random) => _scale.Value.Span.Fill(0.7);

        protected override DoubleTensor[] ForwardCore(DoubleTensor[] inputs, bool training, out object? cache)
        {
            DoubleTensor x = inputs[0];
            var y = new DoubleTensor(x.Shape);
            int n = _scale.Length;
            for (int i = 0; i < x.Length; i++)
            {
                y.Data[i] = _scale.Value.Data[i % n] * x.Data[i];
            }

            cache = null;
            return [y];
        }

        protected override DoubleTensor[] BackwardCore(ForwardPass pass, IReadOnlyList<DoubleTensor?> outputGradients)
        {
            DoubleTensor dy = outputGradients[0]!;
            var dx = new DoubleTensor(dy.Shape);
            int n = _scale.Length;
            for (int i = 0; i < dy.Length; i++)
            {
                dx.Data[i] = _scale.Value.Data[i % n] * dy.Data[i];
                _scale.Gradient.Data[i % n] += dy.Data[i];
            }

            return [dx];
        }
    }
}

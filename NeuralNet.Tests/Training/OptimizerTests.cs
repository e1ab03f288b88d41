using NeuralNet.Optimizers;

namespace NeuralNet.Tests.Training;

/// <summary>Optimizer updates against the textbook recurrences, written out by hand.</summary>
public class OptimizerTests
{
    // f(p) = ½ a p² per entry, gradient a·p.
    private static readonly double[] Curvature = [1.0, 3.0, 0.5];

    private static List<double[]> Run(Optimizer optimizer, int steps)
    {
        var p = new Parameter("p", 3);
        p.SetValue([1.0, -2.0, 0.5]);
        var path = new List<double[]>();
        for (int s = 0; s < steps; s++)
        {
            for (int i = 0; i < 3; i++)
            {
                p.Gradient.Data[i] = Curvature[i] * p.Value.Data[i];
            }

            optimizer.Step([p]);
            path.Add((double[])p.Value.Data.Clone());
        }

        return path;
    }

    private static void AssertPath(List<double[]> expected, List<double[]> actual)
    {
        for (int s = 0; s < expected.Count; s++)
        {
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(expected[s][i], actual[s][i], 14);
            }
        }
    }

    [Fact]
    public void PlainSgd()
    {
        double lr = 0.1;
        double[] p = [1.0, -2.0, 0.5];
        var expected = new List<double[]>();
        for (int s = 0; s < 5; s++)
        {
            p = [.. p.Select((v, i) => v - (lr * Curvature[i] * v))];
            expected.Add(p);
        }

        AssertPath(expected, Run(new Sgd(new SgdOptions { LearningRate = lr }), 5));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MomentumAndNesterov(bool nesterov)
    {
        double lr = 0.1, m = 0.9;
        double[] p = [1.0, -2.0, 0.5];
        double[] v = new double[3];
        var expected = new List<double[]>();
        for (int s = 0; s < 6; s++)
        {
            var next = new double[3];
            for (int i = 0; i < 3; i++)
            {
                double g = Curvature[i] * p[i];
                v[i] = (m * v[i]) - (lr * g);
                next[i] = nesterov ? p[i] + (m * v[i]) - (lr * g) : p[i] + v[i];
            }

            p = next;
            expected.Add(p);
        }

        AssertPath(expected, Run(new Sgd(new SgdOptions { LearningRate = lr, Momentum = m, Nesterov = nesterov }), 6));
    }

    [Theory]
    [InlineData(AdamEpsilon.Keras, 1e-7)]
    [InlineData(AdamEpsilon.PyTorch, 1e-8)]
    [InlineData(AdamEpsilon.Keras, 0.1)]
    [InlineData(AdamEpsilon.PyTorch, 0.1)]
    public void AdamWithBothEpsilonPlacements(AdamEpsilon placement, double eps)
    {
        double lr = 0.01, b1 = 0.9, b2 = 0.999;
        double[] p = [1.0, -2.0, 0.5];
        double[] m = new double[3], v = new double[3];
        var expected = new List<double[]>();
        for (int t = 1; t <= 5; t++)
        {
            var next = new double[3];
            for (int i = 0; i < 3; i++)
            {
                double g = Curvature[i] * p[i];
                m[i] = (b1 * m[i]) + ((1 - b1) * g);
                v[i] = (b2 * v[i]) + ((1 - b2) * g * g);
                double mHat = m[i] / (1 - Math.Pow(b1, t)), vHat = v[i] / (1 - Math.Pow(b2, t));
                next[i] = placement == AdamEpsilon.PyTorch
                    ? p[i] - (lr * mHat / (Math.Sqrt(vHat) + eps))
                    : p[i] - (lr * Math.Sqrt(1 - Math.Pow(b2, t)) / (1 - Math.Pow(b1, t)) * m[i] / (Math.Sqrt(v[i]) + eps));
            }

            p = next;
            expected.Add(p);
        }

        var adam = new Adam(new AdamOptions { LearningRate = lr, Epsilon = eps, EpsilonPlacement = placement });
        AssertPath(expected, Run(adam, 5));
    }

    [Fact]
    public void EpsilonPlacementMatters()
    {
        List<double[]> keras = Run(new Adam(new AdamOptions { Epsilon = 0.1, EpsilonPlacement = AdamEpsilon.Keras }), 3);
        List<double[]> torch = Run(new Adam(new AdamOptions { Epsilon = 0.1, EpsilonPlacement = AdamEpsilon.PyTorch }), 3);
        Assert.NotEqual(keras[^1], torch[^1]);
    }

    [Fact]
    public void Schedules()
    {
        var linear = new LinearSchedule(0.03, 0.0001);
        double[] linspace = [.. Enumerable.Range(0, 5).Select(i => 0.03 + ((0.0001 - 0.03) * i / 4.0))];
        Assert.Equal(linspace, Enumerable.Range(0, 5).Select(e => linear.ValueAt(e, 5)));
        Assert.Equal(0.03, linear.ValueAt(0, 1));

        var step = new StepSchedule(1.0, 0.5, 2);
        Assert.Equal([1.0, 1.0, 0.5, 0.5, 0.25], Enumerable.Range(0, 5).Select(e => step.ValueAt(e, 5)));

        var exponential = new ExponentialSchedule(2.0, 0.9);
        Assert.Equal(2.0 * 0.9 * 0.9 * 0.9, exponential.ValueAt(3, 10), 15);
        Assert.Equal(0.7, new ConstantSchedule(0.7).ValueAt(9, 10));
    }
}

using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Tests.Helpers;

namespace NeuralNet.Tests.Training;

/// <summary>
/// A two-layer ReLU network trained by full-batch gradient descent: ReLU'(0) only matters when a
/// pre-activation is exactly zero.
/// </summary>
public class ReluConventionTests
{
    private static List<double[]> Trajectory(double reluAtZero, DoubleTensor x, DoubleTensor y, bool zeroBias, int steps = 30)
    {
        var hidden = new Dense(8, new Relu(reluAtZero));
        var output = new Dense(1);
        Network model = Network.Sequential([x.Shape[1]], 11, hidden, output);
        if (!zeroBias)
        {
            DoubleTensor[] w = hidden.GetWeights();
            w[1] = TestRandom.DoubleTensor(new Random(3), 0.3, 8);
            hidden.SetWeights(w);
        }

        var sgd = new Sgd(new SgdOptions { LearningRate = 0.05 });
        var loss = new MeanSquaredError();
        var trajectory = new List<double[]>();
        for (int step = 0; step < steps; step++)
        {
            model.ZeroGradients();
            DoubleTensor prediction = model.Forward([x])[0];
            var grad = new DoubleTensor(prediction.Shape);
            loss.Compute(prediction, y, grad);
            model.Backward([grad]);
            sgd.Step(model.Parameters);
            trajectory.Add([.. model.Parameters.SelectMany(p => p.Value.Data)]);
        }

        return trajectory;
    }

    private static (DoubleTensor X, DoubleTensor Y) RandomData(int seed)
    {
        var random = new Random(seed);
        return (TestRandom.DoubleTensor(random, 1.0, 32, 4), TestRandom.DoubleTensor(random, 1.0, 32, 1));
    }

    [Fact]
    public void OnRandomDataTheThreeConventionsGiveIdenticalTrajectories()
    {
        (DoubleTensor x, DoubleTensor y) = RandomData(1);
        List<double[]> zero = Trajectory(0.0, x, y, zeroBias: false);
        List<double[]> half = Trajectory(0.5, x, y, zeroBias: false);
        List<double[]> one = Trajectory(1.0, x, y, zeroBias: false);
        for (int step = 0; step < zero.Count; step++)
        {
            Assert.Equal(zero[step], half[step]);
            Assert.Equal(zero[step], one[step]);
        }

        Assert.NotEqual(zero[0], zero[^1]);
    }

    [Fact]
    public void AnExactlyZeroPreActivationMakesTheConventionsDiverge()
    {
        // A sample x = 0 with zero hidden biases gives pre-activations exactly 0 at the first step.
        (DoubleTensor x, DoubleTensor y) = RandomData(2);
        Array.Clear(x.Data, 0, 4);
        List<double[]> zero = Trajectory(0.0, x, y, zeroBias: true);
        List<double[]> half = Trajectory(0.5, x, y, zeroBias: true);
        List<double[]> one = Trajectory(1.0, x, y, zeroBias: true);
        Assert.NotEqual(zero[0], half[0]);
        Assert.NotEqual(zero[0], one[0]);
        Assert.NotEqual(half[0], one[0]);
        Assert.NotEqual(zero[^1], one[^1]);
    }

    [Fact]
    public void TheBiasGradientAtAZeroPreActivationScalesWithTheConvention()
    {
        // One sample x = 0 and zero biases: z = 0 for every hidden unit, so dL/db_hidden = ReLU'(0)·dL/dh.
        var x = new DoubleTensor(1, 3);
        var y = new DoubleTensor([1.0], 1, 1);
        double[] Gradient(double atZero)
        {
            var hidden = new Dense(4, new Relu(atZero));
            Network model = Network.Sequential([3], 5, hidden, new Dense(1));
            model.ZeroGradients();
            DoubleTensor p = model.Forward([x])[0];
            var g = new DoubleTensor(p.Shape);
            new MeanSquaredError().Compute(p, y, g);
            model.Backward([g]);
            return hidden.Bias!.Gradient.Data;
        }

        double[] one = Gradient(1.0);
        double[] half = Gradient(0.5);
        Assert.Equal(new double[4], Gradient(0.0));
        Assert.Contains(one, v => v != 0.0);
        Assert.Equal(one.Select(v => v * 0.5), half);
    }
}

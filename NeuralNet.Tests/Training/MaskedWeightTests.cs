using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Tests.Helpers;

namespace NeuralNet.Tests.Training;

public class MaskedWeightTests
{
    public static TheoryData<string> Optimizers => ["sgd", "momentum", "nesterov", "adam", "adam_torch"];

    private static Optimizer Create(string name) => name switch
    {
        "sgd" => new Sgd(new SgdOptions { LearningRate = 0.1 }),
        "momentum" => new Sgd(new SgdOptions { LearningRate = 0.1, Momentum = 0.9 }),
        "nesterov" => new Sgd(new SgdOptions { LearningRate = 0.1, Momentum = 0.9, Nesterov = true }),
        "adam" => new Adam(new AdamOptions { LearningRate = 0.05 }),
        _ => new Adam(new AdamOptions { LearningRate = 0.05, Epsilon = 1e-8, EpsilonPlacement = AdamEpsilon.PyTorch }),
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void MaskedDenseAndConvWeightsNeverChange(string optimizerName)
    {
        var random = new Random(4);
        double[] denseMask = [.. Enumerable.Range(0, 6 * 3).Select(i => i % 3 == 0 ? 0.0 : 1.0)];
        double[] convMask = [.. Enumerable.Range(0, 2 * 2 * 6).Select(i => i % 2 == 0 ? 0.0 : 1.0)];
        var conv = new Conv1D(6, 2, kernelMask: convMask, activation: "tanh");
        var dense = new Dense(3, kernelMask: denseMask);
        Network model = Network.Sequential([5, 2], 1, conv, new Flatten(), new Dense(6, "tanh"), dense);
        DoubleTensor x = TestRandom.DoubleTensor(random, 1.0, 8, 5, 2);
        DoubleTensor y = TestRandom.DoubleTensor(random, 1.0, 8, 3);
        double[] denseBefore = (double[])dense.Kernel.Value.Data.Clone();
        double[] convBefore = (double[])conv.Kernel.Value.Data.Clone();
        Optimizer optimizer = Create(optimizerName);
        for (int step = 0; step < 25; step++)
        {
            model.ZeroGradients();
            DoubleTensor p = model.Forward([x])[0];
            var g = new DoubleTensor(p.Shape);
            new MeanSquaredError().Compute(p, y, g);
            model.Backward([g]);
            for (int i = 0; i < denseMask.Length; i++)
            {
                if (denseMask[i] == 0.0)
                {
                    Assert.Equal(0.0, dense.Kernel.Gradient.Data[i]);
                }
            }

            optimizer.Step(model.Parameters);
        }

        for (int i = 0; i < denseMask.Length; i++)
        {
            if (denseMask[i] == 0.0)
            {
                Assert.Equal(0.0, dense.Kernel.Value.Data[i]);
            }
            else
            {
                Assert.NotEqual(denseBefore[i], dense.Kernel.Value.Data[i]);
            }
        }

        for (int i = 0; i < convMask.Length; i++)
        {
            if (convMask[i] == 0.0)
            {
                Assert.Equal(0.0, conv.Kernel.Value.Data[i]);
            }
            else
            {
                Assert.NotEqual(convBefore[i], conv.Kernel.Value.Data[i]);
            }
        }
    }

    [Fact]
    public void SetWeightsCannotBypassTheMask()
    {
        var dense = new Dense(2, kernelMask: [1, 0, 0, 1]);
        dense.Build([2]);
        dense.SetWeights(new DoubleTensor([1, 2, 3, 4], 2, 2), new DoubleTensor(2));
        Assert.Equal([1.0, 0, 0, 4], dense.GetWeights()[0].Data);
    }

    [Fact]
    public void MaskMustBeZeroOrOne()
    {
        var dense = new Dense(2, kernelMask: [1, 0.5, 0, 1]);
        Assert.Throws<ArgumentException>(() => dense.Build([2]));
    }
}

using NeuralNet.Layers;

namespace NeuralNet.Tests.Layers;

public class WeightLayoutTests
{
    private static int[][] Shapes(Layer layer) => [.. layer.GetWeights().Select(w => w.Shape)];

    [Fact]
    public void SimpleRnnWithThreeUnitsOnOneFeatureHasKerasWeightShapes()
    {
        var rnn = new SimpleRnn(3);
        rnn.Build([5, 1]);
        Assert.Equal([[1, 3], [3, 3], [3]], Shapes(rnn));
        Assert.Equal(["kernel", "recurrent_kernel", "bias"], rnn.Parameters.Select(p => p.Name));
    }

    [Fact]
    public void DenseLstmGruConvHaveKerasShapes()
    {
        var dense = new Dense(4);
        dense.Build([3]);
        Assert.Equal([[3, 4], [4]], Shapes(dense));

        var lstm = new Lstm(5);
        lstm.Build([7, 2]);
        Assert.Equal([[2, 20], [5, 20], [20]], Shapes(lstm));

        var gru = new Gru(5);
        gru.Build([7, 2]);
        Assert.Equal([[2, 15], [5, 15], [2, 15]], Shapes(gru));

        var gruBefore = new Gru(5, resetAfter: false);
        gruBefore.Build([7, 2]);
        Assert.Equal([[2, 15], [5, 15], [15]], Shapes(gruBefore));

        var conv = new Conv1D(6, 3);
        conv.Build([10, 2]);
        Assert.Equal([[3, 2, 6], [6]], Shapes(conv));
    }

    [Fact]
    public void SetWeightsRejectsWrongShapes()
    {
        var rnn = new SimpleRnn(3);
        rnn.Build([5, 1]);
        Assert.Throws<ArgumentException>(() => rnn.SetWeights(new DoubleTensor(3, 1), new DoubleTensor(3, 3), new DoubleTensor(3)));
        Assert.Throws<ArgumentException>(() => rnn.SetWeights(new DoubleTensor(1, 3), new DoubleTensor(3, 3)));
    }

    [Fact]
    public void KerasInitializersGlorotOrthogonalZeroAndUnitForgetBias()
    {
        var lstm = new Lstm(4, new RecurrentOptions { Seed = 3 });
        lstm.Build([6, 3]);
        DoubleTensor[] w = lstm.GetWeights();
        double limit = Math.Sqrt(6.0 / (3 + 16));
        Assert.All(w[0].Data, v => Assert.InRange(v, -limit, limit));
        Assert.True(w[0].Data.Max() > limit / 2 && w[0].Data.Min() < -limit / 2);

        // Recurrent kernel [4, 16]: orthonormal rows.
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                double dot = 0.0;
                for (int k = 0; k < 16; k++)
                {
                    dot += w[1][i, k] * w[1][j, k];
                }

                Assert.Equal(i == j ? 1.0 : 0.0, dot, 12);
            }
        }

        Assert.Equal(Enumerable.Repeat(0.0, 4), w[2].Data[..4]);
        Assert.Equal(Enumerable.Repeat(1.0, 4), w[2].Data[4..8]);
        Assert.Equal(Enumerable.Repeat(0.0, 8), w[2].Data[8..]);
    }

    [Fact]
    public void OrthogonalSquareRecurrentKernelIsOrthogonal()
    {
        var rnn = new SimpleRnn(5, new RecurrentOptions { Seed = 1 });
        rnn.Build([2, 2]);
        DoubleTensor u = rnn.GetWeights()[1];
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 5; j++)
            {
                double rows = 0.0, cols = 0.0;
                for (int k = 0; k < 5; k++)
                {
                    rows += u[i, k] * u[j, k];
                    cols += u[k, i] * u[k, j];
                }

                Assert.Equal(i == j ? 1.0 : 0.0, rows, 12);
                Assert.Equal(i == j ? 1.0 : 0.0, cols, 12);
            }
        }
    }

    [Fact]
    public void InitializationIsSeededAndDeterministic()
    {
        static DoubleTensor[] Weights(int seed)
        {
            var gru = new Gru(3, new RecurrentOptions { Seed = seed });
            gru.Build([4, 2]);
            return gru.GetWeights();
        }

        // Two layers built separately with the same seed get the same weights; another seed differs.
        DoubleTensor[] first = Weights(7), second = Weights(7);
        Assert.Equal(first[0].Data, second[0].Data);
        Assert.Equal(first[1].Data, second[1].Data);
        Assert.NotEqual(first[0].Data, Weights(8)[0].Data);

        static DoubleTensor[] ModelWeights(int seed) => Network.Sequential([3], seed, new Dense(4), new Dense(2)).GetWeights();
        DoubleTensor[] modelFirst = ModelWeights(1), modelSecond = ModelWeights(1);
        Assert.Equal(modelFirst[0].Data, modelSecond[0].Data);
        Assert.NotEqual(ModelWeights(1)[0].Data, ModelWeights(2)[0].Data);
        Assert.NotEqual(ModelWeights(1)[0].Data[..2], ModelWeights(1)[2].Data[..2]);
    }

    [Fact]
    public void DenseTorchLayoutIsTheTranspose()
    {
        var dense = new Dense(2);
        dense.Build([3]);
        var kernel = new DoubleTensor([1, 2, 3, 4, 5, 6], 3, 2);
        dense.SetWeights(kernel, new DoubleTensor([7, 8], 2));
        DoubleTensor[] torch = dense.GetTorchWeights();
        Assert.Equal([2, 3], torch[0].Shape);
        Assert.Equal([1.0, 3, 5, 2, 4, 6], torch[0].Data);
        Assert.Equal([7.0, 8], torch[1].Data);
    }
}

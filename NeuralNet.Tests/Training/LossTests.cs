using NeuralNet.Losses;

namespace NeuralNet.Tests.Training;

public class LossTests
{
    private static double Compute(Loss loss, double[] p, double[] t, int cols)
        => loss.Compute(new DoubleTensor(p, p.Length / cols, cols), new DoubleTensor(t, t.Length / cols, cols));

    [Fact]
    public void KerasValuesOnSmallExamples()
    {
        // Written-out definitions: mean over all entries (rows for categorical cross-entropy).
        Assert.Equal(((0.25 * 0.25) + 1.0) / 2.0, Compute(new MeanSquaredError(), [0.75, 1.0], [1.0, 0.0], 2), 15);
        Assert.Equal((0.25 + 1.0) / 2.0, Compute(new MeanAbsoluteError(), [0.75, 1.0], [1.0, 0.0], 2), 15);
        Assert.Equal(((0.5 * 0.25 * 0.25) + (1.0 * (3.0 - 0.5))) / 2.0, Compute(new Huber(), [0.75, 3.0], [1.0, 0.0], 2), 15);
        Assert.Equal(-(Math.Log(0.8) + Math.Log(0.6)) / 2.0, Compute(new BinaryCrossEntropy(), [0.8, 0.4], [1.0, 0.0], 2), 15);
        Assert.Equal(-(Math.Log(0.7) + Math.Log(0.5)) / 2.0, Compute(new CategoricalCrossEntropy(), [0.7, 0.3, 0.5, 0.5], [1, 0, 0, 1], 2), 15);
    }

    [Fact]
    public void FromLogitsAgreesWithProbabilitiesAndIsStable()
    {
        double x = 0.3;
        double s = 1.0 / (1.0 + Math.Exp(-x));
        Assert.Equal(Compute(new BinaryCrossEntropy(), [s], [1.0], 1), Compute(new BinaryCrossEntropy(true), [x], [1.0], 1), 13);
        Assert.Equal(1000.0, Compute(new BinaryCrossEntropy(true), [1000.0], [0.0], 1), 12);
        Assert.Equal(0.0, Compute(new BinaryCrossEntropy(true), [1000.0], [1.0], 1), 12);

        double[] logits = [1.0, 2.0, 0.5];
        double z = logits.Sum(Math.Exp);
        double expected = -Math.Log(Math.Exp(2.0) / z);
        Assert.Equal(expected, Compute(new CategoricalCrossEntropy(true), logits, [0, 1, 0], 3), 13);
        Assert.Equal(1000.0, Compute(new CategoricalCrossEntropy(true), [1000.0, 0.0], [0, 1], 2), 12);
        Assert.False(double.IsNaN(Compute(new CategoricalCrossEntropy(true), [1000.0, 1000.0], [0, 1], 2)));
    }

    [Fact]
    public void ProbabilitiesAreClippedLikeKeras()
    {
        double loss = Compute(new BinaryCrossEntropy(), [0.0], [1.0], 1);
        Assert.Equal(-Math.Log(BinaryCrossEntropy.Epsilon), loss, 12);
    }

    [Fact]
    public void ShapeMismatchIsRejected()
        => Assert.Throws<ArgumentException>(() => new MeanSquaredError().Compute(new DoubleTensor(2, 2), new DoubleTensor(2, 3)));
}

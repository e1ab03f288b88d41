using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NeuralNet.Losses;
using NeuralNet.Tests.Helpers;

namespace NeuralNet.Tests.Gradients;

public class LossGradientTests
{
    private static Arbitrary<int> Seeds => Arb.From(Gen.Choose(0, int.MaxValue - 1));

    private static Property Check(Func<Random, string?> check)
        => Prop.ForAll(Seeds, seed =>
        {
            string? error = check(new Random(seed));
            return error is null ? true.ToProperty() : false.Label(error);
        });

    private static (DoubleTensor Predicted, DoubleTensor Target) Shapes(Random random, double low, double high, double targetLow, double targetHigh)
    {
        int rows = random.Next(1, 5), cols = random.Next(1, 5);
        var p = new DoubleTensor(rows, cols);
        var t = new DoubleTensor(rows, cols);
        for (int i = 0; i < p.Length; i++)
        {
            p.Data[i] = TestRandom.Uniform(random, low, high);
            t.Data[i] = TestRandom.Uniform(random, targetLow, targetHigh);
        }

        return (p, t);
    }

    [Property(MaxTest = 20)]
    public Property MeanSquaredError() => Check(random =>
    {
        (DoubleTensor p, DoubleTensor t) = Shapes(random, -3, 3, -3, 3);
        return NumericGradient.CheckLoss(new MeanSquaredError(), p, t);
    });

    [Property(MaxTest = 20)]
    public Property MeanAbsoluteErrorAwayFromZeroError() => Check(random =>
    {
        (DoubleTensor p, DoubleTensor t) = Shapes(random, -3, 3, -3, 3);
        return p.Data.Zip(t.Data).Any(e => Math.Abs(e.First - e.Second) < 1e-3) ? null : NumericGradient.CheckLoss(new MeanAbsoluteError(), p, t);
    });

    [Property(MaxTest = 20)]
    public Property HuberAwayFromTheThreshold() => Check(random =>
    {
        double delta = TestRandom.Uniform(random, 0.3, 2.0);
        (DoubleTensor p, DoubleTensor t) = Shapes(random, -3, 3, -3, 3);
        return p.Data.Zip(t.Data).Any(e => Math.Abs(Math.Abs(e.First - e.Second) - delta) < 1e-3) ? null : NumericGradient.CheckLoss(new Huber(delta), p, t);
    });

    [Property(MaxTest = 20)]
    public Property BinaryCrossEntropyFromProbabilities() => Check(random =>
    {
        (DoubleTensor p, DoubleTensor t) = Shapes(random, 0.05, 0.95, 0, 1);
        return NumericGradient.CheckLoss(new BinaryCrossEntropy(), p, t);
    });

    [Property(MaxTest = 20)]
    public Property BinaryCrossEntropyFromLogits() => Check(random =>
    {
        (DoubleTensor p, DoubleTensor t) = Shapes(random, -8, 8, 0, 1);
        return NumericGradient.CheckLoss(new BinaryCrossEntropy(fromLogits: true), p, t);
    });

    [Property(MaxTest = 20)]
    public Property CategoricalCrossEntropyFromProbabilities() => Check(random =>
    {
        (DoubleTensor p, DoubleTensor t) = Shapes(random, 0.05, 0.95, 0, 1);
        return NumericGradient.CheckLoss(new CategoricalCrossEntropy(), p, t);
    });

    [Property(MaxTest = 20)]
    public Property CategoricalCrossEntropyFromLogits() => Check(random =>
    {
        (DoubleTensor p, DoubleTensor t) = Shapes(random, -8, 8, 0, 1);
        return NumericGradient.CheckLoss(new CategoricalCrossEntropy(fromLogits: true), p, t);
    });
}

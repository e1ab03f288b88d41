using NeuralNet.Preprocessing;

namespace NeuralNet.Tests.Training;

/// <summary>scikit-learn's label_binarize / LabelBinarizer semantics.</summary>
public class LabelBinarizerTests
{
    [Fact]
    public void ColumnsFollowTheGivenClassOrder()
    {
        double[,] y = LabelBinarize.Transform([1, 6, 4], [1, 6, 4, 2]);
        Assert.Equal(new double[,] { { 1, 0, 0, 0 }, { 0, 1, 0, 0 }, { 0, 0, 1, 0 } }, y);
    }

    [Fact]
    public void TwoClassesGiveOneColumn()
    {
        double[,] y = LabelBinarize.Transform(["yes", "no", "no", "yes"], ["no", "yes"]);
        Assert.Equal(new double[,] { { 1 }, { 0 }, { 0 }, { 1 } }, y);
    }

    [Fact]
    public void UnknownLabelsGiveAZeroRow()
    {
        double[,] y = LabelBinarize.Transform(["a", "zzz", "c"], ["a", "b", "c"]);
        Assert.Equal(new double[,] { { 1, 0, 0 }, { 0, 0, 0 }, { 0, 0, 1 } }, y);
    }

    [Fact]
    public void NegativeAndPositiveLabels()
    {
        double[,] y = LabelBinarize.Transform([2, 0], [0, 1, 2], negativeLabel: -1, positiveLabel: 2);
        Assert.Equal(new double[,] { { -1, -1, 2 }, { 2, -1, -1 } }, y);
    }

    [Fact]
    public void BinarizerSortsClassesAndInverts()
    {
        var binarizer = new LabelBinarizer<string>();
        double[,] y = binarizer.FitTransform(["b", "a", "c", "a", "B"]);
        Assert.Equal(["B", "a", "b", "c"], binarizer.Classes);
        Assert.Equal(4, y.GetLength(1));
        Assert.Equal(["b", "a", "c", "a", "B"], binarizer.InverseTransform(y));
        Assert.Equal(["c", "a"], binarizer.InverseTransform(new double[,] { { 0.1, 0.2, 0.3, 0.9 }, { 0.2, 0.5, 0.1, 0.1 } }));
    }

    [Fact]
    public void BinaryInverseUsesTheMidpointThreshold()
    {
        var binarizer = new LabelBinarizer<int>().Fit([7, 3, 7]);
        Assert.Equal([3, 7], binarizer.Classes);
        Assert.Equal(new double[,] { { 1 }, { 0 } }, binarizer.Transform([7, 3]));
        Assert.Equal([3, 7, 3], binarizer.InverseTransform(new double[,] { { 0.2 }, { 0.8 }, { 0.5 } }));
        Assert.Equal([7], binarizer.InverseTransform(new double[,] { { 0.2 } }, threshold: 0.1));
    }

    [Fact]
    public void OneClassGivesAZeroColumn()
    {
        var binarizer = new LabelBinarizer<int>().Fit([5, 5]);
        Assert.Equal(new double[,] { { 0 }, { 0 } }, binarizer.Transform([5, 5]));
        Assert.Equal([5, 5], binarizer.InverseTransform(new double[,] { { 0 }, { 1 } }));
    }

    [Fact]
    public void TransformBeforeFitThrows() => Assert.Throws<InvalidOperationException>(() => new LabelBinarizer<int>().Transform([1]));
}

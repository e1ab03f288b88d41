namespace Odr.Tests.Support;

/// <summary>Assertions shared by the tests that compare two fits of the same problem.</summary>
internal static class FitAssert
{
    /// <summary>The two fits are the same to the bit: stop code, counts, estimates, covariance, the
    /// errors in x and y, the fitted values, the sums of squares and the printed report.</summary>
    public static void BitIdentical(Output expected, Output actual)
    {
        Assert.Equal(expected.Info, actual.Info);
        Assert.Equal(expected.Iterations, actual.Iterations);
        Assert.Equal(expected.FunctionEvaluations, actual.FunctionEvaluations);
        Assert.Equal(expected.JacobianEvaluations, actual.JacobianEvaluations);
        Assert.Equal(expected.Beta, actual.Beta);
        Assert.Equal(expected.SdBeta, actual.SdBeta);
        Assert.Equal(expected.CovBeta.ToArray(), actual.CovBeta.ToArray());
        Assert.Equal(expected.Delta.ToArray(), actual.Delta.ToArray());
        Assert.Equal(expected.Eps.ToArray(), actual.Eps.ToArray());
        Assert.Equal(expected.Y.ToArray(), actual.Y.ToArray());
        Assert.Equal(expected.SumSquare, actual.SumSquare);
        Assert.Equal(expected.ResVar, actual.ResVar);
        Assert.Equal(expected.PprintText(), actual.PprintText());
    }
}

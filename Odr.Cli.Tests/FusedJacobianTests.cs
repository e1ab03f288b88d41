using System.Globalization;
using Odr.Expressions;

namespace Odr.Cli.Tests;

/// <summary>
/// The tool's model computes fjacd along with fjacb and answers the solver's fjacd call that follows
/// at the same beta and x from it: the same bits as computing it, counted, and never when beta or x
/// differ in any bit.
/// </summary>
public class FusedJacobianTests
{
    private const string Gaussian = "B0 + B1*exp(-((x-B2)/B3)^2)";

    private static readonly double[] Beta = [0.5, 4, 10, 1.5];

    private static double[] Inputs(int n) => [.. Enumerable.Range(0, n).Select(i => 0.4 * i)];

    private static Model ToolModel(string text, int p) => ExpressionModel.Create([text], ["x"], p, isImplicit: false).ToModel(isImplicit: false);

    /// <summary>fjacd computed on its own, by the formula engine.</summary>
    private static double[] Separate(string text, int p, double[] beta, double[] x)
    {
        var jac = new double[x.Length];
        CompiledFormula.Compile(text, ["x"], p).JacobianX(beta, x, x.Length, jac);
        return jac;
    }

    private static void AssertSameBits(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(actual[i]),
                string.Create(CultureInfo.InvariantCulture, $"[{i}]: expected {expected[i]:R}, got {actual[i]:R}"));
        }
    }

    [Fact]
    public void FjacdAtTheSamePointIsTheOneComputedWithFjacb()
    {
        var model = ToolModel(Gaussian, 4);
        double[] x = Inputs(50), jb = new double[200], jx = new double[50];
        int kept = ExpressionModel.KeptJacobiansX;
        model.EvaluateJacobianBeta(Beta, x, jb);
        model.EvaluateJacobianX(Beta, x, jx);
        Assert.Equal(kept + 1, ExpressionModel.KeptJacobiansX);
        AssertSameBits(Separate(Gaussian, 4, Beta, x), jx);

        // Once only: a second call computes (the same values).
        model.EvaluateJacobianX(Beta, x, jx);
        Assert.Equal(kept + 1, ExpressionModel.KeptJacobiansX);
        AssertSameBits(Separate(Gaussian, 4, Beta, x), jx);
    }

    [Fact]
    public void AnInputDifferingOnlyInTheSignOfZeroIsComputedAfresh()
    {
        // d/dx sqrt(x) is +inf at 0 and -inf at -0: a cache comparing values with == would answer wrongly.
        const string text = "B0*sqrt(x)";
        var model = ToolModel(text, 1);
        double[] beta = [2], zero = [0.0, 1], minusZero = [-0.0, 1], jb = new double[2], jx = new double[2];
        int kept = ExpressionModel.KeptJacobiansX;
        model.EvaluateJacobianBeta(beta, zero, jb);
        model.EvaluateJacobianX(beta, minusZero, jx);
        Assert.Equal(kept, ExpressionModel.KeptJacobiansX);
        Assert.Equal(double.NegativeInfinity, jx[0]);
        AssertSameBits(Separate(text, 1, beta, minusZero), jx);
    }

    [Fact]
    public void OtherParametersOrAnotherModelAreComputedAfresh()
    {
        var model = ToolModel(Gaussian, 4);
        var other = ToolModel("B0 + B1*exp(-((x-B2)/B3)^2)*2", 4);
        double[] x = Inputs(20), moved = [0.5, 4, 10, 1.5000000000000002], jb = new double[80], jx = new double[20];
        int kept = ExpressionModel.KeptJacobiansX;
        model.EvaluateJacobianBeta(Beta, x, jb);
        model.EvaluateJacobianX(moved, x, jx);
        AssertSameBits(Separate(Gaussian, 4, moved, x), jx);

        model.EvaluateJacobianBeta(Beta, x, jb);
        other.EvaluateJacobianX(Beta, x, jx);
        AssertSameBits(Separate("B0 + B1*exp(-((x-B2)/B3)^2)*2", 4, Beta, x), jx);
        Assert.Equal(kept, ExpressionModel.KeptJacobiansX);
    }

    [Fact]
    public void FjacbAloneAsAnOlsFitAsksForItKeepsItsValues()
    {
        var model = ToolModel(Gaussian, 4);
        double[] x = Inputs(30), jb = new double[120], again = new double[120], jx = new double[30];
        var expected = new double[120];
        CompiledFormula.Compile(Gaussian, ["x"]).JacobianBeta(Beta, x, 30, expected);
        for (int round = 0; round < 3; round++)
        {
            model.EvaluateJacobianBeta(Beta, x, round == 0 ? jb : again);
        }

        AssertSameBits(expected, jb);
        AssertSameBits(expected, again);
        model.EvaluateJacobianX(Beta, x, jx);
        AssertSameBits(Separate(Gaussian, 4, Beta, x), jx);
    }

    [Fact]
    public void AnOdrFitIsTheFitWithSeparateJacobiansBitForBit()
    {
        // The same formulas as callbacks that compute every Jacobian on their own.
        CompiledFormula formula = CompiledFormula.Compile(Gaussian, ["x"]);
        var separate = new Model(
            new ModelFunction(Separately(formula.Evaluate).Invoke),
            Separately(formula.JacobianBeta),
            Separately(formula.JacobianX));
        double[] x = [.. Enumerable.Range(0, 50).Select(i => 0.4 * i)];
        double[] y = [.. x.Select((t, i) => 0.5 + (4 * Math.Exp(-Math.Pow((t - 10) / 1.5, 2))) + (0.05 * Math.Sin(i * 12.9898)))];
        Output Fit(Model model)
        {
            var odr = new ODR(new RealData(x, y, sx: 0.1, sy: 0.05), model, [0.4, 3.5, 9.5, 2]);
            odr.SetJob(fitType: 0, deriv: 2);
            return odr.Run();
        }

        int kept = ExpressionModel.KeptJacobiansX;
        Output tool = Fit(ToolModel(Gaussian, 4)), reference = Fit(separate);
        Assert.True(ExpressionModel.KeptJacobiansX > kept);
        Assert.Equal(reference.Iterations, tool.Iterations);
        AssertSameBits([.. reference.Beta, .. reference.SdBeta, reference.SumSquare], [.. tool.Beta, .. tool.SdBeta, tool.SumSquare]);
        AssertSameBits([.. reference.Delta.ToArray().Cast<double>()], [.. tool.Delta.ToArray().Cast<double>()]);
    }

    /// <summary>A formula kernel as a model callback (one input): into a new array, then copied.</summary>
    private static ModelJacobian Separately(Action<double[], double[], int, double[]> kernel) => (beta, x, output) =>
    {
        var values = new double[output.Length];
        kernel(beta.ToArray(), x.ToArray(), x.Length, values);
        values.CopyTo(output);
    };
}

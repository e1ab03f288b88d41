using System.Globalization;
using Odr.Expressions;

namespace Odr.Cli.Tests;

/// <summary>
/// The tool's model reuses, per thread, what a call computed at the same beta and x (FormulaSession):
/// f keeps its exponential for the Jacobians, fjacb computes fjacd along for the call that follows. The
/// same bits as computing each on its own, counted, and never when beta or x differ in any bit.
/// </summary>
public class FusedJacobianTests
{
    private const string Gaussian = "B0 + B1*exp(-((x-B2)/B3)^2)";

    private static readonly double[] Beta = [0.5, 4, 10, 1.5];

    private static double[] Inputs(int n) => [.. Enumerable.Range(0, n).Select(i => 0.4 * i)];

    private static (ExpressionModel Tool, Model Model) ToolModel(string text, int p)
    {
        var tool = ExpressionModel.Create([text], ["x"], p, isImplicit: false);
        return (tool, tool.ToModel(isImplicit: false));
    }

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
        var (tool, model) = ToolModel(Gaussian, 4);
        double[] x = Inputs(50), f = new double[50], jb = new double[200], jx = new double[50];
        model.Evaluate(Beta, x, f);
        model.EvaluateJacobianBeta(Beta, x, jb);
        model.EvaluateJacobianX(Beta, x, jx);
        Assert.Equal((1, 1), tool.Reuse);
        AssertSameBits(Separate(Gaussian, 4, Beta, x), jx);
        var expected = new double[200];
        CompiledFormula.Compile(Gaussian, ["x"]).JacobianBeta(Beta, x, 50, expected);
        AssertSameBits(expected, jb);
    }

    [Fact]
    public void OtherParametersOrAnotherModelAreComputedAfresh()
    {
        var (tool, model) = ToolModel(Gaussian, 4);
        var (otherTool, other) = ToolModel("B0 + B1*exp(-((x-B2)/B3)^2)*2", 4);
        double[] x = Inputs(20), moved = [0.5, 4, 10, 1.5000000000000002], jb = new double[80], jx = new double[20];
        model.EvaluateJacobianBeta(Beta, x, jb);
        model.EvaluateJacobianX(moved, x, jx);
        AssertSameBits(Separate(Gaussian, 4, moved, x), jx);

        model.EvaluateJacobianBeta(Beta, x, jb);
        other.EvaluateJacobianX(Beta, x, jx);
        AssertSameBits(Separate("B0 + B1*exp(-((x-B2)/B3)^2)*2", 4, Beta, x), jx);
        Assert.Equal((0, 0), tool.Reuse);
        Assert.Equal((0, 0), otherTool.Reuse);
    }

    [Fact]
    public void SeveralResponsesGetEachFormulasJacobianRows()
    {
        // Two formulas sharing parameters: rows interleaved per observation, jac[((i*q + l) * p) + k].
        string[] texts = ["B0*exp(-B1*t)", "B2*sin(B3*t + B1)"];
        var tool = ExpressionModel.Create(texts, ["t"], 4, isImplicit: false);
        var model = tool.ToModel(isImplicit: false);
        double[] beta = [2, 0.3, 1.5, 0.5], t = Inputs(30);
        double[] f = new double[60], jb = new double[240], jx = new double[60];
        model.Evaluate(beta, t, f);
        model.EvaluateJacobianBeta(beta, t, jb);
        model.EvaluateJacobianX(beta, t, jx);
        Assert.Equal((2, 2), tool.Reuse);
        for (int l = 0; l < 2; l++)
        {
            CompiledFormula formula = CompiledFormula.Compile(texts[l], ["t"], 4);
            double[] ef = new double[30], eb = new double[120], ex = new double[30];
            formula.Evaluate(beta, t, 30, ef);
            formula.JacobianBeta(beta, t, 30, eb);
            formula.JacobianX(beta, t, 30, ex);
            AssertSameBits(ef, [.. Enumerable.Range(0, 30).Select(i => f[(i * 2) + l])]);
            AssertSameBits(eb, [.. Enumerable.Range(0, 120).Select(j => jb[((((j / 4) * 2) + l) * 4) + (j % 4)])]);
            AssertSameBits(ex, [.. Enumerable.Range(0, 30).Select(i => jx[(i * 2) + l])]);
        }
    }

    [Theory]
    [InlineData(0)] // ODR
    [InlineData(2)] // OLS: fjacd never asked for
    public void AFitIsTheFitWithSeparateJacobiansBitForBit(int fitType)
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
            odr.SetJob(fitType: fitType, deriv: 2);
            return odr.Run();
        }

        var (tool, toolModel) = ToolModel(Gaussian, 4);
        Output fitted = Fit(toolModel), reference = Fit(separate);
        Assert.True(tool.Reuse.JacobiansFromKeptValues > 0);
        Assert.Equal(fitType == 0, tool.Reuse.KeptJacobiansX > 0);
        Assert.Equal(reference.Iterations, fitted.Iterations);
        AssertSameBits([.. reference.Beta, .. reference.SdBeta, reference.SumSquare], [.. fitted.Beta, .. fitted.SdBeta, fitted.SumSquare]);
        AssertSameBits([.. reference.Delta.ToArray().Cast<double>()], [.. fitted.Delta.ToArray().Cast<double>()]);
    }

    /// <summary>A formula kernel as a model callback (one input): into a new array, then copied.</summary>
    private static ModelJacobian Separately(Action<double[], double[], int, double[]> kernel) => (beta, x, output) =>
    {
        var values = new double[output.Length];
        kernel(beta.ToArray(), x.ToArray(), x.Length, values);
        values.CopyTo(output);
    };
}

using Odr.Expressions;

namespace Odr.Expressions.Tests;

public class EvaluationTests
{
    private static readonly double[] Beta = [0.8, -0.35, 1.7, 0.45];

    private static readonly (string Text, Func<double[], double, double, double> F)[] Cases =
    [
        ("B0*exp(B1*x) + B2", (b, x, y) => b[0] * Math.Exp(b[1] * x) + b[2]),
        ("B0 + B1*x + B2*x^2 + B3*x^3", (b, x, y) => b[0] + b[1] * x + b[2] * x * x + b[3] * Math.Pow(x, 3)),
        ("B[0]*pow(x,B[1]) + B[2]*exp(-B[3]*y)", (b, x, y) => b[0] * Math.Pow(x, b[1]) + b[2] * Math.Exp(-b[3] * y)),
        ("log(x) + log10(y) - sqrt(x*y)", (b, x, y) => Math.Log(x) + Math.Log10(y) - Math.Sqrt(x * y)),
        ("abs(B1*x) + fabs(-y)", (b, x, y) => Math.Abs(b[1] * x) + Math.Abs(-y)),
        ("sin(x) * cos(y) / tan(x + 0.1)", (b, x, y) => Math.Sin(x) * Math.Cos(y) / Math.Tan(x + 0.1)),
        ("asin(x/3) + acos(y/4) - atan(B0*x)", (b, x, y) => Math.Asin(x / 3) + Math.Acos(y / 4) - Math.Atan(b[0] * x)),
        ("atan2(y, x - 2) * B2", (b, x, y) => Math.Atan2(y, x - 2) * b[2]),
        ("sinh(x/2) - cosh(B1*y) + tanh(x*y)", (b, x, y) => Math.Sinh(x / 2) - Math.Cosh(b[1] * y) + Math.Tanh(x * y)),
        ("-x^2 + 2^-y + pi*e", (b, x, y) => -(x * x) + Math.Pow(2, -y) + Math.PI * Math.E),
        ("(B0+B1*x+B2*x*x+B3*x*x*x)/(1.0+B1*x+B2*x*x)", (b, x, y) => (b[0] + b[1] * x + b[2] * x * x + b[3] * x * x * x) / (1.0 + b[1] * x + b[2] * x * x)),
        ("x^y^0.5 - sign(B1)", (b, x, y) => Math.Pow(x, Math.Sqrt(y)) - Math.Sign(b[1])),
        ("B3 / (1 + exp(-(x - B0)/B2))", (b, x, y) => b[3] / (1 + Math.Exp(-(x - b[0]) / b[2]))),
        ("1e-3*x + .5*y - 2.0e+1", (b, x, y) => 1e-3 * x + .5 * y - 2.0e+1),
    ];

    public static TheoryData<int> CaseIndices()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Cases.Length; i++)
        {
            data.Add(i);
        }

        return data;
    }

    private static readonly string[] Names = ["x", "y"];

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void MatchesHandWrittenLambda(int index)
    {
        var (text, lambda) = Cases[index];
        var compiled = CompiledFormula.Compile(text, Names, parameterCount: 4);
        const int n = 7;
        double[] x = new double[n * 2];
        for (int i = 0; i < n; i++)
        {
            x[2 * i] = 0.3 + (0.37 * i);
            x[(2 * i) + 1] = 0.2 + (0.41 * i);
        }

        double[] f = new double[n];
        compiled.Evaluate(Beta, x, n, f);
        for (int i = 0; i < n; i++)
        {
            double expected = lambda(Beta, x[2 * i], x[(2 * i) + 1]);
            Assert.Equal(expected, f[i], 1e-12 * (1 + Math.Abs(expected)));
            Assert.Equal(expected, compiled.Evaluate(Beta, [x[2 * i], x[(2 * i) + 1]]), 1e-12 * (1 + Math.Abs(expected)));
            Assert.Equal(expected, compiled.Formula.Evaluate(Beta, [x[2 * i], x[(2 * i) + 1]]), 1e-12 * (1 + Math.Abs(expected)));
        }
    }

    [Fact]
    public void JacobiansOfExponentialModel()
    {
        var c = CompiledFormula.Compile("B0*exp(B1*x) + B2");
        Assert.Equal(3, c.ParameterCount);
        Assert.Equal(1, c.VariableCount);
        double[] beta = [2.0, -0.5, 1.0];
        double[] x = [0.0, 1.0, 2.0];
        double[] jb = new double[9];
        double[] jx = new double[3];
        c.JacobianBeta(beta, x, 3, jb);
        c.JacobianX(beta, x, 3, jx);
        for (int i = 0; i < 3; i++)
        {
            double ex = Math.Exp(beta[1] * x[i]);
            Assert.Equal(ex, jb[(i * 3) + 0], 14);
            Assert.Equal(beta[0] * x[i] * ex, jb[(i * 3) + 1], 14);
            Assert.Equal(1.0, jb[(i * 3) + 2], 14);
            Assert.Equal(beta[0] * beta[1] * ex, jx[i], 14);
        }

        Assert.Equal("exp(B1*x)", c.ParameterDerivativeTexts[0]);
        Assert.Equal("B0*(exp(B1*x)*x)", c.ParameterDerivativeTexts[1]);
        Assert.Equal("1", c.ParameterDerivativeTexts[2]);
        Assert.Equal("B0*(exp(B1*x)*B1)", c.VariableDerivativeTexts[0]);
    }

    [Fact]
    public void UnusedParametersGetZeroColumns()
    {
        var c = Formula.Parse("B1*x0 + B3*x1^2").Compile(parameterCount: 5);
        Assert.Equal(5, c.ParameterCount);
        Assert.Equal([1, 3], c.UsedParameters);
        double[] beta = [9, 2, 9, 3, 9];
        double[] x = [1.5, 2.0, -1.0, 0.5];
        double[] jac = Enumerable.Repeat(double.NaN, 10).ToArray();
        c.JacobianBeta(beta, x, 2, jac);
        Assert.Equal([0, 1.5, 0, 4.0, 0, 0, -1.0, 0, 0.25, 0], jac);
        double[] jx = new double[4];
        c.JacobianX(beta, x, 2, jx);
        Assert.Equal([2, 3 * 2 * 2.0, 2, 3 * 2 * 0.5], jx);
        Assert.Equal("0", c.ParameterDerivativeTexts[0]);
    }

    [Fact]
    public void ParameterCountSmallerThanUsedIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Formula.Parse("B3*x").Compile(parameterCount: 2));
    }

    [Fact]
    public void ShortArraysAreRejected()
    {
        var c = CompiledFormula.Compile("B0 + B1*x");
        Assert.Throws<ArgumentException>(() => c.Evaluate([1.0], [1.0, 2.0], 2, new double[2]));
        Assert.Throws<ArgumentException>(() => c.Evaluate([1.0, 2.0], [1.0], 2, new double[2]));
        Assert.Throws<ArgumentException>(() => c.Evaluate([1.0, 2.0], [1.0, 2.0], 2, new double[1]));
        Assert.Throws<ArgumentException>(() => c.JacobianBeta([1.0, 2.0], [1.0, 2.0], 2, new double[3]));
    }

    [Fact]
    public void CompiledCallsDoNotAllocate()
    {
        var c = CompiledFormula.Compile("B0*exp(B1*x) + B2*sin(x)^2").Prepare();
        double[] beta = [1, 0.1, 2];
        double[] x = [.. Enumerable.Range(0, 100).Select(i => i * 0.01)];
        double[] f = new double[100];
        double[] jb = new double[300];
        double[] jx = new double[100];
        c.Evaluate(beta, x, 100, f);
        c.JacobianBeta(beta, x, 100, jb);
        c.JacobianX(beta, x, 100, jx);
        _ = c.Evaluate(beta, [0.5]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int r = 0; r < 10; r++)
        {
            c.Evaluate(beta, x, 100, f);
            c.JacobianBeta(beta, x, 100, jb);
            c.JacobianX(beta, x, 100, jx);
        }

        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, after - before);
        Assert.Equal(beta[0] * Math.Exp(beta[1] * x[50]) + (beta[2] * Math.Pow(Math.Sin(x[50]), 2)), f[50], 12);
    }

    [Fact]
    public void ConstantsAreFolded()
    {
        var f = Formula.Parse("2*pi*x + (3 - 1)^2*B0 + 0*B1 + 1*B2 + x^1 + sqrt(4) + 0/x");
        Assert.Equal("6.283185307179586*x + 4*B0 + B2 + x + 2", f.ToString());
    }

    [Theory]
    [InlineData("x*0", "0")]
    [InlineData("x*1", "x")]
    [InlineData("1*x", "x")]
    [InlineData("x+0", "x")]
    [InlineData("0+x", "x")]
    [InlineData("x-0", "x")]
    [InlineData("0-x", "-x")]
    [InlineData("0/x", "0")]
    [InlineData("x/1", "x")]
    [InlineData("x^1", "x")]
    [InlineData("x^0", "1")]
    [InlineData("1^x", "1")]
    [InlineData("--x", "x")]
    [InlineData("x - -B0", "x + B0")]
    [InlineData("x + -B0", "x - B0")]
    [InlineData("exp(0) + log(1)", "1")]
    [InlineData("-x*-y", "x*y")]
    public void Simplification(string text, string expected)
    {
        Assert.Equal(expected, Formula.Parse(text, ["x", "y"]).ToString());
    }

    [Theory]
    [InlineData("pow(x, B0)", "x^B0*log(x)")]
    [InlineData("x^3", "3*x^2")]
    [InlineData("abs(x)", "sign(x)")]
    [InlineData("sqrt(x)", "1/(2*sqrt(x))")]
    [InlineData("log10(x)", "1/(x*2.302585092994046)")]
    [InlineData("atan2(B0, x)", "-B0/(x*x + B0*B0)")]
    [InlineData("2^x", "2^x*0.6931471805599453")]
    public void DerivativeText(string text, string derivative)
    {
        var f = Formula.Parse(text);
        var d = f.ParameterCount > 0 && text.StartsWith("pow", StringComparison.Ordinal)
            ? f.DerivativeWithRespectToParameter(0)
            : f.DerivativeWithRespectToVariable(0);
        Assert.Equal(derivative, d.ToString());
    }
}

public class PrintingTests
{
    [Theory]
    [InlineData("(x^2)^3")]
    [InlineData("x^y^2")]
    [InlineData("(-x)^2")]
    [InlineData("-x^2")]
    [InlineData("(-2)^x")]
    [InlineData("2^-x")]
    [InlineData("x - (y - 1)")]
    [InlineData("x - y - 1")]
    [InlineData("x + (y + 1)")]
    [InlineData("x/(y*2)")]
    [InlineData("x/y*2")]
    [InlineData("-(x*y)")]
    [InlineData("-x*y")]
    [InlineData("x*-y")]
    [InlineData("x^(y + 1)")]
    [InlineData("(x + y)*(x - y)")]
    [InlineData("atan2(x, y)")]
    [InlineData("x - -2")]
    [InlineData("1E-05*x + 1E+20")]
    [InlineData("x^(y/3)")]
    public void PrintsCanonicalText(string text)
    {
        Assert.Equal(text, Formula.Parse(text, ["x", "y"]).ToString());
    }

    [Fact]
    public void VariablesPrintWithTheirNames()
    {
        Assert.Equal("B0*time + B1*signal", Formula.Parse("B[0]*x[0] + B[1]*x1", ["time", "signal"]).ToString());
        Assert.Equal("B0*x0 + B1*x1", Formula.Parse("B[0]*x + B[1]*x[1]").ToString());
    }
}

public class UsageSampleTests
{
    [Fact]
    public void ReadmeSampleWorks()
    {
        var formula = Formula.Parse("B0*exp(B1*time) + B2", ["time"]);
        CompiledFormula model = formula.Compile();
        double[] beta = [2.0, -0.5, 1.0];
        double[] x = [0.0, 1.0, 2.0];
        double[] f = new double[3], jb = new double[3 * 3], jx = new double[3];
        model.Evaluate(beta, x, 3, f);
        model.JacobianBeta(beta, x, 3, jb);
        model.JacobianX(beta, x, 3, jx);
        Assert.Equal("B0*(exp(B1*time)*time)", model.ParameterDerivativeTexts[1]);
        Assert.Equal((2.0 * Math.Exp(-1.0)) + 1.0, f[2], 14);
        Assert.Equal(2.0 * 2.0 * Math.Exp(-1.0), jb[(2 * 3) + 1], 14);
        Assert.Equal(2.0 * -0.5 * Math.Exp(-1.0), jx[2], 14);
    }

    [Fact]
    public void ExpAliasDiffersFromTheExpFunction()
    {
        Assert.Equal(NodeKind.Add, Formula.Parse("exp").Expression.Kind); // scipy's exponential: B0 + exp(B1*x)
        Assert.Equal(NodeKind.Call, Formula.Parse("exp(x)").Expression.Kind);
        Assert.Equal(0, Formula.Parse("exp(x)").ParameterCount);
    }
}

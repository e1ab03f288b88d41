using System.Text;
using Odr.Expressions;

namespace Odr.Expressions.Tests;

/// <summary>
/// Formulas too long, too deep or with too large an index are refused with an <see cref="ExpressionException"/>;
/// formulas at the limits go through every stage (parse, derivatives, printing, compiling, evaluating) on a
/// thread with two thirds of .NET's smallest default stack, and give the values of a closed form.
/// </summary>
public class LimitsTests
{
    private static string Repeat(string s, int count) => new StringBuilder(s.Length * count).Insert(0, s, count).ToString();

    private static string Nested(string open, int count, string inner = "x") => Repeat(open, count) + inner + Repeat(")", count);

    private static void AssertTooDeep(string text)
    {
        var e = Assert.Throws<ExpressionException>(() => Formula.Parse(text));
        Assert.Contains("nested too deeply", e.Message, StringComparison.Ordinal);
        Assert.Contains(Formula.MaxDepth.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwentyThousandParenthesesAreRefusedNotAStackOverflow()
    {
        Assert.Throws<ExpressionException>(() => Formula.Parse(Nested("(", 20_000)));
        AssertTooDeep(Nested("(", 4_000));
    }

    [Fact]
    public void FiveThousandNestedExpAreRefusedNotAStackOverflow()
    {
        Assert.Throws<ExpressionException>(() => Formula.Parse(Nested("exp(", 5_300)));
        AssertTooDeep(Nested("exp(", 1_900));
    }

    [Theory]
    [InlineData("(")]
    [InlineData("exp(")]
    [InlineData("atan2(1, ")]
    [InlineData("pow(x, ")]
    [InlineData("-(")]
    [InlineData("+(")]
    public void OneLevelBeyondTheLimitIsRefused(string open)
    {
        AssertTooDeep(Nested(open, Formula.MaxDepth + 1));
    }

    [Theory]
    [InlineData("+x")]
    [InlineData("*x")]
    [InlineData("-x")]
    [InlineData("/x")]
    [InlineData("^x")]
    public void LongChainsAreRefusedByDepth(string link)
    {
        // x + x + ... is ((x + x) + x) + ...: one level per term.
        AssertTooDeep("x" + Repeat(link, Formula.MaxDepth));
        AssertTooDeep("x" + Repeat(link, 4_000));
    }

    [Fact]
    public void UnarySignsAreCountedEvenWhenTheySimplifyAway()
    {
        AssertTooDeep(Repeat("-", 9_000) + "x");
        AssertTooDeep(Repeat("+", 9_000) + "x");
        Assert.Equal(-2.0, Formula.Parse(Repeat("-", Formula.MaxDepth - 1) + "x").Evaluate([], [2.0]));
    }

    [Fact]
    public void TooLongIsRefusedAndTheLimitItselfIsAccepted()
    {
        var e = Assert.Throws<ExpressionException>(() => Formula.Parse("x" + new string(' ', Formula.MaxLength)));
        Assert.Contains("too long", e.Message, StringComparison.Ordinal);
        Assert.Equal(7.0, Formula.Parse("7" + new string(' ', Formula.MaxLength - 1)).Evaluate([], [0.0]));
    }

    [Theory]
    [InlineData("B10000")]
    [InlineData("B[10000]")]
    [InlineData("B999999999")]
    [InlineData("B2147483647")]
    [InlineData("B99999999999999999999")]
    [InlineData("B[2147483648]")]
    [InlineData("x[10000]")]
    [InlineData("x10000")]
    [InlineData("x2147483647")]
    [InlineData("x[99999999999999999999]")]
    public void TooLargeIndicesAreRefusedBeforeAnythingIsAllocated(string text)
    {
        var e = Assert.Throws<ExpressionException>(() => Formula.Parse(text));
        Assert.Contains("too large", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheHighestIndexIsAccepted()
    {
        var f = Formula.Parse("B9999*x[9999]");
        Assert.Equal(10_000, f.ParameterCount);
        Assert.Equal(10_000, f.VariableCount);
        Assert.Equal([9999], f.UsedParameters);
    }

    /// <summary>Runs on a thread with 1 MB of stack (.NET's default for secondary threads is 1.5 MB).</summary>
    private static void OnSmallStack(Action action)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, 1024 * 1024);
        thread.Start();
        thread.Join();
        if (failure is not null) throw new Xunit.Sdk.XunitException($"failed on a 1 MB stack: {failure}");
    }

    /// <summary>Every stage on a formula of exactly the maximum depth, checked against a loop written here.</summary>
    private static void AllStages(string text, double x, Func<double, double> value, Func<double, double> derivative, double tolerance)
    {
        OnSmallStack(() =>
        {
            var formula = Formula.Parse("B0*(" + text + ")");
            Assert.Equal(Formula.MaxDepth, formula.Expression.Depth);
            var compiled = formula.Compile().Prepare();
            _ = compiled.VariableDerivativeTexts;
            string printed = formula.ToString();
            Assert.Equal(formula.Evaluate([1.0], [x]), Formula.Parse(printed).Evaluate([1.0], [x]));

            double[] beta = [1.0];
            double[] f = new double[1], jb = new double[1], jx = new double[1];
            compiled.Evaluate(beta, [x], 1, f);
            compiled.JacobianBeta(beta, [x], 1, jb);
            compiled.JacobianX(beta, [x], 1, jx);
            double v = value(x), d = derivative(x);
            Assert.True(Math.Abs(f[0] - v) <= tolerance * Math.Abs(v), $"value {f[0]:R}, closed form {v:R}");
            Assert.True(Math.Abs(formula.Evaluate(beta, [x]) - v) <= tolerance * Math.Abs(v), "interpreted value");
            Assert.True(Math.Abs(jb[0] - v) <= tolerance * Math.Abs(v), $"d/dB0 {jb[0]:R}, closed form {v:R}");
            Assert.True(Math.Abs(jx[0] - d) <= tolerance * Math.Abs(d), $"d/dx {jx[0]:R}, closed form {d:R}");
        });
    }

    // B0*(...) adds two levels: Multiply, and the content's own root.
    private const int Inner = Formula.MaxDepth - 1;

    [Fact]
    public void NestedSinAtTheLimit()
    {
        AllStages(Nested("sin(", Inner - 1), 0.7,
            x =>
            {
                for (int k = 0; k < Inner - 1; k++) x = Math.Sin(x);
                return x;
            },
            x =>
            {
                double d = 1;
                for (int k = 0; k < Inner - 1; k++)
                {
                    d *= Math.Cos(x);
                    x = Math.Sin(x);
                }
                return d;
            }, 1e-12);
    }

    [Fact]
    public void LongSumAtTheLimit()
    {
        // x + x^2 + x + x^2 ...: Inner - 1 terms, left to right.
        int terms = Inner - 1;
        var sb = new StringBuilder("x");
        for (int k = 1; k < terms; k++) sb.Append(k % 2 == 0 ? " + x" : " + x^2");
        AllStages(sb.ToString(), 1.1,
            x =>
            {
                double s = x;
                for (int k = 1; k < terms; k++) s += k % 2 == 0 ? x : x * x;
                return s;
            },
            x =>
            {
                double s = 1;
                for (int k = 1; k < terms; k++) s += k % 2 == 0 ? 1 : 2 * x;
                return s;
            }, 1e-13);
    }

    [Fact]
    public void LongProductAtTheLimit()
    {
        int factors = Inner;
        AllStages("x" + Repeat("*x", factors - 1), 1.001, x => Math.Pow(x, factors), x => factors * Math.Pow(x, factors - 1), 1e-12);
    }

    [Fact]
    public void PowerTowerAtTheLimit()
    {
        // x^(x^(x^...)) with x = 1.1 converges; the derivative by the chain rule, from the top down.
        int levels = Inner;
        AllStages("x" + Repeat("^x", levels - 1), 1.1,
            x =>
            {
                double t = x;
                for (int k = 1; k < levels; k++) t = Math.Pow(x, t);
                return t;
            },
            x =>
            {
                // t_k = x^t_(k-1), t_1 = x: dt_k = t_k (dt_(k-1) ln x + t_(k-1)/x).
                double t = x, dt = 1;
                for (int k = 1; k < levels; k++)
                {
                    double next = Math.Pow(x, t);
                    dt = next * ((dt * Math.Log(x)) + (t / x));
                    t = next;
                }
                return dt;
            }, 1e-9);
    }

    [Fact]
    public void TreesBuiltByTheFactoriesBeyondTheStackThrowInsteadOfCrashing()
    {
        Node deep = Node.Variable(0, "x");
        for (int k = 0; k < 200_000; k++) deep = Node.Add(deep, Node.Call(MathFunction.Sin, Node.Variable(0, "x")));
        Assert.Equal(200_002, deep.Depth);
        OnSmallStack(() =>
        {
            Assert.Throws<InsufficientExecutionStackException>(() => deep.ToString());
            Assert.Throws<InsufficientExecutionStackException>(() => deep.Evaluate([], [1.0]));
            Assert.Throws<InsufficientExecutionStackException>(() => deep.DerivativeWithRespectToVariable(0));
            Assert.Throws<InsufficientExecutionStackException>(() => deep.Walk(_ => { }));
        });
    }
}

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Odr.Expressions;

namespace Odr.Expressions.Tests;

/// <summary>
/// The block interpreter (<see cref="FormulaEngine.Blocks"/>, what the Native AOT tool runs) gives the
/// same bits as the generated code and as the tree interpreter <see cref="Node.Evaluate"/>, for values
/// and both Jacobians, across block boundaries (256 observations).
/// </summary>
public class BlockEngineTests
{
    private static readonly int[] Counts = [0, 1, 3, 255, 256, 257, 600];

    private static Arbitrary<Generators.BatchCase> Cases(bool safe) => Generators.BatchCasesOfSizes(safe, Counts);

    private static bool Same(double a, double b) => Generators.SameBits(a, b);

    /// <summary>First index where two arrays differ, or -1.</summary>
    private static int FirstDifference(double[] a, double[] b)
    {
        for (int i = 0; i < a.Length; i++)
        {
            if (!Same(a[i], b[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static string Check(Formula formula, double[] beta, double[] x, int n)
    {
        int p = Generators.ParameterCount + 1; // one parameter more than the formula can use: a zero column
        int m = formula.VariableCount;
        CompiledFormula generated = formula.Compile(p, FormulaEngine.GeneratedCode);
        CompiledFormula blocks = formula.Compile(p, FormulaEngine.Blocks);
        double[] betaP = [.. beta, 0.25];
        foreach (var (name, width, run) in new (string, int, Action<CompiledFormula, double[]>)[]
                 {
                     ("f", 1, (c, o) => c.Evaluate(betaP, x, n, o)),
                     ("df/dB", p, (c, o) => c.JacobianBeta(betaP, x, n, o)),
                     ("df/dx", m, (c, o) => c.JacobianX(betaP, x, n, o)),
                 })
        {
            double[] expected = new double[n * width], actual = new double[n * width];
            run(generated, expected);
            run(blocks, actual);
            int i = FirstDifference(expected, actual);
            if (i >= 0)
            {
                return $"{name} at [{i}]: generated {expected[i]}, blocks {actual[i]}";
            }

            // And the tree interpreter, observation by observation.
            for (int obs = 0; obs < n; obs++)
            {
                double[] row = x.AsSpan(obs * m, m).ToArray();
                for (int c = 0; c < width; c++)
                {
                    Node tree = name switch
                    {
                        "f" => formula.Expression,
                        "df/dB" => formula.DerivativeWithRespectToParameter(c),
                        _ => formula.DerivativeWithRespectToVariable(c),
                    };
                    double reference = tree.Evaluate(betaP, row);
                    if (!Same(reference, actual[(obs * width) + c]))
                    {
                        return $"{name} at observation {obs}, column {c}: tree {reference}, blocks {actual[(obs * width) + c]}";
                    }
                }
            }
        }

        for (int obs = 0; obs < Math.Min(n, 5); obs++)
        {
            double[] row = x.AsSpan(obs * m, m).ToArray();
            double g = generated.Evaluate(betaP, row), b = blocks.Evaluate(betaP, row);
            if (!Same(g, b))
            {
                return $"point {obs}: generated {g}, blocks {b}";
            }
        }

        return "";
    }

    [Property(MaxTest = 200)]
    public Property BlocksEqualGeneratedCodeOnAnyTree() =>
        Prop.ForAll(Cases(safe: false), c =>
        {
            string failure = Check(Formula.Parse(c.Tree.ToString(), Generators.Names), c.Beta, c.X, c.N);
            return (failure.Length == 0).Label(failure);
        });

    [Property(MaxTest = 150)]
    public Property BlocksEqualGeneratedCodeOnSafeTrees() =>
        Prop.ForAll(Cases(safe: true), c =>
        {
            string failure = Check(Formula.Parse(c.Tree.ToString(), Generators.Names), c.Beta, c.X, c.N);
            return (failure.Length == 0).Label(failure);
        });

    /// <summary>One input (the inputs are copied a block at a time rather than gathered).</summary>
    [Theory]
    [InlineData("B0*exp(B1*x) + B2")]
    [InlineData("B0 + B1*x + B2*x^2")]
    [InlineData("B0*sin(B1*x)^2 + sqrt(abs(x))^B2/(1 + x^2)")]
    [InlineData("atan2(B0*x, B1 - x) + x^0.5 - log10(1 + B2^2)")]
    [InlineData("-x + -(B0*B1) + sign(x - B2)*tanh(x)")]
    [InlineData("B0 + B1 + B2")]
    [InlineData("-(B0*x)")]
    [InlineData("exp(-x)*cosh(B0)/sinh(B1 + 3) + asin(x/4) - acos(x/5) + atan(B2*x) + tan(x/7) + cos(B0*x)")]
    public void BlocksEqualGeneratedCodeWithOneInput(string text)
    {
        var rng = new Random(17);
        foreach (int n in (int[])[0, 1, 255, 256, 257, 1000])
        {
            double[] x = [.. Enumerable.Range(0, n).Select(_ => (6 * rng.NextDouble()) - 3)];
            x.AsSpan(0, Math.Min(n, 2)).Fill(0); // zeros and signed zeros go through too
            if (n > 2)
            {
                x[2] = -0.0;
            }

            string failure = Check(Formula.Parse(text, ["x"]), [1.5, -0.7, 0.3], x, n);
            Assert.True(failure.Length == 0, $"{text}, n = {n}: {failure}");
        }
    }

    /// <summary>The derivative with respect to an unused parameter is +0 by definition; shared
    /// subexpressions once merged it with the -0 of another column (-sign(B0 + 0.1) has d/dB0 = -0),
    /// since double.Equals(0, -0) is true.</summary>
    [Theory]
    [InlineData(FormulaEngine.GeneratedCode)]
    [InlineData(FormulaEngine.Blocks)]
    public void ZeroAndMinusZeroColumnsStayApart(FormulaEngine engine)
    {
        CompiledFormula f = Formula.Parse("-sign(B0 + 0.1)", ["x"]).Compile(2, engine);
        double[] jac = new double[2];
        f.JacobianBeta([1.0, 2.0], [0.5], 1, jac);
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(jac[0]));
        Assert.Equal(0L, BitConverter.DoubleToInt64Bits(jac[1]));
        Assert.False(Node.Constant(-0.0).Equals(Node.Zero));
    }

    [Fact]
    public void AutomaticIsGeneratedCodeWhereDynamicCodeRuns()
    {
        Formula f = Formula.Parse("B0*x", ["x"]);
        Assert.Equal(
            System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported ? FormulaEngine.GeneratedCode : FormulaEngine.Blocks,
            f.Compile().Engine);
        Assert.Equal(FormulaEngine.Blocks, f.Compile(engine: FormulaEngine.Blocks).Engine);
        Assert.Throws<ArgumentOutOfRangeException>(() => f.Compile(engine: (FormulaEngine)7));
    }
}

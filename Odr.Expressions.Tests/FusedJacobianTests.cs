using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Odr.Expressions;

namespace Odr.Expressions.Tests;

/// <summary>
/// <see cref="CompiledFormula.Jacobians"/> computes both Jacobians in one program, sharing the
/// subexpressions the derivatives have in common: the values must be those of
/// <see cref="CompiledFormula.JacobianBeta"/> and <see cref="CompiledFormula.JacobianX"/> bit for bit,
/// with either engine, and the shared subexpressions computed once.
/// </summary>
public class FusedJacobianTests
{
    private const string Gaussian = "B0 + B1*exp(-((x-B2)/B3)^2)";

    private static readonly int[] Counts = [0, 1, 3, 50, 256, 257];

    private static Arbitrary<Generators.BatchCase> Cases(bool safe) => Generators.BatchCasesOfSizes(safe, Counts);

    private static bool Same(double a, double b) => Generators.SameBits(a, b);

    /// <summary>"" when the fused Jacobians equal the separate ones with both engines, else where not.</summary>
    private static string Check(Formula formula, double[] beta, double[] x, int n)
    {
        int p = Generators.ParameterCount + 1; // one parameter more than the formula can use: a zero column
        int m = formula.VariableCount;
        double[] betaP = [.. beta, 0.25];
        foreach (FormulaEngine engine in (FormulaEngine[])[FormulaEngine.GeneratedCode, FormulaEngine.Blocks])
        {
            CompiledFormula separate = formula.Compile(p, engine), fused = formula.Compile(p, engine);
            double[] jb = new double[n * p], jx = new double[n * m];
            separate.JacobianBeta(betaP, x, n, jb);
            separate.JacobianX(betaP, x, n, jx);

            // Filled with NaN first: a value the fused kernel fails to write shows.
            double[] fb = [.. Enumerable.Repeat(double.NaN, n * p)], fx = [.. Enumerable.Repeat(double.NaN, n * m)];
            fused.Jacobians(betaP, x, n, fb, fx);
            for (int i = 0; i < n * p; i++)
            {
                if (!Same(jb[i], fb[i]))
                {
                    return $"{engine} df/dB at [{i}]: separate {jb[i]}, fused {fb[i]}";
                }
            }

            for (int i = 0; i < n * m; i++)
            {
                if (!Same(jx[i], fx[i]))
                {
                    return $"{engine} df/dx at [{i}]: separate {jx[i]}, fused {fx[i]}";
                }
            }
        }

        return "";
    }

    [Property(MaxTest = 200)]
    public Property FusedEqualsSeparateOnAnyTree() =>
        Prop.ForAll(Cases(safe: false), c =>
        {
            string failure = Check(Formula.Parse(c.Tree.ToString(), Generators.Names), c.Beta, c.X, c.N);
            return (failure.Length == 0).Label(failure);
        });

    [Property(MaxTest = 150)]
    public Property FusedEqualsSeparateOnSafeTrees() =>
        Prop.ForAll(Cases(safe: true), c =>
        {
            string failure = Check(Formula.Parse(c.Tree.ToString(), Generators.Names), c.Beta, c.X, c.N);
            return (failure.Length == 0).Label(failure);
        });

    [Theory]
    [InlineData(Gaussian)]
    [InlineData("B0*exp(B1*x) + B2")]
    [InlineData("atan2(B0*x, B1 - x) + x^0.5 - log10(1 + B2^2)")]
    [InlineData("B0 + B1 + B2")]
    [InlineData("sqrt(x)*B0 + 1/x")]
    public void FusedEqualsSeparateWithOneInput(string text)
    {
        var rng = new Random(5);
        foreach (int n in (int[])[0, 1, 50, 300])
        {
            double[] x = [.. Enumerable.Range(0, n).Select(_ => (6 * rng.NextDouble()) - 3)];
            if (n > 2)
            {
                (x[0], x[1]) = (0.0, -0.0); // signed zeros too: 1/x and sqrt(x) tell them apart
            }

            string failure = Check(Formula.Parse(text, ["x"]), [1.5, -0.7, 0.3], x, n);
            Assert.True(failure.Length == 0, $"{text}, n = {n}: {failure}");
        }
    }

    [Fact]
    public void AGaussianPeaksJacobiansCallExpOncePerObservationInsteadOfTwice()
    {
        // Every derivative of B0 + B1*exp(-((x-B2)/B3)^2) but the constant dB0 holds the exponential.
        Formula formula = Formula.Parse(Gaussian, ["x"]);
        Node[] beta = [.. Enumerable.Range(0, 4).Select(formula.DerivativeWithRespectToParameter)];
        Node[] x = [formula.DerivativeWithRespectToVariable(0)];
        int separate = new BlockProgram(beta, 1).CallsPerObservation(MathFunction.Exp)
            + new BlockProgram(x, 1).CallsPerObservation(MathFunction.Exp);
        int fused = new BlockProgram([.. beta, .. x], 1, split: 4).CallsPerObservation(MathFunction.Exp);
        Assert.Equal(2, separate);
        Assert.Equal(1, fused);
    }

    [Fact]
    public void TheFusedJacobiansOfAGaussianPeakAreItsClosedFormDerivatives()
    {
        // Independent of the engine: the derivatives written out by hand.
        double[] beta = [0.5, 4, 10, 1.5];
        double[] x = [.. Enumerable.Range(0, 50).Select(i => 0.4 * i)];
        foreach (FormulaEngine engine in (FormulaEngine[])[FormulaEngine.GeneratedCode, FormulaEngine.Blocks])
        {
            CompiledFormula formula = CompiledFormula.Compile(Gaussian, ["x"], engine: engine);
            double[] jb = new double[50 * 4], jx = new double[50];
            formula.Jacobians(beta, x, 50, jb, jx);
            for (int i = 0; i < 50; i++)
            {
                double w = (x[i] - beta[2]) / beta[3], e = Math.Exp(-w * w);
                double[] expected = [1, e, beta[1] * e * 2 * w / beta[3], beta[1] * e * 2 * w * w / beta[3]];
                for (int k = 0; k < 4; k++)
                {
                    Assert.Equal(expected[k], jb[(i * 4) + k], 1e-12);
                }

                Assert.Equal(-expected[2], jx[i], 1e-12);
            }
        }
    }

    [Fact]
    public void ShortArraysAreRefused()
    {
        CompiledFormula formula = CompiledFormula.Compile(Gaussian, ["x"]);
        double[] beta = [0.5, 4, 10, 1.5], x = [1, 2];
        Assert.Throws<ArgumentException>(() => formula.Jacobians(beta, x, 2, new double[7], new double[2]));
        Assert.Throws<ArgumentException>(() => formula.Jacobians(beta, x, 2, new double[8], new double[1]));
    }
}

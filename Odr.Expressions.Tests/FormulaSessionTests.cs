using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Odr.Expressions;

namespace Odr.Expressions.Tests;

/// <summary>
/// <see cref="FormulaSession"/> reuses what a call computed at the same point: f's evaluation keeps the
/// costly subexpressions the derivatives use, ∂f/∂B computes both Jacobians from them, ∂f/∂x hands out
/// the one kept. Every value must be the <see cref="CompiledFormula"/>'s own call's, bit for bit, in any
/// order of calls and points, with either engine; and the reuse must happen (counted) only at the same
/// point.
/// </summary>
public class FormulaSessionTests
{
    private const string Gaussian = "B0 + B1*exp(-((x-B2)/B3)^2)";

    private static readonly FormulaEngine[] Engines = [FormulaEngine.GeneratedCode, FormulaEngine.Blocks];

    private static bool Same(double a, double b) => Generators.SameBits(a, b);

    /// <summary>A formula, two points, and calls: (what, which point) with what 0 = f, 1 = ∂f/∂B, 2 = ∂f/∂x.</summary>
    public sealed record SessionCase(Node Tree, double[][] Betas, double[][] Xs, int N, (int What, int Point)[] Calls)
    {
        public override string ToString() =>
            $"f = {Tree}; n = {N}; calls = [{string.Join(", ", Calls)}]; beta0 = [{string.Join(", ", Betas[0])}]";
    }

    private static Arbitrary<SessionCase> Cases(bool safe) =>
        (from depth in Gen.Choose(0, 5)
         from tree in safe ? Generators.Safe(depth) : Generators.Any(depth)
         from n in Gen.Elements(0, 1, 5, 50, 257)
         from beta0 in Generators.Vector(Generators.ParameterCount, -3, 3)
         from beta1 in Generators.Vector(Generators.ParameterCount, -3, 3)
         from x0 in Generators.Vector(n * Generators.Names.Length, -3, 3)
         from x1 in Generators.Vector(n * Generators.Names.Length, -3, 3)
         from calls in Gen.ArrayOf(from what in Gen.Choose(0, 2) from point in Gen.Frequency((4, Gen.Constant(0)), (1, Gen.Constant(1))) select (what, point), 8)
         from differs in Gen.Choose(0, 2) // the second point: another beta and x, another x only, another beta only
         select new SessionCase(tree, [beta0, differs == 1 ? beta0 : beta1], [x0, differs == 2 ? x0 : x1], n, calls)).ToArbitrary();

    /// <summary>"" when every call of a session gives the formula's own call's bits, else the first difference.</summary>
    private static string Check(SessionCase c)
    {
        Formula formula = Formula.Parse(c.Tree.ToString(), Generators.Names);
        int p = Generators.ParameterCount, m = formula.VariableCount, n = c.N;
        foreach (FormulaEngine engine in Engines)
        {
            CompiledFormula compiled = formula.Compile(p, engine);
            var session = new FormulaSession(compiled);
            foreach (var (what, point) in c.Calls)
            {
                double[] beta = c.Betas[point], x = c.Xs[point];
                int width = what switch { 0 => 1, 1 => p, _ => m };
                double[] expected = new double[n * width], actual = new double[n * width];
                Array.Fill(actual, 12345.0);
                switch (what)
                {
                    case 0:
                        compiled.Evaluate(beta, x, n, expected);
                        session.Evaluate(beta, x, n, actual);
                        break;
                    case 1:
                        compiled.JacobianBeta(beta, x, n, expected);
                        session.JacobianBeta(beta, x, n, actual);
                        break;
                    default:
                        compiled.JacobianX(beta, x, n, expected);
                        session.JacobianX(beta, x, n, actual);
                        break;
                }

                for (int i = 0; i < expected.Length; i++)
                {
                    if (!Same(expected[i], actual[i]))
                    {
                        return $"{engine}, call {what} at point {point}, [{i}]: formula {expected[i]}, session {actual[i]}";
                    }
                }
            }
        }

        return "";
    }

    [Property(MaxTest = 150)]
    public Property ASessionGivesTheFormulasBitsOnAnyTree() =>
        Prop.ForAll(Cases(safe: false), c =>
        {
            string failure = Check(c);
            return (failure.Length == 0).Label(failure);
        });

    [Property(MaxTest = 150)]
    public Property ASessionGivesTheFormulasBitsOnSafeTrees() =>
        Prop.ForAll(Cases(safe: true), c =>
        {
            string failure = Check(c);
            return (failure.Length == 0).Label(failure);
        });

    [Fact]
    public void AGaussianPeakKeepsItsExponentialAndItsJacobiansCallNoExp()
    {
        // f calls exp once per observation and keeps it; the Jacobians read it: 3 exp per point
        // (f, fjacb, fjacd) become 1 where the solver evaluates f and then both Jacobians.
        CompiledFormula formula = CompiledFormula.Compile(Gaussian, ["x"], engine: FormulaEngine.Blocks);
        var (kept, reading) = formula.KeptProgram;
        Assert.Equal("exp(-((x - B2)/B3)^2)", Assert.Single(kept).ToString());
        Assert.Equal(0, new BlockProgram(reading, 1, split: 4, keptWidth: 1).CallsPerObservation(MathFunction.Exp));
        Assert.Equal(1, new BlockProgram([formula.Formula.Expression, .. kept], 1, split: 1).CallsPerObservation(MathFunction.Exp));
    }

    [Fact]
    public void OnlyFunctionsOfTheObservationThatTheDerivativesUseAreKept()
    {
        // Polynomials, and functions of the parameters alone (computed once per call): nothing to keep.
        Assert.Equal(0, CompiledFormula.Compile("B0 + B1*x + B2*x^2", ["x"]).KeptCount);
        Assert.Equal(0, CompiledFormula.Compile("exp(B0)*x + B1", ["x"]).KeptCount);

        // d/dB0 is sin(B1*x) itself; the others need cos(B1*x), which f does not compute.
        var (kept, _) = CompiledFormula.Compile("B0*sin(B1*x)", ["x"]).KeptProgram;
        Assert.Equal("sin(B1*x)", Assert.Single(kept).ToString());
    }

    [Fact]
    public void TheSolversOrderOfCallsReusesAndCountsIt()
    {
        double[] beta = [0.5, 4, 10, 1.5];
        double[] x = [.. Enumerable.Range(0, 50).Select(i => 0.4 * i)];
        foreach (FormulaEngine engine in Engines)
        {
            CompiledFormula formula = CompiledFormula.Compile(Gaussian, ["x"], engine: engine);
            var session = new FormulaSession(formula);
            double[] f = new double[50], jb = new double[200], jx = new double[50];
            session.Evaluate(beta, x, 50, f);
            session.JacobianBeta(beta, x, 50, jb);
            session.JacobianX(beta, x, 50, jx);
            Assert.Equal((1, 1), (session.JacobiansFromKeptValues, session.KeptJacobiansX));

            // A Jacobian without an evaluation there first: computed in one pass, fjacd still kept.
            double[] moved = [0.5, 4, 10.25, 1.5];
            session.JacobianBeta(moved, x, 50, jb);
            session.JacobianX(moved, x, 50, jx);
            Assert.Equal((1, 2), (session.JacobiansFromKeptValues, session.KeptJacobiansX));

            // Closed form, independent of the engine.
            for (int i = 0; i < 50; i++)
            {
                double w = (x[i] - moved[2]) / moved[3], e = Math.Exp(-w * w);
                Assert.Equal(moved[1] * e * 2 * w / moved[3], jb[(i * 4) + 2], 1e-12);
                Assert.Equal(-moved[1] * e * 2 * w / moved[3], jx[i], 1e-12);
            }
        }
    }

    [Fact]
    public void APointDifferingOnlyInTheSignOfAZeroIsAnotherPoint()
    {
        // d/dx sqrt(x) is +inf at 0 and -inf at -0: comparing with == would hand out the wrong one.
        CompiledFormula formula = CompiledFormula.Compile("B0*sqrt(x)", ["x"]);
        var session = new FormulaSession(formula);
        double[] beta = [2], jb = new double[2], jx = new double[2];
        session.Evaluate(beta, [0.0, 1], 2, new double[2]);
        session.JacobianBeta(beta, [0.0, 1], 2, jb);
        session.JacobianX(beta, [-0.0, 1], 2, jx);
        Assert.Equal((1, 0), (session.JacobiansFromKeptValues, session.KeptJacobiansX));
        Assert.Equal(double.NegativeInfinity, jx[0]);

        session.Evaluate(beta, [-0.0, 1], 2, new double[2]);
        session.JacobianBeta([-2.0], [-0.0, 1], 2, jb); // another beta: computed afresh
        Assert.Equal(1, session.JacobiansFromKeptValues);
    }

    [Fact]
    public void ShortArraysAreRefused()
    {
        var session = new FormulaSession(CompiledFormula.Compile(Gaussian, ["x"]));
        double[] beta = [0.5, 4, 10, 1.5], x = [1, 2];
        Assert.Throws<ArgumentException>(() => session.Evaluate(beta.AsSpan(0, 3), x, 2, new double[2]));
        Assert.Throws<ArgumentException>(() => session.Evaluate(beta, x, 3, new double[3]));
        Assert.Throws<ArgumentException>(() => session.JacobianBeta(beta, x, 2, new double[7]));
        Assert.Throws<ArgumentException>(() => session.JacobianX(beta, x, 2, new double[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => session.JacobianX(beta, x, -1, new double[1]));
    }
}

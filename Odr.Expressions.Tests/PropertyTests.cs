using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Odr.Expressions;

namespace Odr.Expressions.Tests;

public class PropertyTests
{
    private static bool Same(double a, double b) => a.Equals(b);

    /// <summary>What finite differences say about an analytic derivative.</summary>
    private enum FiniteDifferenceVerdict
    {
        /// <summary>A Richardson estimate agrees with the analytic value to 1e-6 relative.</summary>
        Agrees,

        /// <summary>Some step size resolves the derivative (its estimates at h and h/2 agree to 1e-7)
        /// and none agrees with the analytic value: the analytic derivative is wrong.</summary>
        Disagrees,

        /// <summary>No step size resolves the derivative (f oscillates too fast at this point, as
        /// sin(v^18) does, so the differences cannot tell right from wrong): the case says nothing.</summary>
        Unresolved,
    }

    /// <summary>
    /// Compares <paramref name="analytic"/> with Richardson-extrapolated central differences of f along
    /// coordinate i of v at several step sizes (so that truncation and rounding error cannot both be
    /// large), each checked against the estimate at half its step.
    /// </summary>
    private static FiniteDifferenceVerdict CompareWithFiniteDifferences(Func<double[], double> f, double[] v, int i, double analytic, out double numeric)
    {
        double Central(double step)
        {
            double[] p = (double[])v.Clone();
            double[] m = (double[])v.Clone();
            p[i] += step;
            m[i] -= step;
            return (f(p) - f(m)) / (2 * step);
        }

        double Richardson(double step) => ((4 * Central(step / 2)) - Central(step)) / 3;

        numeric = double.NaN;
        bool resolved = false;
        double scale = Math.Max(1, Math.Abs(analytic));
        foreach (double relative in (double[])[1e-3, 1e-2, 1e-4, 1e-5])
        {
            double h = relative * Math.Max(1, Math.Abs(v[i]));
            double coarse = Richardson(h);
            double fine = Richardson(h / 2);
            numeric = fine;
            if (Math.Abs(analytic - coarse) <= 1e-6 * scale || Math.Abs(analytic - fine) <= 1e-6 * scale)
            {
                return FiniteDifferenceVerdict.Agrees;
            }

            resolved |= Math.Abs(coarse - fine) <= 1e-7 * scale;
        }

        return resolved ? FiniteDifferenceVerdict.Disagrees : FiniteDifferenceVerdict.Unresolved;
    }

    /// <summary>Largest magnitude of any subexpression at the point (huge values make differences unreliable).</summary>
    private static double LargestIntermediate(Node tree, double[] beta, double[] x)
    {
        double max = 0;
        tree.Walk(n => max = Math.Max(max, Math.Abs(n.Evaluate(beta, x))));
        return max;
    }

    /// <summary>True when an abs() argument is so close to 0 that finite differences straddle the kink.</summary>
    private static bool NearKink(Node tree, double[] beta, double[] x)
    {
        bool near = false;
        tree.Walk(n =>
        {
            if (n.Kind == NodeKind.Call && n.Function is MathFunction.Abs or MathFunction.Sign
                && Math.Abs(n.Left!.Evaluate(beta, x)) < 0.05)
            {
                near = true;
            }
        });
        return near;
    }

    [Property(MaxTest = 3000)]
    public Property SymbolicDerivativesMatchFiniteDifferences() =>
        Prop.ForAll(Generators.SafeCases(), c =>
        {
            Node f = c.Tree;
            bool ok = true, resolved = true;
            var failures = new List<string>();
            for (int k = 0; k < Generators.ParameterCount; k++)
            {
                double analytic = f.DerivativeWithRespectToParameter(k).Evaluate(c.Beta, c.X);
                Record(CompareWithFiniteDifferences(b => f.Evaluate(b, c.X), c.Beta, k, analytic, out double numeric),
                    $"d/dB{k}: {analytic} vs {numeric} ({f.DerivativeWithRespectToParameter(k)})");
            }

            for (int j = 0; j < Generators.Names.Length; j++)
            {
                double analytic = f.DerivativeWithRespectToVariable(j).Evaluate(c.Beta, c.X);
                Record(CompareWithFiniteDifferences(x => f.Evaluate(c.Beta, x), c.X, j, analytic, out double numeric),
                    $"d/d{Generators.Names[j]}: {analytic} vs {numeric} ({f.DerivativeWithRespectToVariable(j)})");
            }

            void Record(FiniteDifferenceVerdict verdict, string failure)
            {
                resolved &= verdict != FiniteDifferenceVerdict.Unresolved;
                if (verdict == FiniteDifferenceVerdict.Disagrees)
                {
                    ok = false;
                    failures.Add(failure);
                }
            }

            bool usable = resolved && !NearKink(f, c.Beta, c.X) && LargestIntermediate(f, c.Beta, c.X) < 1e4;
            return ok.When(usable).Label(string.Join("; ", failures));
        });

    [Property(MaxTest = 500)]
    public Property PrintingThenParsingEvaluatesIdentically() =>
        Prop.ForAll(Generators.AnyCases(), c =>
        {
            string text = c.Tree.ToString();
            Formula parsed = Formula.Parse(text, Generators.Names);
            double expected = c.Tree.Evaluate(c.Beta, c.X);
            double actual = parsed.Evaluate(c.Beta, c.X);
            return Same(expected, actual).Label($"{text}: {expected} vs {actual}");
        });

    [Property(MaxTest = 300)]
    public Property PrintingThenParsingEvaluatesIdenticallyOnSafeTrees() =>
        Prop.ForAll(Generators.SafeCases(), c =>
        {
            string text = c.Tree.ToString();
            double expected = c.Tree.Evaluate(c.Beta, c.X);
            double actual = Formula.Parse(text, Generators.Names).Evaluate(c.Beta, c.X);
            return (double.IsFinite(expected) && Same(expected, actual)).Label($"{text}: {expected} vs {actual}");
        });

    [Property(MaxTest = 200)]
    public Property PrintingIsAFixedPoint() =>
        Prop.ForAll(Generators.AnyCases(), c =>
        {
            string once = Formula.Parse(c.Tree.ToString(), Generators.Names).ToString();
            string twice = Formula.Parse(once, Generators.Names).ToString();
            return (once == twice).Label($"{once} vs {twice}");
        });

    [Property(MaxTest = 150)]
    public Property DerivativeTextParsesBackToTheSameFunction() =>
        Prop.ForAll(Generators.SafeCases(), c =>
        {
            Node d = c.Tree.DerivativeWithRespectToParameter(0);
            double expected = d.Evaluate(c.Beta, c.X);
            double actual = Formula.Parse(d.ToString(), Generators.Names).Evaluate(c.Beta, c.X);
            return Same(expected, actual).Label($"{d}: {expected} vs {actual}");
        });

    [Property(MaxTest = 150)]
    public Property VectorisedEvaluateEqualsPerPointEvaluate() =>
        Prop.ForAll(Generators.BatchCases(safe: false), c =>
        {
            Formula formula = Formula.Parse(c.Tree.ToString(), Generators.Names);
            CompiledFormula compiled = formula.Compile(Generators.ParameterCount);
            double[] f = new double[c.N];
            compiled.Evaluate(c.Beta, c.X, c.N, f);
            for (int i = 0; i < c.N; i++)
            {
                double[] row = c.X.AsSpan(i * 2, 2).ToArray();
                double point = compiled.Evaluate(c.Beta, row);
                double interpreted = formula.Evaluate(c.Beta, row);
                if (!Same(f[i], point) || !Same(point, interpreted))
                {
                    return false.Label($"row {i}: batch {f[i]}, point {point}, interpreted {interpreted}");
                }
            }

            return true.ToProperty();
        });

    [Property(MaxTest = 100)]
    public Property CompiledJacobiansEqualInterpretedDerivatives() =>
        Prop.ForAll(Generators.BatchCases(safe: true), c =>
        {
            Formula formula = Formula.Parse(c.Tree.ToString(), Generators.Names);
            CompiledFormula compiled = formula.Compile(Generators.ParameterCount);
            int p = Generators.ParameterCount, m = Generators.Names.Length;
            double[] jb = new double[c.N * p];
            double[] jx = new double[c.N * m];
            compiled.JacobianBeta(c.Beta, c.X, c.N, jb);
            compiled.JacobianX(c.Beta, c.X, c.N, jx);
            for (int i = 0; i < c.N; i++)
            {
                double[] row = c.X.AsSpan(i * m, m).ToArray();
                for (int k = 0; k < p; k++)
                {
                    double expected = formula.DerivativeWithRespectToParameter(k).Evaluate(c.Beta, row);
                    if (!Same(jb[(i * p) + k], expected))
                    {
                        return false.Label($"row {i} d/dB{k}: {jb[(i * p) + k]} vs {expected}");
                    }
                }

                for (int j = 0; j < m; j++)
                {
                    double expected = formula.DerivativeWithRespectToVariable(j).Evaluate(c.Beta, row);
                    if (!Same(jx[(i * m) + j], expected))
                    {
                        return false.Label($"row {i} d/dx{j}: {jx[(i * m) + j]} vs {expected}");
                    }
                }
            }

            return true.ToProperty();
        });
}

using System.Runtime.InteropServices;

namespace Odr.Expressions;

/// <summary>
/// One thread's calls of a <see cref="CompiledFormula"/>, reusing what an earlier call computed at the
/// same parameters and inputs. An ODR solver evaluates f at a point and, when it keeps the point, asks
/// for ∂f/∂B and then ∂f/∂x there: the evaluation keeps the costly subexpressions the derivatives use
/// (the exponential of a Gaussian peak), the first Jacobian call computes both Jacobians from them in
/// one pass, and the second hands out the one it kept. A call at any other point (beta and x compared
/// bit for bit: 0 and -0 differ) computes afresh.
/// </summary>
/// <remarks>The values are those of the <see cref="CompiledFormula"/>'s own calls, bit for bit: a
/// reused value is one computed with the same operations in the same order. Not thread-safe: one
/// session per thread. The session keeps the last point and what was computed there (a few values per
/// observation); calls do not allocate once its arrays have grown to the number of observations.</remarks>
public sealed class FormulaSession
{
    private readonly int _p;
    private readonly int _m;
    private readonly int _r;
    private double[] _beta = [];
    private double[] _x = [];
    private int _n = -1; // observations of the point held; -1: none
    private double[] _kept = [];
    private bool _keptValid;
    private double[] _jacobianX = [];
    private bool _jacobianXValid;
    private double[] _values = [];

    /// <summary>A session over <paramref name="formula"/>.</summary>
    /// <param name="formula">The compiled formula.</param>
    public FormulaSession(CompiledFormula formula)
    {
        ArgumentNullException.ThrowIfNull(formula);
        Formula = formula;
        _p = formula.ParameterCount;
        _m = formula.VariableCount;
        _r = formula.KeptCount;
    }

    /// <summary>The formula evaluated.</summary>
    public CompiledFormula Formula { get; }

    /// <summary>How many Jacobian calls were computed from the values an evaluation at the same point kept.</summary>
    public int JacobiansFromKeptValues { get; private set; }

    /// <summary>How many ∂f/∂x calls were answered with the Jacobian computed along with ∂f/∂B.</summary>
    public int KeptJacobiansX { get; private set; }

    /// <summary>f[i] = f(beta; x[i*m .. i*m + m - 1]) for i = 0..n-1 (as <see cref="CompiledFormula.Evaluate(double[], double[], int, double[])"/>).</summary>
    /// <param name="beta">Parameters (length ≥ p).</param>
    /// <param name="x">Inputs, observation-major with stride m (length ≥ n*m).</param>
    /// <param name="n">Number of observations.</param>
    /// <param name="f">Receives the n values.</param>
    public void Evaluate(ReadOnlySpan<double> beta, ReadOnlySpan<double> x, int n, Span<double> f)
    {
        Check(beta, x, n, f, 1);
        Hold(beta, x, n);
        double[] values = Grown(ref _values, n);
        if (_r == 0)
        {
            Formula.Evaluate(_beta, _x, n, values);
        }
        else
        {
            Formula.EvaluateKeeping(_beta, _x, n, values, Grown(ref _kept, n * _r));
            _keptValid = true;
        }

        values.AsSpan(0, n).CopyTo(f);
    }

    /// <summary>jac[i*p + k] = ∂f/∂B<sub>k</sub> at observation i (as <see cref="CompiledFormula.JacobianBeta"/>);
    /// ∂f/∂x is computed along and kept for <see cref="JacobianX"/> at the same point.</summary>
    /// <param name="beta">Parameters (length ≥ p).</param>
    /// <param name="x">Inputs, observation-major with stride m (length ≥ n*m).</param>
    /// <param name="n">Number of observations.</param>
    /// <param name="jac">Receives n*p values.</param>
    public void JacobianBeta(ReadOnlySpan<double> beta, ReadOnlySpan<double> x, int n, Span<double> jac)
    {
        Check(beta, x, n, jac, _p);
        Hold(beta, x, n);
        double[] jacobianBeta = Grown(ref _values, n * _p);
        double[] jacobianX = Grown(ref _jacobianX, n * _m);
        if (_keptValid)
        {
            Formula.JacobiansFromKept(_beta, _x, _kept, n, jacobianBeta, jacobianX);
            JacobiansFromKeptValues++;
        }
        else
        {
            Formula.Jacobians(_beta, _x, n, jacobianBeta, jacobianX);
        }

        _jacobianXValid = true;
        jacobianBeta.AsSpan(0, n * _p).CopyTo(jac);
    }

    /// <summary>jac[i*m + j] = ∂f/∂x<sub>j</sub> at observation i (as <see cref="CompiledFormula.JacobianX"/>):
    /// the one <see cref="JacobianBeta"/> computed when it was called at the same point.</summary>
    /// <param name="beta">Parameters (length ≥ p).</param>
    /// <param name="x">Inputs, observation-major with stride m (length ≥ n*m).</param>
    /// <param name="n">Number of observations.</param>
    /// <param name="jac">Receives n*m values.</param>
    public void JacobianX(ReadOnlySpan<double> beta, ReadOnlySpan<double> x, int n, Span<double> jac)
    {
        Check(beta, x, n, jac, _m);
        Hold(beta, x, n);
        if (_jacobianXValid)
        {
            KeptJacobiansX++;
        }
        else
        {
            Formula.JacobianX(_beta, _x, n, Grown(ref _jacobianX, n * _m));
            _jacobianXValid = true;
        }

        _jacobianX.AsSpan(0, n * _m).CopyTo(jac);
    }

    /// <summary>Makes (beta, x) the point held; what was computed at another point is dropped.</summary>
    private void Hold(ReadOnlySpan<double> beta, ReadOnlySpan<double> x, int n)
    {
        beta = beta[.._p];
        x = x[..(n * _m)];
        if (n == _n && SameBits(beta, _beta.AsSpan(0, _p)) && SameBits(x, _x.AsSpan(0, n * _m)))
        {
            return;
        }

        _n = -1; // nothing held until both are copied
        beta.CopyTo(Grown(ref _beta, _p));
        x.CopyTo(Grown(ref _x, n * _m));
        _n = n;
        _keptValid = false;
        _jacobianXValid = false;
    }

    /// <summary>The same doubles bit for bit (0 and -0 differ: a formula may tell them apart).</summary>
    private static bool SameBits(ReadOnlySpan<double> a, ReadOnlySpan<double> b) =>
        MemoryMarshal.Cast<double, long>(a).SequenceEqual(MemoryMarshal.Cast<double, long>(b));

    private static double[] Grown(ref double[] array, int length) =>
        array.Length >= length ? array : (array = new double[Math.Max(length, 16)]);

    private void Check(ReadOnlySpan<double> beta, ReadOnlySpan<double> x, int n, Span<double> output, int width) =>
        CompiledFormula.CheckLengths(_p, _m, beta.Length, x.Length, n, output.Length, width);
}

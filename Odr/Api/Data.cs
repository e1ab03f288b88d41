using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using Odr.Core;

namespace Odr;

/// <summary>
/// The data to fit, as scipy.odr's <c>Data(x, y, we, wd, fix)</c>: x is a vector (one input) or an
/// m×n matrix, y a vector (one response), a q×n matrix, or null for an implicit fit; we and wd are
/// weights on the errors of y and x in any of ODRPACK's shapes (scalar, one per observation for one
/// variable, a diagonal shared by all observations, a diagonal per observation [dim, n], a full matrix
/// shared [dim, dim], a full matrix per observation [dim, dim, n]).
/// </summary>
public class Data
{
    /// <summary>Creates the data set.</summary>
    /// <param name="x">Explanatory variable(s): n values or an [m, n] matrix.</param>
    /// <param name="y">Response(s): n values, a [q, n] matrix, or null for an implicit model.</param>
    /// <param name="we">Weights on eps (the errors of y), or null for 1.</param>
    /// <param name="wd">Weights on delta (the errors of x), or null for 1.</param>
    /// <param name="fix">ifixx: 0 where an input is known exactly (n values, m values, or [m, n]).</param>
    public Data(NdArray x, NdArray? y = null, NdArray? we = null, NdArray? wd = null, NdArray? fix = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank is not (1 or 2)) throw new ArgumentException($"x must be a vector of n values or an [m, n] matrix; got shape {x.ShapeText}.", nameof(x));
        x.RequireFinite(nameof(x));
        N = x.Rank == 1 ? x.Shape[0] : x.Shape[1];
        M = x.Rank == 1 ? 1 : x.Shape[0];
        if (N < 1) throw new ArgumentException("x holds no observations.", nameof(x));
        if (M < 1) throw new ArgumentException("x has no input variables.", nameof(x));
        X = M == 1 ? x.SharedValues : ToObservationMajor(x, M, N); // one input: already observation-major

        if (y is not null)
        {
            if (y.Rank is not (1 or 2)) throw new ArgumentException($"y must be a vector of n values or a [q, n] matrix; got shape {y.ShapeText}.", nameof(y));
            int yn = y.Rank == 1 ? y.Shape[0] : y.Shape[1];
            if (yn != N) throw new ArgumentException($"y has {yn} observations but x has {N}; they must match.", nameof(y));
            y.RequireFinite(nameof(y));
            Q = y.Rank == 1 ? 1 : y.Shape[0];
            if (Q < 1) throw new ArgumentException("y has no response variables.", nameof(y));
            Y = Q == 1 ? y.SharedValues : ToObservationMajor(y, Q, N);
        }

        RawWe = we;
        RawWd = wd;
        if (we is not null)
        {
            we.RequireFinite(nameof(we));
            if (Y is null)
            {
                // Implicit fits use WE(1,1,1) as the starting penalty only.
                if (we.Length == 0) throw new ArgumentException("we is empty; for an implicit fit it is the starting penalty, one number.", nameof(we));
                if (we.Values[0] < 0) throw new ArgumentException("we must not be negative.", nameof(we));
                ImplicitPenalty = we.Values[0];
            }
            else
            {
                WeightsOnEps = InterpretWeights(we, Q, N, nameof(we), requirePositive: false);
            }
        }
        if (wd is not null)
        {
            wd.RequireFinite(nameof(wd));
            WeightsOnDelta = InterpretWeights(wd, M, N, nameof(wd), requirePositive: true);
        }
        if (fix is not null) Fix = InterpretIfixx(fix, M, N, nameof(fix));
    }

    /// <summary>Number of observations n.</summary>
    public int N { get; }

    /// <summary>Number of explanatory variables m.</summary>
    public int M { get; }

    /// <summary>Number of responses q (0 when y was not given: implicit data).</summary>
    public int Q { get; }

    /// <summary>x as given, observation-major (input j of observation i at [i*m + j]).</summary>
    internal double[] X { get; }

    /// <summary>y observation-major, or null for implicit data.</summary>
    internal double[]? Y { get; }

    internal BlockWeights? WeightsOnEps { get; private protected set; }

    internal BlockWeights? WeightsOnDelta { get; private protected set; }

    internal double ImplicitPenalty { get; }

    internal int[]? Fix { get; }

    /// <summary>Correlated x–y errors (RealData's rxy): the slope c_i = −r_i·sy_i/sx_i per observation
    /// that the solver adds to the model as f(β, z) + c_i·(z − x_i), so that the weighted sum of squares
    /// of ODRPACK becomes the quadratic form of (δ_i, ε_i) with the inverse of their covariance. Null
    /// when no correlation was given or every r_i is 0 (then the fit is exactly the uncorrelated one).</summary>
    internal double[]? XyErrorSlopes { get; private protected set; }

    /// <summary>The weights on eps as given.</summary>
    public NdArray? RawWe { get; private protected set; }

    /// <summary>The weights on delta as given.</summary>
    public NdArray? RawWd { get; private protected set; }

    /// <summary>Input j of observation i.</summary>
    /// <param name="j">Input index.</param>
    /// <param name="i">Observation index.</param>
    public double GetX(int j, int i) => X[i * M + j];

    /// <summary>Response l of observation i.</summary>
    /// <param name="l">Response index.</param>
    /// <param name="i">Observation index.</param>
    public double GetY(int l, int i) => Y is null ? 0.0 : Y[i * Q + l];

    /// <summary>The diagonal weight on delta of input j at observation i (1 when not given).</summary>
    /// <param name="j">Input index.</param>
    /// <param name="i">Observation index.</param>
    public double DeltaWeight(int j, int i) => WeightsOnDelta?.Entry(i, j, j) ?? 1.0;

    /// <summary>The diagonal weight on eps of response l at observation i (1 when not given). With
    /// correlated x–y errors (RealData's rxy) it is 1/((1 − r²)·sy²), the weight of the completed
    /// square; sy itself is <see cref="RealData.Sy"/>.</summary>
    /// <param name="l">Response index.</param>
    /// <param name="i">Observation index.</param>
    public double EpsWeight(int l, int i) => WeightsOnEps?.Entry(i, l, l) ?? 1.0;

    /// <summary>The weight of y's own error for response l of observation i, 1/sy²: <see cref="EpsWeight"/>
    /// except with correlated x–y errors (<see cref="RealData.Rxy"/>), whose eps weight is the completed
    /// square's 1/((1 − r²)·sy²). Error bars use this one.</summary>
    /// <param name="l">Response.</param>
    /// <param name="i">Observation.</param>
    public double YErrorWeight(int l, int i)
    {
        double r = this is RealData real ? real.XyCorrelation(i) : 0.0;
        return EpsWeight(l, i) * (1 - r * r);
    }

    internal static double[] ToObservationMajor(NdArray a, int rows, int n)
    {
        var result = new double[rows * n];
        if (a.Rank == 1)
        {
            a.Values.CopyTo(result);
            return result;
        }
        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < n; i++) result[i * rows + r] = a.Values[r * n + i];
        }
        return result;
    }

    /// <summary>ODRPACK's weight shapes (<see cref="ArgumentShapes"/>), checked and turned into blocks
    /// per observation.</summary>
    internal static BlockWeights InterpretWeights(NdArray w, int dim, int n, string name, bool requirePositive)
    {
        var layout = ArgumentShapes.Classify(w, ShapedArgument.Weights, dim, n, name);
        var result = ArgumentShapes.Blocks(w, layout, dim, n);
        ValidateBlocks(result, n, name, requirePositive);
        return result;
    }

    private static void ValidateBlocks(BlockWeights w, int n, string name, bool requirePositive)
    {
        int blocks = w.IsShared ? 1 : n;
        int d = w.Dimension;
        var dense = new double[d * d];
        for (int i = 0; i < blocks; i++)
        {
            var b = w.Block(i);
            if (w.IsDiagonal)
            {
                for (int l = 0; l < d; l++)
                {
                    if (b[l] < 0 || (requirePositive && b[l] == 0))
                    {
                        string where = w.IsShared ? "." : string.Create(CultureInfo.InvariantCulture, $" of observation {i}.");
                        string kind = requirePositive ? "positive" : "non-negative";
                        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{name} must be {kind}; got {b[l]} for variable {l}") + where, name);
                    }
                }
                continue;
            }
            for (int r = 0; r < d; r++)
            {
                for (int c = r + 1; c < d; c++)
                {
                    double a = b[r * d + c], bb = b[c * d + r];
                    if (Math.Abs(a - bb) > 1e-12 * Math.Max(Math.Abs(a), Math.Abs(bb)) + 1e-300)
                    {
                        throw new ArgumentException($"{name} must be symmetric; entry ({r}, {c}) differs from ({c}, {r})" + (w.IsShared ? "." : $" for observation {i}."), name);
                    }
                }
            }
            b.CopyTo(dense);
            if (Cholesky.Factor(dense, d, allowSemidefinite: !requirePositive) != 0)
            {
                throw new ArgumentException($"{name} must be positive {(requirePositive ? "definite" : "semidefinite")}" + (w.IsShared ? "." : $"; observation {i} is not."), name);
            }
        }
    }

    /// <summary>ifixx in scipy's shapes (<see cref="ArgumentShapes"/>: (n,) for one input, (m,)
    /// broadcast over observations, or (m, n)) as 0/1 flags, observation-major.</summary>
    internal static int[] InterpretIfixx(NdArray fix, int m, int n, string name)
    {
        var layout = ArgumentShapes.Classify(fix, ShapedArgument.Fix, m, n, name);
        var values = ArgumentShapes.ObservationMajor(fix, layout, m, n);
        var result = new int[values.Length];
        for (int k = 0; k < values.Length; k++) result[k] = values[k] == 0 ? 0 : 1;
        return result;
    }
}

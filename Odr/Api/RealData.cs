using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using Odr.Core;

namespace Odr;

/// <summary>
/// Data with standard deviations or covariances instead of weights, as scipy.odr's
/// <c>RealData(x, y, sx, sy, covx, covy, fix)</c>: sx and sy become weights 1/s², covx and covy
/// their matrix inverses. Beyond scipy, <c>rxy</c> gives the correlation of the x and y errors of each
/// observation (York et al. 2004) for explicit fits with one input and one response.
/// </summary>
/// <remarks>
/// <para>With correlated errors the fit minimizes, over β and the δ_i, the sum over observations of
/// the quadratic form (δ_i, ε_i) Σ_i⁻¹ (δ_i, ε_i)ᵀ with Σ_i = [[sx², r·sx·sy], [r·sx·sy, sy²]] and
/// ε_i = f(β, x_i + δ_i) − y_i. Completing the square in ε turns it into ODRPACK's problem exactly:
/// weights wd = 1/sx² and we = 1/((1 − r²)·sy²) on the model f(β, z) + c·(z − x_i) with
/// c = −r·sy/sx, so the step eliminates each δ_i in closed form as usual and the cost stays O(n).</para>
/// <para>The output reports the true ε and fitted y (without the c·δ term); <see cref="Output.SumSquare"/>
/// is the quadratic form, split into <see cref="Output.SumSquareDelta"/> = Σ δ²/sx² and
/// <see cref="Output.SumSquareEps"/> = Σ (ε + c·δ)²/((1 − r²)·sy²), the completed square. For a
/// straight line the fit is York's (2004) solution and sqrt(diag(<see cref="Output.CovBeta"/>)) York's
/// standard errors (before scaling by the residual variance).</para>
/// </remarks>
public sealed class RealData : Data
{
    /// <summary>Creates the data set.</summary>
    /// <param name="x">Explanatory variable(s): n values or an [m, n] matrix.</param>
    /// <param name="y">Response(s): n values, a [q, n] matrix, or null for an implicit model.</param>
    /// <param name="sx">Standard deviations of x: a scalar, n values (m = 1), m values or [m, n].</param>
    /// <param name="sy">Standard deviations of y: a scalar, n values (q = 1), q values or [q, n].</param>
    /// <param name="covx">Covariance of x: [m, m] or [m, m, n] (or n variances when m = 1).</param>
    /// <param name="covy">Covariance of y: [q, q] or [q, q, n] (or n variances when q = 1).</param>
    /// <param name="fix">ifixx: 0 where an input is known exactly.</param>
    /// <param name="rxy">Correlation coefficient of the x and y errors: a scalar or n values, each in
    /// (−1, 1); needs sx and sy (not covx/covy), one input and one response. All zeros is the
    /// uncorrelated fit, bit for bit.</param>
    /// <exception cref="ArgumentException">An |r| ≥ 1 (naming the observation), a shape that is not
    /// a scalar or n values, or rxy with covx/covy, without sx or sy, with several inputs or responses,
    /// or without y.</exception>
    public RealData(NdArray x, NdArray? y = null, NdArray? sx = null, NdArray? sy = null, NdArray? covx = null, NdArray? covy = null, NdArray? fix = null, NdArray? rxy = null)
        : base(x, y, null, null, fix)
    {
        if (sx is not null && covx is not null) throw new ArgumentException("Give sx or covx, not both.", nameof(covx));
        if (sy is not null && covy is not null) throw new ArgumentException("Give sy or covy, not both.", nameof(covy));
        Sx = sx;
        Sy = sy;
        Covx = covx;
        Covy = covy;
        if (sx is not null)
        {
            RawWd = SigmaToWeight(sx, nameof(sx));
            WeightsOnDelta = InterpretWeights(RawWd, M, N, nameof(sx), requirePositive: true);
        }
        else if (covx is not null)
        {
            RawWd = CovarianceToWeight(covx, M, N, nameof(covx));
            WeightsOnDelta = InterpretWeights(RawWd, M, N, nameof(covx), requirePositive: true);
        }
        if (sy is not null)
        {
            if (Q == 0) throw new ArgumentException("sy needs y; an implicit data set has no responses.", nameof(sy));
            RawWe = SigmaToWeight(sy, nameof(sy));
            WeightsOnEps = InterpretWeights(RawWe, Q, N, nameof(sy), requirePositive: true);
        }
        else if (covy is not null)
        {
            if (Q == 0) throw new ArgumentException("covy needs y; an implicit data set has no responses.", nameof(covy));
            RawWe = CovarianceToWeight(covy, Q, N, nameof(covy));
            WeightsOnEps = InterpretWeights(RawWe, Q, N, nameof(covy), requirePositive: true);
        }
        if (rxy is not null) CorrelateErrors(rxy, sx, sy, covx, covy);
    }

    /// <summary>Correlation of the x and y errors as given (null when not given).</summary>
    public NdArray? Rxy { get; private set; }

    /// <summary>The correlation of the x and y errors of observation i (0 when rxy was not given).</summary>
    /// <param name="i">Observation index.</param>
    public double XyCorrelation(int i) => Rxy is null ? 0.0 : Rxy.Length == 1 ? Rxy[0] : Rxy[i];

    /// <summary>The mean over the observations of the x–y error covariance [[sx², r·sx·sy], [·, sy²]]
    /// (data with correlated errors): the default error of a new point in predictions.</summary>
    internal (double Sx2, double Sy2, double Cov) MeanErrorCovariance()
    {
        double sx2 = 0, sy2 = 0, cov = 0;
        for (int i = 0; i < N; i++)
        {
            double sxi = Sx is null ? 1 : Sx.Length == 1 ? Sx[0] : Sx[i], syi = Sy is null ? 1 : Sy.Length == 1 ? Sy[0] : Sy[i];
            sx2 += sxi * sxi;
            sy2 += syi * syi;
            cov += XyCorrelation(i) * sxi * syi;
        }
        return (sx2 / N, sy2 / N, cov / N);
    }

    /// <summary>Checks rxy and, unless every r is 0, folds it into the weight on eps and the slopes of
    /// the model's correction (see the class remarks).</summary>
    private void CorrelateErrors(NdArray rxy, NdArray? sx, NdArray? sy, NdArray? covx, NdArray? covy)
    {
        const string name = nameof(rxy);
        if (covx is not null || covy is not null) throw new ArgumentException("rxy correlates the errors given by sx and sy; it cannot be combined with covx or covy.", name);
        if (Q != 1) throw new ArgumentException(Q == 0 ? "rxy needs y: an implicit data set has no response errors to correlate." : $"rxy is for one response; y has {Q}.", name);
        if (M != 1) throw new ArgumentException($"rxy is for one input; x has {M}.", name);
        if (sx is null || sy is null) throw new ArgumentException("rxy needs sx and sy, the standard deviations of the errors it correlates.", name);
        ArgumentShapes.Classify(rxy, ShapedArgument.Correlation, 1, N, name);
        for (int i = 0; i < rxy.Length; i++)
        {
            double r = rxy[i];
            if (!(Math.Abs(r) < 1))
            {
                string where = rxy.Length == 1 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" of observation {i}");
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"rxy must lie strictly between -1 and 1; got {r}") + where + ".", name);
            }
        }
        Rxy = rxy;
        bool any = false;
        for (int i = 0; i < rxy.Length; i++) any |= rxy[i] != 0;
        if (!any) return; // the uncorrelated fit, with the weights built above

        // sx and sy are scalars or n values here (m = q = 1: the shapes (), (1,), (n,), (1, n)).
        bool perObservation = rxy.Length != 1 || sx.Length != 1 || sy.Length != 1;
        int count = perObservation ? N : 1;
        var we = new double[count];
        var slopes = new double[N];
        for (int i = 0; i < N; i++)
        {
            double r = XyCorrelation(i), sxi = sx.Length == 1 ? sx[0] : sx[i], syi = sy.Length == 1 ? sy[0] : sy[i];
            slopes[i] = -r * syi / sxi;
            if (i < count) we[i] = 1.0 / ((1.0 - r * r) * (syi * syi));
            if (!double.IsFinite(slopes[i]) || (i < count && !double.IsFinite(we[i])))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"rxy = {r} with sx = {sxi} and sy = {syi} overflows the weights at observation {i}; rescale the data."), name);
            }
        }
        RawWe = perObservation ? NdArray.Owning(new[] { N }, we) : NdArray.Owning(Array.Empty<int>(), we);
        WeightsOnEps = InterpretWeights(RawWe, Q, N, name, requirePositive: true);
        XyErrorSlopes = slopes;
    }

    /// <summary>Standard deviations of x as given.</summary>
    public NdArray? Sx { get; }

    /// <summary>Standard deviations of y as given.</summary>
    public NdArray? Sy { get; }

    /// <summary>Covariance of x as given.</summary>
    public NdArray? Covx { get; }

    /// <summary>Covariance of y as given.</summary>
    public NdArray? Covy { get; }

    private static NdArray SigmaToWeight(NdArray sigma, string name)
    {
        sigma.RequireFinite(name);
        var w = new double[sigma.Length];
        for (int i = 0; i < w.Length; i++)
        {
            double s = sigma[i];
            if (!(s > 0)) throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{name} must be positive; got {s} at index {i}."), name);
            w[i] = 1.0 / (s * s);
        }
        return NdArray.Owning(sigma.Shape.ToArray(), w);
    }

    /// <summary>covx/covy (<see cref="ArgumentShapes"/>) as weights of the same shape: the inverse
    /// of each variance or matrix.</summary>
    private static NdArray CovarianceToWeight(NdArray cov, int dim, int n, string name)
    {
        cov.RequireFinite(name);
        var layout = ArgumentShapes.Classify(cov, ShapedArgument.Covariance, dim, n, name);
        if (layout is ArgumentShapes.Layout.PerObservation or ArgumentShapes.Layout.PerVariable)
        {
            var w = new double[cov.Length];
            for (int i = 0; i < w.Length; i++)
            {
                if (!(cov[i] > 0)) throw new ArgumentException($"{name} must be positive; got {cov[i]} at index {i}.", name);
                w[i] = 1.0 / cov[i];
            }
            return NdArray.Owning(cov.Shape.ToArray(), w);
        }
        if (layout == ArgumentShapes.Layout.SharedMatrix)
        {
            return NdArray.Owning(new[] { dim, dim }, Invert(cov.Values.ToArray(), dim, name, -1));
        }
        var result = new double[dim * dim * n];
        var block = new double[dim * dim];
        for (int i = 0; i < n; i++)
        {
            for (int r = 0; r < dim; r++)
            {
                for (int c = 0; c < dim; c++) block[r * dim + c] = cov.Values[(r * dim + c) * n + i];
            }
            var inv = Invert(block, dim, name, i);
            for (int r = 0; r < dim; r++)
            {
                for (int c = 0; c < dim; c++) result[(r * dim + c) * n + i] = inv[r * dim + c];
            }
        }
        return NdArray.Owning(new[] { dim, dim, n }, result);
    }

    private static double[] Invert(double[] rowMajor, int dim, string name, int observation)
    {
        var matrix = Matrix<double>.Build.Dense(dim, dim, (r, c) => rowMajor[r * dim + c]);
        MathNet.Numerics.LinearAlgebra.Factorization.Cholesky<double> cholesky;
        try
        {
            cholesky = matrix.Cholesky();
        }
        catch (ArgumentException)
        {
            throw new ArgumentException($"{name} must be positive definite" + (observation >= 0 ? $"; observation {observation} is not." : "."), name);
        }
        // Positive definite when the Cholesky factor's diagonal is positive (MathNet throws for a
        // non-positive pivot); the determinant, their product squared, under- or overflows for a
        // well-conditioned matrix of very small or very large variances, so it decides nothing.
        var factor = cholesky.Factor;
        for (int d = 0; d < dim; d++)
        {
            if (!(factor[d, d] > 0) || !double.IsFinite(factor[d, d]))
            {
                throw new ArgumentException($"{name} must be positive definite" + (observation >= 0 ? $"; observation {observation} is not." : "."), name);
            }
        }
        var inverse = cholesky.Solve(Matrix<double>.Build.DenseIdentity(dim));
        for (int r = 0; r < dim; r++)
        {
            for (int c = 0; c < dim; c++)
            {
                if (!double.IsFinite(inverse[r, c])) throw new ArgumentException($"{name} is positive definite but its inverse (the weights) overflows" + (observation >= 0 ? $" at observation {observation}" : "") + "; rescale the data.", name);
            }
        }
        var result = new double[dim * dim];
        for (int r = 0; r < dim; r++)
        {
            for (int c = 0; c < dim; c++) result[r * dim + c] = 0.5 * (inverse[r, c] + inverse[c, r]);
        }
        return result;
    }
}

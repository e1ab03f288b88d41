using MathNet.Numerics.LinearAlgebra;

namespace Odr;

/// <summary>Options of <see cref="FitInference.Predict(double[,], PredictionOptions?)"/>.</summary>
public sealed record PredictionOptions
{
    /// <summary>Confidence level of both intervals, strictly between 0 and 1 (default 0.95).</summary>
    public double Level { get; init; } = 0.95;

    /// <summary>Which response to predict (0 … q−1).</summary>
    public int Response { get; init; }

    /// <summary>Standard deviation of the new observation's response error, in the units in which the
    /// fit's weights are 1/σ²: one value for every point, or one per point. Null (the default): the
    /// error of a typical fitted observation, σy² = the mean of 1/w over the observations with weight
    /// (the diagonal of the inverse weight block for full blocks); 1 for unweighted data.</summary>
    public double[]? SigmaY { get; init; }

    /// <summary>Standard deviations of the new observation's input errors, in the units of the δ
    /// weights: m values (one per input, the same for every point), or m·k values input-major
    /// (input j of point i at [j·k + i]). Null (the default): for an ODR fit the error of a typical
    /// fitted observation, σx_j² = the mean of 1/wd over the observations whose input j is free; for
    /// ordinary least squares 0 (x exact, as the fit assumed).</summary>
    /// <remarks>Data with correlated x–y errors (RealData's rxy): when both SigmaX and SigmaY are null
    /// the new point's errors have the data's mean covariance (the means of sx², sy² and r·sx·sy), so
    /// the variance gains −2·(∂f/∂x)·mean(r·sx·sy); given σ's are taken as uncorrelated.</remarks>
    public double[]? SigmaX { get; init; }
}

/// <summary>A prediction at one point: the fitted curve with its confidence interval and the interval
/// of a new observation there.</summary>
public sealed partial record Prediction
{
    /// <summary>The inputs (m values).</summary>
    public required IReadOnlyList<double> X { get; init; }

    /// <summary>The fitted value f(beta, x).</summary>
    public required double Value { get; init; }

    /// <summary>Standard error of the fitted curve: sqrt(gᵀ·C·g), g = ∂f/∂β at x, C = res_var·cov_beta.</summary>
    public required double StandardError { get; init; }

    /// <summary>Lower bound of the confidence interval of the curve, Value − t·StandardError.</summary>
    public required double ConfidenceLower { get; init; }

    /// <summary>Upper bound of the confidence interval of the curve.</summary>
    public required double ConfidenceUpper { get; init; }

    /// <summary>Standard error of a new observation: sqrt(gᵀCg + res_var·(σy² + Σⱼ (∂f/∂xⱼ)²·σxⱼ²)).</summary>
    public required double PredictionStandardError { get; init; }

    /// <summary>Lower bound of the prediction interval of a new observation, Value − t·PredictionStandardError.</summary>
    public required double PredictionLower { get; init; }

    /// <summary>Upper bound of the prediction interval of a new observation.</summary>
    public required double PredictionUpper { get; init; }
}

public sealed partial class FitInference
{
    /// <summary>Predictions at points of a model with one input (see <see cref="Predict(double[,], PredictionOptions?)"/>).</summary>
    /// <param name="x">The points.</param>
    /// <param name="options">Level, response and the new points' error scales; null for the defaults.</param>
    public IReadOnlyList<Prediction> Predict(double[] x, PredictionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (Data.M != 1) throw new ArgumentException($"The model has {Data.M} inputs; pass the points as an [m, k] matrix.", nameof(x));
        var grid = new double[1, x.Length];
        for (int i = 0; i < x.Length; i++) grid[0, i] = x[i];
        return Predict(grid, options);
    }

    /// <summary>
    /// The fitted value at each point with the confidence interval of the curve and the prediction
    /// interval of a new observation there.
    /// </summary>
    /// <remarks>
    /// With g = ∂f/∂β and C = res_var·cov_beta (the covariance behind <see cref="Output.SdBeta"/>), the
    /// delta method gives the curve's variance gᵀCg; a new observation at x adds its own error, which
    /// for ODR includes the error of its input, to first order:
    /// <c>var = gᵀCg + res_var·(σy² + Σⱼ (∂f/∂xⱼ)²·σxⱼ²)</c>, σ's in the units of the weights (so with
    /// absolute weights res_var ≈ 1 and the σ's are the new point's standard deviations). Both
    /// intervals are value ± t·sqrt(var) with the exact Student t quantile at the fit's degrees of
    /// freedom. Derivatives are the model's analytic Jacobians when the fit used them (deriv 2 or 3),
    /// central differences otherwise.
    /// </remarks>
    /// <param name="x">The points, [m, k]: input j of point i at [j, i].</param>
    /// <param name="options">Level, response and the new points' error scales; null for the defaults.</param>
    /// <returns>One prediction per point.</returns>
    /// <exception cref="NotSupportedException">An implicit fit.</exception>
    public IReadOnlyList<Prediction> Predict(double[,] x, PredictionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (IsImplicit) throw new NotSupportedException("An implicit model has no response to predict.");
        return Prediction.Compute(Data, Model, Output, x, options, free, IsOrdinaryLeastSquares, AnalyticDerivatives, ifixx);
    }

    private bool AnalyticDerivatives => job.Derivative is DerivativeKind.AnalyticChecked or DerivativeKind.AnalyticUnchecked;
}

public sealed partial record Prediction
{
    /// <summary>
    /// Predictions from a fit's data, model and result alone, for callers that hold no <see cref="ODR"/>
    /// (the plots' confidence and prediction bands use it): the same computation as
    /// <see cref="FitInference.Predict(double[,], PredictionOptions?)"/>, with the fit's setup taken from
    /// what the result and data record.
    /// </summary>
    /// <remarks>
    /// What <see cref="FitInference"/> reads from the <see cref="ODR"/> is here inferred: the estimated
    /// parameters are those whose <see cref="Output.Status"/> is free, or on a bound with a variance
    /// (ODRPACK95's bounds method); the fit is taken as ordinary least squares when every
    /// <see cref="Output.Delta"/> is 0 (then the new point's x is exact, which is also what an ODR fit with
    /// every input fixed gives); the inputs held fixed are the data's own (RealData/Data's fix); and
    /// derivatives are central differences. For a fit with ifixx passed to the ODR, analytic derivatives
    /// (deriv 2 or 3) or ODRPACK95 bounds with lower = upper, use <see cref="FitInference.Predict(double[,], PredictionOptions?)"/>,
    /// which knows the setup exactly.
    /// </remarks>
    /// <param name="data">The fitted data.</param>
    /// <param name="model">The (explicit) model.</param>
    /// <param name="output">The fit's result.</param>
    /// <param name="x">The points, [m, k]: input j of point i at [j, i].</param>
    /// <param name="options">Level, response and the new points' error scales; null for the defaults.</param>
    /// <returns>One prediction per point.</returns>
    /// <exception cref="NotSupportedException">An implicit model.</exception>
    /// <exception cref="InvalidOperationException">The fit has no degrees of freedom.</exception>
    public static IReadOnlyList<Prediction> Compute(Data data, Model model, Output output, double[,] x, PredictionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(x);
        int p = output.Beta.Length;
        var free = new bool[p];
        for (int k = 0; k < p; k++)
        {
            var status = k < output.Status.Count ? output.Status[k] : ParameterStatus.Free;
            free[k] = status == ParameterStatus.Free
                || (status is ParameterStatus.AtLowerBound or ParameterStatus.AtUpperBound && output.CovBeta[k, k] > 0);
        }
        bool ordinaryLeastSquares = true;
        foreach (double d in output.Delta)
        {
            if (d != 0)
            {
                ordinaryLeastSquares = false;
                break;
            }
        }
        int[,]? ifixx = null;
        if (data.Fix is int[] fix)
        {
            ifixx = new int[data.M, data.N];
            for (int i = 0; i < data.N; i++)
            {
                for (int j = 0; j < data.M; j++) ifixx[j, i] = fix[i * data.M + j];
            }
        }
        return Compute(data, model, output, x, options, free, ordinaryLeastSquares, analytic: false, ifixx);
    }

    /// <summary>The one implementation behind <see cref="FitInference.Predict(double[,], PredictionOptions?)"/>
    /// and the plots' bands: predictions from a fit's data, model and result, with the fit's setup given
    /// explicitly.</summary>
    internal static IReadOnlyList<Prediction> Compute(Data data, Model model, Output output, double[,] x, PredictionOptions? options, IReadOnlyList<bool> free, bool ordinaryLeastSquares, bool analytic, int[,]? ifixx)
    {
        ArgumentNullException.ThrowIfNull(x);
        options ??= new PredictionOptions();
        if (model.IsImplicit) throw new NotSupportedException("An implicit model has no response to predict.");
        FitInference.CheckLevel(options.Level);
        int m = data.M, q = data.Q, p = output.Beta.Length;
        if (free.Count != p) throw new ArgumentException($"free has {free.Count} entries but the fit {p} parameters.", nameof(free));
        if (x.GetLength(0) != m) throw new ArgumentException($"x has {x.GetLength(0)} rows but the model has {m} inputs.", nameof(x));
        int k = x.GetLength(1);
        int l = options.Response;
        if (l < 0 || l >= q) throw new ArgumentOutOfRangeException(nameof(options), l, $"Response must be between 0 and {q - 1}.");
        var sy = options.SigmaY;
        if (sy is not null && sy.Length != 1 && sy.Length != k) throw new ArgumentException($"SigmaY has {sy.Length} values; give 1 or one per point ({k}).", nameof(options));
        var sx = options.SigmaX;
        if (sx is not null && sx.Length != m && sx.Length != m * k) throw new ArgumentException($"SigmaX has {sx.Length} values; give one per input ({m}) or m·k ({m * k}).", nameof(options));
        foreach (var v in (sy ?? Array.Empty<double>()).Concat(sx ?? Array.Empty<double>()))
        {
            if (!(v >= 0) || !double.IsFinite(v)) throw new ArgumentException($"Standard deviations must be finite and non-negative; got {v}.", nameof(options));
        }
        var xs = new double[k * m];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < m; j++)
            {
                xs[i * m + j] = x[j, i];
                if (!double.IsFinite(x[j, i])) throw new ArgumentException($"x[{j}, {i}] is {x[j, i]}; every point must be finite.", nameof(x));
            }
        }

        double t = TQuantile(output, options.Level);
        double rvar = output.ResVar;
        var beta = output.Beta;
        var values = new double[k * q];
        model.Evaluate(beta, xs, values);
        var gb = BetaGradient(model, free, analytic, beta, xs, k, q);
        var gx = InputGradient(model, analytic, beta, xs, k, q, m);
        double defaultSy2 = sy is null ? DefaultVariance(data, data.WeightsOnEps, q, l, _ => true) : 0;
        var defaultSx2 = new double[m];
        if (sx is null && !ordinaryLeastSquares)
        {
            for (int j = 0; j < m; j++) defaultSx2[j] = DefaultVariance(data, data.WeightsOnDelta, m, j, i => ifixx is null || ifixx[j, i] != 0);
        }
        double defaultCov = 0; // correlated x–y errors: WeightsOnEps holds 1/((1 − r²)·sy²), not 1/sy²
        if (sx is null && sy is null && !ordinaryLeastSquares && data is RealData { XyErrorSlopes: not null } correlated)
        {
            (defaultSx2[0], defaultSy2, defaultCov) = correlated.MeanErrorCovariance();
        }

        var cov = output.CovBeta;
        var result = new Prediction[k];
        for (int i = 0; i < k; i++)
        {
            double curve = 0;
            for (int a = 0; a < p; a++)
            {
                if (!free[a]) continue;
                double ga = gb[(i * q + l) * p + a];
                for (int b = 0; b < p; b++)
                {
                    if (free[b]) curve += ga * cov[a, b] * gb[(i * q + l) * p + b];
                }
            }
            curve = Math.Max(curve, 0) * rvar;
            double sy2 = sy is null ? defaultSy2 : Sq(sy.Length == 1 ? sy[0] : sy[i]);
            double xerr = 0;
            for (int j = 0; j < m; j++)
            {
                double sx2 = sx is null ? defaultSx2[j] : Sq(sx.Length == m ? sx[j] : sx[j * k + i]);
                xerr += Sq(gx[(i * q + l) * m + j]) * sx2;
            }
            if (defaultCov != 0) xerr -= 2 * gx[i * q + l] * defaultCov; // m = q = 1
            double se = Math.Sqrt(curve);
            double pse = Math.Sqrt(curve + rvar * (sy2 + xerr));
            double v = values[i * q + l];
            var point = new double[m];
            for (int j = 0; j < m; j++) point[j] = x[j, i];
            result[i] = new Prediction
            {
                X = Array.AsReadOnly(point),
                Value = v,
                StandardError = se,
                ConfidenceLower = v - t * se,
                ConfidenceUpper = v + t * se,
                PredictionStandardError = pse,
                PredictionLower = v - t * pse,
                PredictionUpper = v + t * pse,
            };
        }
        return result;

        static double Sq(double s) => s * s;
    }

    /// <summary>The two-sided Student t quantile at the fit's degrees of freedom.</summary>
    private static double TQuantile(Output output, double level)
    {
        int dof = output.DegreesOfFreedom;
        if (dof <= 0)
        {
            throw new InvalidOperationException("The fit has no degrees of freedom or computed no covariance (var_calc 2); intervals need both.");
        }
        return StudentTQuantile.TwoSided(level, dof);
    }

    /// <summary>∂f/∂β at each point, [(i·q + l)·p + k], analytic or by central differences.</summary>
    private static double[] BetaGradient(Model model, IReadOnlyList<bool> free, bool analytic, double[] beta, double[] xs, int k, int q)
    {
        int p = beta.Length;
        var g = new double[k * q * p];
        if (analytic && model.HasJacobianBeta)
        {
            model.EvaluateJacobianBeta(beta, xs, g);
            return g;
        }
        var b = (double[])beta.Clone();
        var up = new double[k * q];
        var down = new double[k * q];
        for (int a = 0; a < p; a++)
        {
            if (!free[a]) continue;
            double h = CentralStep(beta[a]);
            b[a] = beta[a] + h;
            model.Evaluate(b, xs, up);
            b[a] = beta[a] - h;
            model.Evaluate(b, xs, down);
            b[a] = beta[a];
            for (int r = 0; r < k * q; r++) g[r * p + a] = (up[r] - down[r]) / (2 * h);
        }
        return g;
    }

    /// <summary>∂f/∂x at each point, [(i·q + l)·m + j], analytic or by central differences.</summary>
    private static double[] InputGradient(Model model, bool analytic, double[] beta, double[] xs, int k, int q, int m)
    {
        var g = new double[k * q * m];
        if (analytic && model.HasJacobianX)
        {
            model.EvaluateJacobianX(beta, xs, g);
            return g;
        }
        var shifted = (double[])xs.Clone();
        var up = new double[k * q];
        var down = new double[k * q];
        for (int j = 0; j < m; j++)
        {
            var h = new double[k];
            for (int i = 0; i < k; i++)
            {
                h[i] = CentralStep(xs[i * m + j]);
                shifted[i * m + j] = xs[i * m + j] + h[i];
            }
            model.Evaluate(beta, shifted, up);
            for (int i = 0; i < k; i++) shifted[i * m + j] = xs[i * m + j] - h[i];
            model.Evaluate(beta, shifted, down);
            for (int i = 0; i < k; i++)
            {
                shifted[i * m + j] = xs[i * m + j];
                for (int l = 0; l < q; l++) g[(i * q + l) * m + j] = (up[i * q + l] - down[i * q + l]) / (2 * h[i]);
            }
        }
        return g;
    }

    /// <summary>Central difference step: the cube root of machine epsilon, relative (absolute at 0).</summary>
    private static double CentralStep(double v)
    {
        double h = 6.0554544523933395e-6 * (v == 0 ? 1 : Math.Abs(v));
        double t = v + h;
        return t - v; // a step representable exactly
    }

    /// <summary>The mean over the fitted observations (those with weight, and selected by
    /// <paramref name="include"/>) of the variance 1/w of variable <paramref name="row"/>: the inverse
    /// of the weight block's diagonal entry, or the diagonal entry of its inverse for full blocks.</summary>
    private static double DefaultVariance(Data data, Core.BlockWeights? w, int dim, int row, Func<int, bool> include)
    {
        if (w is null) return 1;
        double sum = 0;
        int count = 0;
        for (int i = 0; i < data.N; i++)
        {
            if (!include(i)) continue;
            double v;
            if (w.IsDiagonal)
            {
                double e = w.Entry(i, row, row);
                if (!(e > 0)) continue;
                v = 1 / e;
            }
            else
            {
                if (!(w.Entry(i, row, row) > 0)) continue;
                var block = Matrix<double>.Build.Dense(dim, dim, (a, b) => w.Entry(i, a, b));
                if (!(block.Determinant() > 0)) continue;
                v = block.Inverse()[row, row];
            }
            sum += v;
            count++;
        }
        return count == 0 ? 0 : sum / count;
    }
}

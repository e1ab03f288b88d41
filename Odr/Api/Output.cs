using System.Globalization;
using System.Text;

namespace Odr;

/// <summary>
/// The result of a fit, as scipy.odr's <c>Output</c>, plus what scipy keeps hidden in its work arrays
/// (iterations, evaluations, rank deficiency, degrees of freedom). Immutable. It refers to the fitted
/// <see cref="Data"/> (whose arrays are the data's own copies), from which <see cref="Eps"/> and
/// <see cref="XPlus"/> are computed when first read.
/// </summary>
public sealed partial class Output
{
    internal Output()
    {
    }

    private double[] beta = Array.Empty<double>();
    private double[] sdBeta = Array.Empty<double>();
    private ReadOnlyMatrix covBeta = null!;
    private ReadOnlyMatrix delta = null!;
    private ReadOnlyMatrix yFit = null!;
    private ReadOnlyMatrix? eps;
    private ReadOnlyMatrix? xplus;

    /// <summary>Estimated parameters: a fresh copy at each read (p values), so writing it changes no
    /// output; it can be passed on as the next fit's beta0, as scipy's <c>odr.beta0 = out.beta</c>.</summary>
    public required double[] Beta
    {
        get => (double[])beta.Clone();
        init => beta = (double[])value.Clone();
    }

    /// <summary>Standard errors of the parameters: sqrt(res_var · diag(cov_beta)); a fresh copy at each read.</summary>
    public required double[] SdBeta
    {
        get => (double[])sdBeta.Clone();
        init => sdBeta = (double[])value.Clone();
    }

    /// <summary>The estimates without a copy, for the library's own readers (inference reads them
    /// element by element, and <see cref="Beta"/> copies on every read).</summary>
    internal ReadOnlySpan<double> BetaValues => beta;

    /// <summary>The standard errors without a copy (see <see cref="BetaValues"/>).</summary>
    internal ReadOnlySpan<double> SdBetaValues => sdBeta;

    /// <summary>Sets the estimates and standard errors to arrays the caller hands over (the output
    /// builder's own), instead of the copies the public initializers make.</summary>
    /// <param name="estimates">The estimates; nobody else may keep them.</param>
    /// <param name="standardErrors">The standard errors; likewise.</param>
    internal void TakeOver(double[] estimates, double[] standardErrors)
    {
        beta = estimates;
        sdBeta = standardErrors;
    }

    /// <summary>Covariance matrix of the parameters, NOT scaled by the residual variance (ODRPACK's VCV), [p, p].</summary>
    public required ReadOnlyMatrix CovBeta
    {
        get => covBeta;
        init => covBeta = value;
    }

    /// <summary>Estimated errors in x, [m, n].</summary>
    public required ReadOnlyMatrix Delta
    {
        get => delta;
        init => delta = value;
    }

    /// <summary>Estimated errors in y, [q, n]: f(beta, x + delta) − y (f for implicit fits). Computed
    /// from <see cref="Y"/> and the data on first access (then the same one each time).</summary>
    public ReadOnlyMatrix Eps
    {
        get
        {
            if (eps is null) Interlocked.CompareExchange(ref eps, new ReadOnlyMatrix(ComputeEps()), null);
            return eps;
        }
    }

    /// <summary>x + delta, [m, n]. Computed from <see cref="Delta"/> and the data on first access (then
    /// the same one each time).</summary>
    public ReadOnlyMatrix XPlus
    {
        get
        {
            if (xplus is null) Interlocked.CompareExchange(ref xplus, new ReadOnlyMatrix(ComputeXPlus()), null);
            return xplus;
        }
    }

    /// <summary>The fitted data: x and y of <see cref="XPlus"/> and <see cref="Eps"/>. A fit of many
    /// small data sets keeps only what is asked for; these two are a third of an output's memory and
    /// rarely read, and ODRPACK's arithmetic for them is this single addition or subtraction.</summary>
    internal Data Source { get; init; } = null!;

    /// <summary>An implicit fit: eps is f itself.</summary>
    internal bool IsImplicit { get; init; }

    private double[,] ComputeXPlus()
    {
        int m = delta.Rows, n = delta.Columns;
        var result = new double[m, n];
        for (int j = 0; j < m; j++)
        {
            for (int i = 0; i < n; i++) result[j, i] = Source.GetX(j, i) + delta[j, i];
        }
        return result;
    }

    private double[,] ComputeEps()
    {
        var fitted = yFit;
        int q = fitted.Rows, n = fitted.Columns;
        var result = new double[q, n];
        for (int l = 0; l < q; l++)
        {
            for (int i = 0; i < n; i++) result[l, i] = IsImplicit ? fitted[l, i] : fitted[l, i] - Source.GetY(l, i);
        }
        return result;
    }

    /// <summary>Fitted responses f(beta, x + delta), [q, n].</summary>
    public required ReadOnlyMatrix Y
    {
        get => yFit;
        init => yFit = value;
    }

    /// <summary>Residual variance: sum_square / degrees of freedom (sum_square_delta for implicit fits).</summary>
    public double ResVar { get; init; }

    /// <summary>Weighted sum of squares of delta and eps.</summary>
    public double SumSquare { get; init; }

    /// <summary>Weighted sum of squares of delta.</summary>
    public double SumSquareDelta { get; init; }

    /// <summary>Weighted sum of squares of eps.</summary>
    public double SumSquareEps { get; init; }

    /// <summary>Inverse condition number of the scaled Jacobian (RCOND).</summary>
    public double InvCondnum { get; init; }

    /// <summary>Relative error in the function values (ETA).</summary>
    public double RelError { get; init; }

    /// <summary>ODRPACK's INFO code: the last digit says why the iterations stopped (1 sum of squares,
    /// 2 parameter, 3 both converged, 4 iteration limit), the higher digits report problems (see
    /// <see cref="StopReasons(int)"/>): 1xxxx–3xxxx invalid input, 4xxxx wrong derivatives, 5xxxx the
    /// model rejected a point or failed, 6xxxx numerical error, and ODRPACK95's 90010: the bounds
    /// leave a free parameter too little room for the noise estimate's steps.</summary>
    public int Info { get; init; }

    /// <summary>Reasons for halting, in scipy's words.</summary>
    public required IReadOnlyList<string> StopReason { get; init; }

    /// <summary>Number of iterations (ODRPACK's NITER).</summary>
    public int Iterations { get; init; }

    /// <summary>Number of model evaluations (NFEV).</summary>
    public int FunctionEvaluations { get; init; }

    /// <summary>Number of analytic Jacobian evaluations (NJEV).</summary>
    public int JacobianEvaluations { get; init; }

    /// <summary>Rank deficiency of the Jacobian at the solution (IRANK).</summary>
    public int RankDeficiency { get; init; }

    /// <summary>
    /// Per parameter: free, fixed (ifixb, or lower = upper), or ended on its lower or upper bound. With
    /// the default <see cref="BoundsMethod.ActiveSet"/> a parameter on a bound is treated as fixed in
    /// the covariance: its standard error is 0, it has no confidence interval, and it does not count
    /// against the degrees of freedom (inference conditional on the bound, as for a parameter fixed
    /// there). With <see cref="BoundsMethod.Odrpack95"/> the covariance is ODRPACK95's, computed as if
    /// every parameter were free.
    /// </summary>
    public IReadOnlyList<ParameterStatus> Status { get; init; } = Array.Empty<ParameterStatus>();

    /// <summary>Degrees of freedom of the fit (IDF).</summary>
    public int DegreesOfFreedom { get; init; }

    /// <summary>Number of good digits in the function values used for the differences (NETA, absolute value).</summary>
    public int FunctionDigits { get; init; }

    /// <summary>Verdicts of the derivative checker, when analytic derivatives were checked (deriv 2).</summary>
    public DerivativeCheck? DerivativeCheck { get; init; }

    /// <summary>True when the fit converged (info 1–3 in its last digit, with no fatal error).</summary>
    public bool Converged => new InfoCode(Info).Success;

    /// <summary>Two-sided confidence intervals of the parameters, beta ± t·sd_beta with Student's t
    /// quantile at the fit's degrees of freedom (the exact quantile, MathNet.Numerics'
    /// <c>StudentT.InvCDF</c>, as the plots' bands use; ODRPACK's own approximation of t lives only in the
    /// ported iprint report, whose text it reproduces, so the report's intervals can differ from these
    /// in the third or fourth digit when there are few degrees of freedom).</summary>
    /// <param name="level">Confidence level, between 0 and 1.</param>
    /// <returns>One (lower, upper) pair per parameter; NaN bounds when there are no degrees of freedom,
    /// and for a parameter that was not estimated: fixed, or held on a bound by the active-set method
    /// (see <see cref="Status"/>).</returns>
    public (double Lower, double Upper)[] ConfidenceIntervals(double level = 0.95)
    {
        double tValue = TQuantile(level);
        var result = new (double, double)[beta.Length];
        for (int k = 0; k < beta.Length; k++)
        {
            bool notEstimated = k < Status.Count && Status[k] != ParameterStatus.Free && sdBeta[k] == 0;
            double half = notEstimated ? double.NaN : tValue * sdBeta[k];
            result[k] = (beta[k] - half, beta[k] + half);
        }
        return result;
    }

    /// <summary>The two-sided Student t quantile of <see cref="ConfidenceIntervals(double)"/>: t with
    /// <see cref="DegreesOfFreedom"/> degrees of freedom at probability 0.5 + level/2 (exact, MathNet's
    /// <c>StudentT.InvCDF</c>); NaN when there are no degrees of freedom.</summary>
    /// <param name="level">Confidence level, between 0 and 1.</param>
    public double TQuantile(double level = 0.95)
    {
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "The confidence level must lie strictly between 0 and 1.");
        return DegreesOfFreedom <= 0 ? double.NaN : StudentTQuantile.TwoSided(level, DegreesOfFreedom);
    }

    /// <summary>Row j of a [rows, n] result matrix as an array of one's own (for example
    /// <c>Output.RowOf(o.Delta, 0)</c>).</summary>
    /// <param name="matrix">The matrix.</param>
    /// <param name="row">The row.</param>
    public static double[] RowOf(ReadOnlyMatrix matrix, int row)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return matrix.Row(row).ToArray();
    }

    /// <summary>Row j of a [rows, n] array.</summary>
    /// <param name="array">The array.</param>
    /// <param name="row">The row.</param>
    public static double[] RowOf(double[,] array, int row)
    {
        ArgumentNullException.ThrowIfNull(array);
        var r = new double[array.GetLength(1)];
        for (int i = 0; i < r.Length; i++) r[i] = array[row, i];
        return r;
    }

    /// <summary>scipy's <c>pprint()</c> text.</summary>
    public string PprintText()
    {
        var sb = new StringBuilder();
        sb.Append("Beta: ").AppendLine(NumpyFormat.Array(beta));
        sb.Append("Beta Std Error: ").AppendLine(NumpyFormat.Array(sdBeta));
        sb.Append("Beta Covariance: ").AppendLine(NumpyFormat.Matrix(covBeta.ToArray(), "Beta Covariance: ".Length));
        sb.Append("Residual Variance: ").AppendLine(NumpyFormat.Scalar(ResVar));
        sb.Append("Inverse Condition #: ").AppendLine(NumpyFormat.Scalar(InvCondnum));
        for (int k = 0; k < Status.Count; k++)
        {
            if (Status[k] is ParameterStatus.AtLowerBound or ParameterStatus.AtUpperBound)
            {
                sb.Append("Beta[").Append(k.ToString(CultureInfo.InvariantCulture)).Append("] is at its ")
                    .AppendLine(Status[k] == ParameterStatus.AtLowerBound ? "lower bound" : "upper bound");
            }
        }
        sb.AppendLine("Reason(s) for Halting:");
        foreach (var reason in StopReason) sb.Append("  ").AppendLine(reason);
        return sb.ToString();
    }

    /// <summary>Prints the result as scipy's <c>Output.pprint()</c> does.</summary>
    /// <param name="writer">Where to print; the console when null.</param>
    public void Pprint(TextWriter? writer = null) => (writer ?? Console.Out).Write(PprintText());

    /// <inheritdoc/>
    public override string ToString() => PprintText();

    /// <summary>scipy's stop reasons for an ODRPACK INFO code.</summary>
    /// <param name="info">The INFO code.</param>
    public static IReadOnlyList<string> StopReasons(int info)
    {
        string stop = (info % 5) switch
        {
            0 => "Blank",
            1 => "Sum of squares convergence",
            2 => "Parameter convergence",
            3 => "Both sum of squares and parameter convergence",
            _ => "Iteration limit reached",
        };
        if (info < 5) return new[] { stop };
        var code = new InfoCode(info);
        int i1 = code.TenThousands, i2 = code.Thousands, i3 = code.Hundreds, i4 = code.Tens, i5 = code.Ones;
        var problems = new List<string>();
        switch (i1)
        {
            case 0:
                if (i2 != 0) problems.Add("Derivatives possibly not correct");
                if (i3 != 0) problems.Add("Error occurred in callback");
                if (i4 != 0) problems.Add("Problem is not full rank at solution");
                problems.Add(stop);
                break;
            case 1:
                if (i2 != 0) problems.Add("N < 1");
                if (i3 != 0) problems.Add("M < 1");
                if (i4 != 0) problems.Add("NP < 1 or NP > N");
                if (i5 != 0) problems.Add("NQ < 1");
                break;
            case 2:
                if (i2 != 0) problems.Add("LDY and/or LDX incorrect");
                if (i3 != 0) problems.Add("LDWE, LD2WE, LDWD, and/or LD2WD incorrect");
                if (i4 != 0) problems.Add("LDIFX, LDSTPD, and/or LDSCLD incorrect");
                if (i5 != 0) problems.Add("LWORK and/or LIWORK too small");
                break;
            case 3:
                if (i2 != 0) problems.Add("STPB and/or STPD incorrect");
                if (i3 != 0) problems.Add("SCLB and/or SCLD incorrect");
                if (i4 != 0) problems.Add("WE incorrect");
                if (i5 != 0) problems.Add("WD incorrect");
                break;
            case 4:
                problems.Add("Error in derivatives");
                break;
            case 5:
                problems.Add("Error occurred in callback");
                break;
            case 6:
                problems.Add("Numerical error detected");
                break;
            case 9 when info == 90010:
                problems.Add("Bounds too close together: a free parameter's interval [lower, upper] is narrower than the steps ODRPACK95 takes around it to estimate the noise in the model values (fix the parameter with ifixb, or widen the bounds)");
                break;
            case 9:
                problems.Add($"Error in the bounds (ODRPACK95 code {info})");
                break;
            default:
                problems.Add($"Error code {info}");
                break;
        }
        return problems;
    }
}

/// <summary>Verdicts of ODRPACK's derivative checker (DJCK) for each analytic derivative.</summary>
public sealed class DerivativeCheck
{
    internal DerivativeCheck()
    {
    }

    /// <summary>Summary for fjacb (ODRPACK's MSGB(1)): 0 all verified, 1 some questionable (the fit
    /// ran; INFO carries the 1000 digit), 2 some seriously wrong (the fit was not run: INFO 41000 or
    /// 41100), -1 not checked (the model rejected a point during the check: INFO 54000).</summary>
    public int BetaSummary { get; init; }

    /// <summary>Summary for fjacd (MSGD(1)), coded as <see cref="BetaSummary"/> (INFO 40100 or 41100
    /// when seriously wrong); -1 for an ordinary least squares fit, where fjacd is not checked.</summary>
    public int XSummary { get; init; }

    /// <summary>Per-derivative codes for fjacb, [q, p]: ODRPACK's MSGB (see <see cref="Describe"/>:
    /// -1 fixed parameter, 0 verified, 1–6 questionable for the reason given, 7 seriously wrong,
    /// 8 disagreeing where bounds leave no room to look further, counted as seriously wrong, 9 bounds
    /// too close to check, not counted in the summary).</summary>
    public required int[,] BetaCodes { get; init; }

    /// <summary>Per-derivative codes for fjacd, [q, m], coded as <see cref="BetaCodes"/> (-1 for an
    /// input fixed by ifixx, or for every input of an ordinary least squares fit).</summary>
    public required int[,] XCodes { get; init; }

    /// <summary>Relative differences between analytic and numerical derivatives, [q, p + m]
    /// (absolute where either is zero; 0 where not checked).</summary>
    public required double[,] Differences { get; init; }

    /// <summary>The number of digits of agreement required (NTOL).</summary>
    public int ToleranceDigits { get; init; }

    /// <summary>The observation at which the derivatives were checked (NROW, 0-based): the first
    /// whose inputs x + delta are all non-zero.</summary>
    public int Row { get; init; }

    /// <summary>A sentence describing a derivative code, after the notes of ODRPACK's derivative
    /// checking report.</summary>
    /// <param name="code">The MSGB/MSGD code.</param>
    public static string Describe(int code) => code switch
    {
        -1 => "unchecked: the parameter or input is fixed",
        0 => "verified: the user-supplied and finite difference derivatives agree",
        1 => "questionable: the user-supplied and finite difference derivatives agree, but both are zero",
        2 => "questionable: the user-supplied and finite difference derivatives agree, but one is identically zero and the other only approximately zero",
        3 => "questionable: the user-supplied and finite difference derivatives disagree, but one is identically zero and the other is not",
        4 => "questionable: the user-supplied and finite difference derivatives disagree, but the finite difference is doubtful because the ratio of relative curvature to relative slope is too high or the scale is wrong",
        5 => "questionable: the user-supplied and finite difference derivatives disagree, but the finite difference is doubtful because the ratio of relative curvature to relative slope is too high",
        6 => "questionable: the user-supplied and finite difference derivatives disagree, but have at least 2 digits in common",
        7 => "seriously wrong: the user-supplied and finite difference derivatives disagree and have fewer than 2 digits in common",
        8 => "not verified: the user-supplied and finite difference derivatives disagree, and the bounds are too close to find out more (counted as seriously wrong)",
        9 => "unchecked: the bounds are too close to check the derivative",
        _ => string.Create(CultureInfo.InvariantCulture, $"code {code}"),
    };
}

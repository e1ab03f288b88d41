using System.Globalization;
using System.Text;
using MathNet.Numerics.Distributions;

namespace Odr;

/// <summary>
/// The result of a fit, as scipy.odr's <c>Output</c>, plus what scipy keeps hidden in its work arrays
/// (iterations, evaluations, rank deficiency, degrees of freedom). Immutable.
/// </summary>
public sealed class Output
{
    internal Output()
    {
    }

    /// <summary>Estimated parameters.</summary>
    public required double[] Beta { get; init; }

    /// <summary>Standard errors of the parameters: sqrt(res_var · diag(cov_beta)).</summary>
    public required double[] SdBeta { get; init; }

    /// <summary>Covariance matrix of the parameters, NOT scaled by the residual variance (ODRPACK's VCV).</summary>
    public required double[,] CovBeta { get; init; }

    /// <summary>Estimated errors in x, [m, n].</summary>
    public required double[,] Delta { get; init; }

    /// <summary>Estimated errors in y, [q, n]: f(beta, x + delta) − y (f for implicit fits).</summary>
    public required double[,] Eps { get; init; }

    /// <summary>x + delta, [m, n].</summary>
    public required double[,] XPlus { get; init; }

    /// <summary>Fitted responses f(beta, x + delta), [q, n].</summary>
    public required double[,] Y { get; init; }

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

    /// <summary>ODRPACK's INFO code.</summary>
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

    /// <summary>Degrees of freedom of the fit (IDF).</summary>
    public int DegreesOfFreedom { get; init; }

    /// <summary>Number of good digits in the function values used for the differences (NETA, absolute value).</summary>
    public int FunctionDigits { get; init; }

    /// <summary>Verdicts of the derivative checker, when analytic derivatives were checked (deriv 2).</summary>
    public DerivativeCheck? DerivativeCheck { get; init; }

    /// <summary>True when the fit converged (info 1–3 in its last digit, with no fatal error).</summary>
    public bool Converged => Info < 10000 && Info % 10 is >= 1 and <= 3;

    /// <summary>Two-sided confidence intervals of the parameters with Student's t at the fit's degrees
    /// of freedom, as ODRPACK's final report prints them.</summary>
    /// <param name="level">Confidence level, between 0 and 1.</param>
    /// <returns>One (lower, upper) pair per parameter.</returns>
    public (double Lower, double Upper)[] ConfidenceIntervals(double level = 0.95)
    {
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "The confidence level must lie strictly between 0 and 1.");
        double tValue = DegreesOfFreedom > 0 ? StudentT.InvCDF(0, 1, DegreesOfFreedom, 0.5 + level / 2) : double.NaN;
        var result = new (double, double)[Beta.Length];
        for (int k = 0; k < Beta.Length; k++)
        {
            double half = tValue * SdBeta[k];
            result[k] = (Beta[k] - half, Beta[k] + half);
        }
        return result;
    }

    /// <summary>Row j of a [rows, n] result array (for example <c>Output.RowOf(o.Delta, 0)</c>).</summary>
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
        sb.Append("Beta: ").AppendLine(NumpyFormat.Array(Beta));
        sb.Append("Beta Std Error: ").AppendLine(NumpyFormat.Array(SdBeta));
        sb.Append("Beta Covariance: ").AppendLine(NumpyFormat.Matrix(CovBeta, "Beta Covariance: ".Length));
        sb.Append("Residual Variance: ").AppendLine(NumpyFormat.Scalar(ResVar));
        sb.Append("Inverse Condition #: ").AppendLine(NumpyFormat.Scalar(InvCondnum));
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
        int i1 = info / 10000 % 10, i2 = info / 1000 % 10, i3 = info / 100 % 10, i4 = info / 10 % 10, i5 = info % 10;
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

    /// <summary>Summary for fjacb: 0 all verified, 1 some questionable, 2 some seriously wrong, -1 not checked.</summary>
    public int BetaSummary { get; init; }

    /// <summary>Summary for fjacd, coded as <see cref="BetaSummary"/>.</summary>
    public int XSummary { get; init; }

    /// <summary>Per-derivative codes for fjacb, [q, p]: ODRPACK's MSGB (0 verified, 1–6 questionable
    /// with a reason, 7 seriously wrong, 8 not checked because ill-conditioned, -1 fixed).</summary>
    public required int[,] BetaCodes { get; init; }

    /// <summary>Per-derivative codes for fjacd, [q, m], coded as <see cref="BetaCodes"/>.</summary>
    public required int[,] XCodes { get; init; }

    /// <summary>Relative differences between analytic and numerical derivatives, [q, p + m].</summary>
    public required double[,] Differences { get; init; }

    /// <summary>The number of digits of agreement required (NTOL).</summary>
    public int ToleranceDigits { get; init; }

    /// <summary>The observation at which the derivatives were checked (0-based).</summary>
    public int Row { get; init; }

    /// <summary>A sentence describing a derivative code.</summary>
    /// <param name="code">The MSGB/MSGD code.</param>
    public static string Describe(int code) => code switch
    {
        -1 => "fixed, not checked",
        0 => "verified",
        1 => "questionable: the user-supplied and finite difference values agree only where both are zero or small",
        2 => "questionable: the derivative and its finite difference estimate are both near zero",
        3 => "questionable: the finite difference estimate is unreliable because the function is nearly constant",
        4 => "questionable: the function is nonlinear in this variable and the step could not be refined",
        5 => "questionable: high curvature; the finite difference may be inaccurate",
        6 => "questionable: agreement is limited by round-off in the function values",
        7 => "seriously wrong: the user-supplied derivative disagrees with the finite difference estimate",
        8 => "not checked: the function is ill-conditioned at this point",
        9 => "not checked: the step would cross a bound",
        _ => string.Create(CultureInfo.InvariantCulture, $"code {code}"),
    };
}

using System.Globalization;

namespace Odr;

/// <summary>What is fitted: ODRPACK's fit type, the last digit of JOB (scipy's <c>fit_type</c>).</summary>
public enum FitKind
{
    /// <summary>Explicit orthogonal distance regression, y = f(x; beta): errors in x and y (JOB digit 0).</summary>
    ExplicitOdr = 0,

    /// <summary>Implicit orthogonal distance regression, f(x; beta) = 0 (JOB digit 1).</summary>
    ImplicitOdr = 1,

    /// <summary>Ordinary least squares: x exact, only y adjusted (JOB digit 2).</summary>
    OrdinaryLeastSquares = 2,
}

/// <summary>How the Jacobians are obtained: the tens digit of JOB (scipy's <c>deriv</c>).</summary>
public enum DerivativeKind
{
    /// <summary>Forward finite differences (JOB digit 0).</summary>
    ForwardDifference = 0,

    /// <summary>Central finite differences (JOB digit 1).</summary>
    CentralDifference = 1,

    /// <summary>The model's analytic Jacobians, checked against finite differences first (ODRPACK's
    /// DJCK; JOB digit 2).</summary>
    AnalyticChecked = 2,

    /// <summary>The model's analytic Jacobians, used unchecked (JOB digit 3).</summary>
    AnalyticUnchecked = 3,
}

/// <summary>Whether and how the covariance of beta is computed: the hundreds digit of JOB (scipy's
/// <c>var_calc</c>).</summary>
public enum CovarianceKind
{
    /// <summary>From Jacobians recomputed at the solution (JOB digit 0, the default).</summary>
    FreshJacobian = 0,

    /// <summary>From the Jacobians of the last iteration (JOB digit 1).</summary>
    LastJacobian = 1,

    /// <summary>Not computed: no standard errors or covariance (JOB digit 2).</summary>
    None = 2,
}

/// <summary>
/// ODRPACK's JOB integer as typed fields: the one place that reads and writes its digits (restart,
/// del_init, var_calc, deriv, fit_type from the left). <see cref="ODR.Job"/> and
/// <see cref="ODR.SetJob"/> stay as the scipy/ODRPACK form; <see cref="ODR.Fit"/>,
/// <see cref="ODR.Derivative"/> and <see cref="ODR.Covariance"/> write the same digits.
/// </summary>
/// <param name="Fit">The fit type (ones digit).</param>
/// <param name="Derivative">The derivative mode (tens digit).</param>
/// <param name="Covariance">The covariance mode (hundreds digit).</param>
/// <param name="InitialDelta">True when delta starts at delta0 instead of zero (thousands digit 1).</param>
/// <param name="Restart">True when the run continues the previous fit (ten-thousands digit 1).</param>
public readonly record struct JobCode(
    FitKind Fit = FitKind.ExplicitOdr,
    DerivativeKind Derivative = DerivativeKind.ForwardDifference,
    CovarianceKind Covariance = CovarianceKind.FreshJacobian,
    bool InitialDelta = false,
    bool Restart = false)
{
    /// <summary>The JOB integer: <c>10000·restart + 1000·del_init + 100·var_calc + 10·deriv + fit_type</c>.</summary>
    public int Value =>
        (Restart ? 10000 : 0) + (InitialDelta ? 1000 : 0) + 100 * (int)Covariance + 10 * (int)Derivative + (int)Fit;

    /// <summary>Reads a JOB integer, refusing digits ODRPACK gives no meaning to in this port
    /// (rather than guessing one).</summary>
    /// <param name="job">ODRPACK's JOB, 0 to 11232.</param>
    /// <exception cref="ArgumentOutOfRangeException">A digit is out of its range, or JOB is negative
    /// or has more than five digits; the message names the digit.</exception>
    public static JobCode FromValue(int job)
    {
        if (job < 0 || job > 99999) throw new ArgumentOutOfRangeException(nameof(job), job, "JOB must have at most five digits (restart, del_init, var_calc, deriv, fit_type).");
        return new JobCode(
            (FitKind)Digit(job, 1, "fit type", 2),
            (DerivativeKind)Digit(job, 10, "deriv", 3),
            (CovarianceKind)Digit(job, 100, "var_calc", 2),
            Digit(job, 1000, "del_init", 1) == 1,
            Digit(job, 10000, "restart", 1) == 1);
    }

    private static int Digit(int job, int place, string name, int max)
    {
        int d = job / place % 10;
        if (d > max)
        {
            string where = place switch { 1 => "last digit", 10 => "tens", 100 => "hundreds", 1000 => "thousands", _ => "ten-thousands" };
            throw new ArgumentOutOfRangeException(nameof(job), job, string.Create(CultureInfo.InvariantCulture, $"JOB's {name} digit ({where}) must be 0 to {max}; got {d}."));
        }
        return d;
    }
}

/// <summary>Why a fit stopped, read from ODRPACK's INFO (<see cref="Output.Info"/>) by
/// <see cref="InfoCode"/>. A converged fit has <see cref="SumOfSquaresConverged"/> and/or
/// <see cref="ParametersConverged"/>, possibly with warnings; a fatal error has none of the first three
/// flags.</summary>
[Flags]
public enum StopCondition
{
    /// <summary>No condition (not a code ODRPACK returns).</summary>
    None = 0,

    /// <summary>The relative change in the sum of squares fell below sstol (INFO last digit 1 or 3).</summary>
    SumOfSquaresConverged = 1,

    /// <summary>The relative change in the parameters fell below partol (INFO last digit 2 or 3).</summary>
    ParametersConverged = 2,

    /// <summary>The iteration limit was reached before convergence (INFO last digit 4).</summary>
    IterationLimit = 4,

    /// <summary>Warning: the derivative checker found questionable analytic derivatives (INFO
    /// thousands digit, below 10000).</summary>
    DerivativesQuestionable = 8,

    /// <summary>Warning: the model rejected a point during the fit (it threw <see cref="OdrStop"/>;
    /// ODRPACK's ISTOP; INFO hundreds digit, below 10000).</summary>
    ModelRejectedPoint = 16,

    /// <summary>Warning: the Jacobian is rank deficient at the solution (INFO tens digit, below 10000).</summary>
    RankDeficient = 32,

    /// <summary>Fatal: invalid input (INFO 1xxxx to 3xxxx).</summary>
    InvalidInput = 64,

    /// <summary>Fatal: the analytic derivatives are seriously wrong (INFO 4xxxx).</summary>
    DerivativesWrong = 128,

    /// <summary>Fatal: the model rejected a point or failed where ODRPACK cannot go on (INFO 5xxxx).</summary>
    ModelFailed = 256,

    /// <summary>Fatal: a numerical error (INFO 6xxxx).</summary>
    NumericalError = 512,

    /// <summary>Fatal: an error in the bounds (ODRPACK95's INFO 9xxxx, e.g. 90010).</summary>
    BoundsError = 1024,
}

/// <summary>ODRPACK's INFO integer as typed fields: the one place that reads its digits for the typed
/// API (<see cref="Output.Stop"/>). <see cref="Output.Info"/> and <see cref="Output.StopReason"/>
/// stay as the scipy/ODRPACK form.</summary>
/// <param name="Value">ODRPACK's INFO.</param>
public readonly partial record struct InfoCode(int Value)
{
    /// <summary>True when the fit converged: INFO below 10000 with last digit 1, 2 or 3 (warnings in the
    /// higher digits allowed), as <see cref="Output.Converged"/>.</summary>
    public bool Success => Value is >= 0 and < 10000 && Value % 10 is >= 1 and <= 3;

    /// <summary>True for a fatal error (INFO 10000 and above): the fit did not run or did not finish.</summary>
    public bool IsFatal => Value >= 10000;

    /// <summary>The conditions INFO reports, as flags.</summary>
    public StopCondition Stop
    {
        get
        {
            if (Value < 0) return StopCondition.None;
            int leading = Value / 10000;
            if (leading == 0)
            {
                var s = (Value % 10) switch
                {
                    1 => StopCondition.SumOfSquaresConverged,
                    2 => StopCondition.ParametersConverged,
                    3 => StopCondition.SumOfSquaresConverged | StopCondition.ParametersConverged,
                    4 => StopCondition.IterationLimit,
                    _ => StopCondition.None,
                };
                if (Value / 1000 % 10 != 0) s |= StopCondition.DerivativesQuestionable;
                if (Value / 100 % 10 != 0) s |= StopCondition.ModelRejectedPoint;
                if (Value / 10 % 10 != 0) s |= StopCondition.RankDeficient;
                return s;
            }
            return leading switch
            {
                1 or 2 or 3 => StopCondition.InvalidInput,
                4 => StopCondition.DerivativesWrong,
                5 => StopCondition.ModelFailed,
                6 => StopCondition.NumericalError,
                9 => StopCondition.BoundsError,
                _ => StopCondition.None,
            };
        }
    }
}

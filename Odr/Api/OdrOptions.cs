using System.Globalization;

namespace Odr;

/// <summary>
/// ODRPACK's settings for a fit, typed: each value <c>null</c> means ODRPACK's default (no -1 or 0
/// sentinels), and the kinds replace JOB's digits. Pass it to the <see cref="ODR"/> constructor that
/// takes one, or set <see cref="ODR.Options"/>; e.g.
/// <c>new ODR(data, model, beta0, new OdrOptions { Derivative = DerivativeKind.CentralDifference, MaxIt = 200 })</c>.
/// The integer forms (<see cref="ODR.Job"/>, <see cref="ODR.SetJob"/>, the constructor's
/// <c>sstol</c>/<c>partol</c>/<c>maxit</c> with negative meaning the default) stay as the
/// scipy/ODRPACK compatibility layer and give the same fit bit for bit.
/// </summary>
public sealed record OdrOptions
{
    /// <summary>The fit type (JOB's last digit); null: implicit ODR for an implicit model, explicit
    /// ODR otherwise.</summary>
    public FitKind? Fit { get; init; }

    /// <summary>How the Jacobians are obtained (JOB's tens digit); ODRPACK's default is forward
    /// differences.</summary>
    public DerivativeKind Derivative { get; init; } = DerivativeKind.ForwardDifference;

    /// <summary>Whether and how the covariance of beta is computed (JOB's hundreds digit); ODRPACK's
    /// default uses Jacobians recomputed at the solution.</summary>
    public CovarianceKind Covariance { get; init; } = CovarianceKind.FreshJacobian;

    /// <summary>Sum-of-squares convergence tolerance, 0 to 1; null: sqrt(machine epsilon).</summary>
    public double? SsTol { get; init; }

    /// <summary>Parameter convergence tolerance, 0 to 1; null: eps^(2/3) (eps^(1/3) for implicit fits).</summary>
    public double? ParTol { get; init; }

    /// <summary>Maximum number of iterations, at least 0 (0 evaluates the covariance at beta0
    /// only); null: 50 (and 10 further iterations on a restart).</summary>
    public int? MaxIt { get; init; }

    /// <summary>Factor of the initial trust-region radius, above 0 and at most 1; null: 1.</summary>
    public double? TauFac { get; init; }

    /// <summary>Good decimal digits in the model's values, at least 2 (more than a double holds count
    /// as a double's); null: estimated by ODRPACK (DETAF).</summary>
    public int? NDigit { get; init; }

    /// <summary>Threads for a large fit's per-observation work (see
    /// <see cref="ODR.MaxDegreeOfParallelism"/>), at least 1; null: all cores.</summary>
    public int? MaxDegreeOfParallelism { get; init; }

    /// <summary>Whether the model may be called on chunks of observations from several threads at
    /// once (see <see cref="ODR.ParallelModelEvaluation"/>); null: what the model declares
    /// (<see cref="Model.IsThreadSafe"/>).</summary>
    public bool? ParallelModelEvaluation { get; init; }

    /// <summary>How bounds on beta are kept (see <see cref="ODR.BoundsMethod"/>).</summary>
    public BoundsMethod BoundsMethod { get; init; } = BoundsMethod.ActiveSet;

    /// <summary>Checks every value, naming the first one out of its range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside the range its property
    /// documents, or a kind is not a defined value.</exception>
    internal void Validate()
    {
        if (Fit is { } fit && !Enum.IsDefined(fit)) throw Out(nameof(Fit), fit, "is not a FitKind");
        if (!Enum.IsDefined(Derivative)) throw Out(nameof(Derivative), Derivative, "is not a DerivativeKind");
        if (!Enum.IsDefined(Covariance)) throw Out(nameof(Covariance), Covariance, "is not a CovarianceKind");
        if (!Enum.IsDefined(BoundsMethod)) throw Out(nameof(BoundsMethod), BoundsMethod, "is not a BoundsMethod");
        if (SsTol is { } ss && !(ss >= 0 && ss <= 1)) throw Out(nameof(SsTol), ss, "must be between 0 and 1 (null for ODRPACK's default)");
        if (ParTol is { } pt && !(pt >= 0 && pt <= 1)) throw Out(nameof(ParTol), pt, "must be between 0 and 1 (null for ODRPACK's default)");
        if (TauFac is { } tf && !(tf > 0 && tf <= 1)) throw Out(nameof(TauFac), tf, "must be above 0 and at most 1 (null for ODRPACK's default, 1)");
        if (MaxIt is < 0) throw Out(nameof(MaxIt), MaxIt, "must be at least 0 (null for ODRPACK's default, 50)");
        if (NDigit is < 2) throw Out(nameof(NDigit), NDigit, "must be at least 2 (null to let ODRPACK estimate it)");
        if (MaxDegreeOfParallelism is < 1) throw Out(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "must be at least 1 (null for all cores)");
    }

    private static ArgumentOutOfRangeException Out(string name, object? value, string rule) =>
        new(name, value, string.Create(CultureInfo.InvariantCulture, $"OdrOptions.{name} = {value} {rule}."));
}

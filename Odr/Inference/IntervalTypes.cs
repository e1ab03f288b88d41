using System.Globalization;

namespace Odr;

/// <summary>How confidence intervals of the parameters are computed.</summary>
public enum IntervalMethod
{
    /// <summary>beta ± t·sd_beta with the exact Student t quantile at the fit's degrees of freedom.</summary>
    Wald,

    /// <summary>Profile-t intervals, as R's <c>confint</c> for <c>nls</c>: where the profile t statistic
    /// of each parameter crosses the Student t quantile.</summary>
    Profile,

    /// <summary>Bootstrap percentile intervals.</summary>
    BootstrapPercentile,

    /// <summary>Bootstrap bias-corrected and accelerated (BCa) intervals.</summary>
    BootstrapBca,
}

/// <summary>Progress of a long inference computation (profiles, bootstrap), reported through an
/// <see cref="IProgress{T}"/>.</summary>
/// <param name="Completed">Units of work finished so far.</param>
/// <param name="Total">Units of work in all (for a profile: one per side of each parameter; for a
/// bootstrap: one per resampled fit, plus one per observation for the BCa jackknife).</param>
/// <param name="Stage">What is being computed ("profile", "bootstrap", "jackknife").</param>
public readonly record struct InferenceProgress(int Completed, int Total, string Stage);

/// <summary>The confidence interval of one parameter.</summary>
public sealed record ParameterInterval
{
    /// <summary>Index of the parameter in beta.</summary>
    public required int Index { get; init; }

    /// <summary>The fitted value of the parameter.</summary>
    public required double Estimate { get; init; }

    /// <summary>The lower bound; NaN when the parameter is fixed or the bound was not found
    /// (<see cref="LowerFound"/> false).</summary>
    public required double Lower { get; init; }

    /// <summary>The upper bound; NaN when the parameter is fixed or the bound was not found
    /// (<see cref="UpperFound"/> false).</summary>
    public required double Upper { get; init; }

    /// <summary>True for a parameter held fixed by ifixb: it has no interval.</summary>
    public bool IsFixed { get; init; }

    /// <summary>False when the lower bound could not be determined (a profile that does not reach the
    /// quantile before a bound, a failed refit or a flattening profile; a BCa correction that is not
    /// finite). <see cref="LowerReached"/> then says how far the search got.</summary>
    public bool LowerFound { get; init; } = true;

    /// <summary>False when the upper bound could not be determined (see <see cref="LowerFound"/>).</summary>
    public bool UpperFound { get; init; } = true;

    /// <summary>For a profile side that was not bracketed: the furthest parameter value at which the
    /// profile was computed (the interval extends at least that far). Otherwise equal to <see cref="Lower"/>.</summary>
    public double LowerReached { get; init; } = double.NaN;

    /// <summary>For a profile side that was not bracketed: the furthest value reached above the estimate.</summary>
    public double UpperReached { get; init; } = double.NaN;

    /// <summary>Why a side was not found, in words; null when both were.</summary>
    public string? Note { get; init; }

    /// <inheritdoc/>
    public override string ToString() => IsFixed
        ? string.Create(CultureInfo.InvariantCulture, $"beta[{Index}] = {Estimate:G8} (fixed)")
        : string.Create(CultureInfo.InvariantCulture, $"beta[{Index}] = {Estimate:G8} [{(LowerFound ? Lower.ToString("G8", CultureInfo.InvariantCulture) : "< " + LowerReached.ToString("G8", CultureInfo.InvariantCulture))}, {(UpperFound ? Upper.ToString("G8", CultureInfo.InvariantCulture) : "> " + UpperReached.ToString("G8", CultureInfo.InvariantCulture))}]");
}

/// <summary>Confidence intervals of all parameters by one method at one level. Immutable.</summary>
public sealed class ParameterIntervals
{
    internal ParameterIntervals(IntervalMethod method, double level, ParameterInterval[] intervals)
    {
        Method = method;
        Level = level;
        Intervals = Array.AsReadOnly(intervals);
    }

    /// <summary>The method.</summary>
    public IntervalMethod Method { get; }

    /// <summary>The confidence level, in (0, 1).</summary>
    public double Level { get; }

    /// <summary>One interval per parameter, in beta's order (fixed parameters included, marked
    /// <see cref="ParameterInterval.IsFixed"/>).</summary>
    public IReadOnlyList<ParameterInterval> Intervals { get; }

    /// <summary>The interval of parameter <paramref name="index"/>.</summary>
    /// <param name="index">Index in beta.</param>
    public ParameterInterval this[int index] => Intervals[index];

    /// <summary>The bounds as (lower, upper) pairs, NaN where a bound is missing (fixed parameters,
    /// sides not found).</summary>
    public (double Lower, double Upper)[] Bounds() => Intervals.Select(i => (i.Lower, i.Upper)).ToArray();

    /// <summary>The method's name as the tool writes it: "wald", "profile" or "bootstrap".</summary>
    public string MethodName => Method switch
    {
        IntervalMethod.Wald => "wald",
        IntervalMethod.Profile => "profile",
        _ => "bootstrap",
    };
}

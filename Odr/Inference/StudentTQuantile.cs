namespace Odr;

/// <summary>
/// The two-sided Student t quantile every interval of the library uses: MathNet's exact
/// <c>StudentT.InvCDF</c> at probability 0.5 + level/2. One place, so that Wald intervals, profile
/// thresholds and prediction bands agree to the bit; the last result is kept per thread, because a
/// batch of fits asks the same level and degrees of freedom thousands of times (the inversion is a
/// root search over the incomplete beta function, about as costly as a small fit's covariance).
/// </summary>
internal static class StudentTQuantile
{
    [ThreadStatic]
    private static Entry? last;

    /// <summary>t such that P(|T| ≤ t) = level for T with <paramref name="dof"/> degrees of freedom.</summary>
    /// <param name="level">Confidence level, strictly between 0 and 1 (checked by the callers).</param>
    /// <param name="dof">Degrees of freedom, at least 1.</param>
    public static double TwoSided(double level, int dof)
    {
        var cached = last;
        if (cached is not null && cached.Level.Equals(level) && cached.Dof == dof) return cached.Value;
        double value = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, dof, 0.5 + level / 2);
        last = new Entry(level, dof, value);
        return value;
    }

    private sealed record Entry(double Level, int Dof, double Value);
}

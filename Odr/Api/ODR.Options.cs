namespace Odr;

public sealed partial class ODR
{
    /// <summary>The fit type, typed: reads and writes <see cref="Job"/>'s last digit
    /// (<c>odr.Fit = FitKind.OrdinaryLeastSquares</c> is scipy's <c>set_job(fit_type=2)</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to an undefined value, or read while
    /// <see cref="Job"/> holds a digit out of range.</exception>
    public FitKind Fit
    {
        get => JobCode.FromValue(Job).Fit;
        set => Job = (JobCode.FromValue(Job) with { Fit = Defined(value) }).Value;
    }

    /// <summary>The derivative mode, typed: reads and writes <see cref="Job"/>'s tens digit (scipy's
    /// <c>deriv</c>). The analytic modes need the model's Jacobians.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to an undefined value, or read while
    /// <see cref="Job"/> holds a digit out of range.</exception>
    public DerivativeKind Derivative
    {
        get => JobCode.FromValue(Job).Derivative;
        set => Job = (JobCode.FromValue(Job) with { Derivative = Defined(value) }).Value;
    }

    /// <summary>The covariance mode, typed: reads and writes <see cref="Job"/>'s hundreds digit
    /// (scipy's <c>var_calc</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to an undefined value, or read while
    /// <see cref="Job"/> holds a digit out of range.</exception>
    public CovarianceKind Covariance
    {
        get => JobCode.FromValue(Job).Covariance;
        set => Job = (JobCode.FromValue(Job) with { Covariance = Defined(value) }).Value;
    }

    private static T Defined<T>(T value)
        where T : struct, Enum =>
        Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, $"{value} is not a {typeof(T).Name}.");
}

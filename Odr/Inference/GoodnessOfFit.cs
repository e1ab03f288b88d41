namespace Odr;

/// <summary>
/// Goodness of fit of a finished fit (see <see cref="FitInference.GoodnessOfFit"/>). Immutable.
/// </summary>
/// <remarks>
/// <para><b>χ².</b> <see cref="ChiSquare"/> is the weighted sum of squares that the fit minimized
/// (ODRPACK's WSS: Σ εᵀWε + Σ δᵀW_dδ over the observations; only the ε part for ordinary least
/// squares). With absolute weights (W = 1/σ², the σ's true standard deviations) it follows a χ²
/// distribution with <see cref="DegreesOfFreedom"/> degrees of freedom when the model is right, and
/// <see cref="PValue"/> is its upper tail probability. With relative weights (the default for plain
/// <see cref="Data"/>) no p-value is given.</para>
/// <para><b>Log-likelihood.</b> The errors are taken as Gaussian with covariance σ²·W⁻¹ per
/// observation, σ² unknown and estimated by maximum likelihood. Maximizing over σ² (and, for ODR,
/// over the true inputs x + δ, which the fit already did) gives</para>
/// <para><c>logL = −N/2 · (log 2π + 1 − log N + log S) + ½ Σ log det Wᵢ</c></para>
/// <para>where S is <see cref="ChiSquare"/>, N the number of observed values that carry weight
/// (<see cref="Observations"/>) and the sum runs over the weight blocks of those values. For ordinary
/// least squares this is exactly R's <c>logLik</c> of the same <c>nls</c> fit, weights included
/// (zero weights drop their observations, as R does). For ODR the observed values are the responses
/// and the free inputs (those not fixed by ifixx), N = n·q + (free x values), and the δ weights enter
/// the determinant term. The n·m true inputs are profiled out and not counted as parameters, so the
/// ODR log-likelihood compares models fitted to the same data with the same weights (counting them
/// would add the same constant to every such model's AIC).</para>
/// <para><b>AIC and BIC</b> are −2·logL + 2k and −2·logL + k·log N with k = free parameters + 1 (σ),
/// as R counts them (<c>attr(logLik(fit), "df")</c>).</para>
/// </remarks>
public sealed record GoodnessOfFit
{
    /// <summary>χ²: the weighted sum of squares at the solution (<see cref="Output.SumSquare"/>).</summary>
    public required double ChiSquare { get; init; }

    /// <summary>Degrees of freedom of the fit (<see cref="Output.DegreesOfFreedom"/>): observations with
    /// weight less free parameters.</summary>
    public required int DegreesOfFreedom { get; init; }

    /// <summary>χ² / degrees of freedom (the residual variance); NaN without degrees of freedom.</summary>
    public required double ReducedChiSquare { get; init; }

    /// <summary>True when the weights were taken as absolute (1/σ² with known σ's).</summary>
    public required bool WeightsAreAbsolute { get; init; }

    /// <summary>P(χ²(dof) ≥ χ²), the probability of a fit at least this bad if the model and the σ's are
    /// right; null when the weights are relative (then χ² has an unknown scale) or there are no degrees
    /// of freedom.</summary>
    public required double? PValue { get; init; }

    /// <summary>The Gaussian log-likelihood at the solution, σ² estimated (see the remarks).</summary>
    public required double LogLikelihood { get; init; }

    /// <summary>N: the number of observed values with weight that enter the likelihood.</summary>
    public required int Observations { get; init; }

    /// <summary>k: the number of estimated parameters, free parameters + 1 for σ.</summary>
    public required int EstimatedParameters { get; init; }

    /// <summary>Akaike's information criterion, −2·logL + 2k.</summary>
    public double Aic => -2 * LogLikelihood + 2 * EstimatedParameters;

    /// <summary>The Bayesian information criterion, −2·logL + k·log N.</summary>
    public double Bic => -2 * LogLikelihood + EstimatedParameters * Math.Log(Observations);
}

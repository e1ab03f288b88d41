namespace Odr.Cli;

/// <summary>What <c>odr fit</c> was asked to do, as typed (lists still comma-separated).</summary>
public sealed class FitOptions
{
    /// <summary>The CSV file.</summary>
    public required string DataPath { get; init; }

    /// <summary>One formula per response (or per implicit equation).</summary>
    public required IReadOnlyList<string> Models { get; init; }

    /// <summary>Starting values, comma-separated.</summary>
    public required string Beta0 { get; init; }

    /// <summary>Input columns.</summary>
    public string? X { get; init; }

    /// <summary>Response columns.</summary>
    public string? Y { get; init; }

    /// <summary>Standard deviations of the inputs: a column or a number per input.</summary>
    public string? Sx { get; init; }

    /// <summary>Standard deviations of the responses: a column or a number per response.</summary>
    public string? Sy { get; init; }

    /// <summary>Weights (1/σ²) of the inputs: a column or a number per input.</summary>
    public string? Wx { get; init; }

    /// <summary>Weights (1/σ²) of the responses: a column or a number per response.</summary>
    public string? Wy { get; init; }

    /// <summary>Correlation of the x and y errors of each observation (York et al. 2004): a column or a
    /// number in (−1, 1); one input, one response, an ODR fit with both x and y errors.</summary>
    public string? Rxy { get; init; }

    /// <summary>odr, ols or implicit.</summary>
    public string Fit { get; init; } = "odr";

    /// <summary>Parameters held fixed.</summary>
    public string? Fix { get; init; }

    /// <summary>Lower bounds.</summary>
    public string? Lower { get; init; }

    /// <summary>Upper bounds.</summary>
    public string? Upper { get; init; }

    /// <summary>How bounds are kept: active-set (the default: the constrained optimum) or odrpack95
    /// (ODRPACK95's clipping, for reproducing its results).</summary>
    public string BoundsMethod { get; init; } = "active-set";

    /// <summary>analytic, forward or central.</summary>
    public string Deriv { get; init; } = "analytic";

    /// <summary>Maximum iterations.</summary>
    public int? MaxIt { get; init; }

    /// <summary>Sum-of-squares tolerance.</summary>
    public double? SsTol { get; init; }

    /// <summary>Parameter tolerance.</summary>
    public double? ParTol { get; init; }

    /// <summary>Initial trust-region factor.</summary>
    public double? TauFac { get; init; }

    /// <summary>short, long, iterations or none.</summary>
    public string Report { get; init; } = "short";

    /// <summary>Where to draw the fit (.png or .svg).</summary>
    public string? Plot { get; init; }

    /// <summary>Add the panel of weighted residuals to the plot.</summary>
    public bool Residuals { get; init; }

    /// <summary>How the confidence intervals are computed: wald (the default), profile or bootstrap.</summary>
    public string Ci { get; init; } = "wald";

    /// <summary>Confidence level of the intervals and predictions (default 0.95).</summary>
    public double? Level { get; init; }

    /// <summary>Bootstrap fits (default 1000; at least 10).</summary>
    public int? BootstrapSamples { get; init; }

    /// <summary>Bootstrap seed (default 0).</summary>
    public int? Seed { get; init; }

    /// <summary>Values of the one input to predict at, comma-separated.</summary>
    public string? PredictAt { get; init; }

    /// <summary>Where to write the JSON result ("-" for stdout).</summary>
    public string? Json { get; init; }

    /// <summary>Threads for the solver's per-observation work (ODR.MaxDegreeOfParallelism; -1 all cores).
    /// Not an option of the tool: tests pin that the result does not depend on it.</summary>
    internal int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>The CSV delimiter as typed (a character, comma, semicolon or tab), or null to find it from the file.</summary>
    public string? Delimiter { get; init; }
}

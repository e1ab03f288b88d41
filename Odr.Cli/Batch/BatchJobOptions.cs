namespace Odr.Cli.Batch;

/// <summary>What <c>odr batch</c> was asked to do, as typed (lists still comma-separated).</summary>
public sealed class BatchJobOptions
{
    /// <summary>The data in long format: CSV, or Parquet by the extension .parquet.</summary>
    public required string DataPath { get; init; }

    /// <summary>The group column.</summary>
    public required string Group { get; init; }

    /// <summary>Where the results go (.csv, .jsonl or .parquet).</summary>
    public required string Output { get; init; }

    /// <summary>One formula per response (or per implicit equation).</summary>
    public required IReadOnlyList<string> Models { get; init; }

    /// <summary>Starting values, comma-separated (or <see cref="Beta0From"/>).</summary>
    public string? Beta0 { get; init; }

    /// <summary>Columns holding each group's starting values, one per parameter.</summary>
    public string? Beta0From { get; init; }

    /// <summary>A results file of an earlier batch (.csv, .jsonl or .parquet) whose estimates start each
    /// group it has; the other groups start from <see cref="Beta0"/>.</summary>
    public string? Beta0FromResults { get; init; }

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
    /// number in (−1, 1); one input, one response, an ODR fit with both x and y errors (as odr fit).</summary>
    public string? Rxy { get; init; }

    /// <summary>odr, ols or implicit.</summary>
    public string Fit { get; init; } = "odr";

    /// <summary>Parameters held fixed.</summary>
    public string? Fix { get; init; }

    /// <summary>Lower bounds.</summary>
    public string? Lower { get; init; }

    /// <summary>Upper bounds.</summary>
    public string? Upper { get; init; }

    /// <summary>How bounds are kept: active-set (the default) or odrpack95, as in odr fit.</summary>
    public string BoundsMethod { get; init; } = "active-set";

    /// <summary>How each group's confidence intervals are computed: wald (the default), profile or bootstrap.</summary>
    public string Ci { get; init; } = "wald";

    /// <summary>Confidence level of the intervals (default 0.95).</summary>
    public double? Level { get; init; }

    /// <summary>Bootstrap fits per group for --ci bootstrap (default 1000).</summary>
    public int? BootstrapSamples { get; init; }

    /// <summary>Bootstrap seed (default 0), the same for every group.</summary>
    public int? Seed { get; init; }

    /// <summary>The CSV delimiter as typed (a character, comma, semicolon or tab), or null to find it from the file, as odr fit does.</summary>
    public string? Delimiter { get; init; }

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

    /// <summary>Fit only the groups of shard K of N (K/N, K from 0).</summary>
    public string? Shard { get; init; }

    /// <summary>Keep the groups already in the output and fit only the others.</summary>
    public bool Resume { get; init; }

    /// <summary>Accept groups scattered through the file (holds the whole file in memory).</summary>
    public bool Unsorted { get; init; }

    /// <summary>Fits at the same time (null or 0: all cores).</summary>
    public int? Threads { get; init; }

    /// <summary>Seconds between progress lines when stderr is not a terminal (0: none).</summary>
    public double Progress { get; init; } = 10;
}

using System.Diagnostics.CodeAnalysis;

namespace Odr.Cli.Batch;

/// <summary>What <c>odr batch</c> was asked to do, as typed (lists still comma-separated).</summary>
public sealed record BatchJobOptions : FitSettings
{
    /// <summary>Options with none of <c>odr batch</c>'s own set yet.</summary>
    public BatchJobOptions()
    {
    }

    /// <summary>The shared fit options as parsed, before <c>odr batch</c>'s own are set.</summary>
    /// <param name="settings">The values of the options <c>odr batch</c> shares with <c>odr fit</c>.</param>
    [SetsRequiredMembers]
    public BatchJobOptions(FitSettings settings)
        : base(settings)
    {
        DataPath = "";
        Group = "";
        Output = "";
    }

    /// <summary>The data in long format: CSV, or Parquet by the extension .parquet.</summary>
    public required string DataPath { get; init; }

    /// <summary>The group column.</summary>
    public required string Group { get; init; }

    /// <summary>Where the results go (.csv, .jsonl or .parquet).</summary>
    public required string Output { get; init; }

    /// <summary>Columns holding each group's starting values, one per parameter.</summary>
    public string? Beta0From { get; init; }

    /// <summary>A results file of an earlier batch (.csv, .jsonl or .parquet) whose estimates start each
    /// group it has; the other groups start from <see cref="FitSettings.Beta0"/>.</summary>
    public string? Beta0FromResults { get; init; }

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

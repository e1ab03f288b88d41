using System.Diagnostics.CodeAnalysis;

namespace Odr.Cli;

/// <summary>What <c>odr fit</c> was asked to do, as typed (lists still comma-separated).</summary>
public sealed record FitOptions : FitSettings
{
    /// <summary>Options with none of <c>odr fit</c>'s own set yet.</summary>
    public FitOptions()
    {
    }

    /// <summary>The shared fit options as parsed, before <c>odr fit</c>'s own are set.</summary>
    /// <param name="settings">The values of the options <c>odr fit</c> shares with <c>odr batch</c>.</param>
    [SetsRequiredMembers]
    public FitOptions(FitSettings settings)
        : base(settings)
    {
        DataPath = "";
    }

    /// <summary>The CSV file.</summary>
    public required string DataPath { get; init; }

    /// <summary>short, long, iterations or none.</summary>
    public string Report { get; init; } = "short";

    /// <summary>Where to draw the fit (.png or .svg).</summary>
    public string? Plot { get; init; }

    /// <summary>Add the panel of weighted residuals to the plot.</summary>
    public bool Residuals { get; init; }

    /// <summary>Values of the one input to predict at, comma-separated.</summary>
    public string? PredictAt { get; init; }

    /// <summary>Where to write the JSON result ("-" for stdout).</summary>
    public string? Json { get; init; }

    /// <summary>Threads for the solver's per-observation work (ODR.MaxDegreeOfParallelism; -1 all cores).
    /// Not an option of the tool: tests pin that the result does not depend on it.</summary>
    internal int MaxDegreeOfParallelism { get; init; } = -1;

}

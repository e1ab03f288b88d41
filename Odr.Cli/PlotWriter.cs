namespace Odr.Cli;

/// <summary>Draws the fit with Odr.Plots (PNG or SVG by extension).</summary>
public static class PlotWriter
{
    /// <summary>True when this build can draw plots.</summary>
    public static bool IsAvailable => false;

    /// <summary>Checks the plot file name before the fit runs.</summary>
    /// <param name="path">The destination.</param>
    public static void CheckDestination(string path)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext is not (".png" or ".svg")) throw new CliException($"--plot {path}: the file must end in .png or .svg");
        throw new CliException("--plot: plotting is not available yet in this build of odr (Odr.Plots has no FitPlot); leave out --plot");
    }

    /// <summary>Draws the fit and writes the file whole or not at all.</summary>
    /// <param name="path">The destination.</param>
    /// <param name="xs">Input columns.</param>
    /// <param name="ys">Response columns.</param>
    /// <param name="model">The model.</param>
    /// <param name="output">The fit.</param>
    /// <param name="isImplicit">True for an implicit fit.</param>
    /// <param name="xNames">Input names.</param>
    /// <param name="yNames">Response names.</param>
    public static void Save(string path, double[][] xs, double[][] ys, ExpressionModel model, Output output, bool isImplicit, IReadOnlyList<string> xNames, IReadOnlyList<string> yNames)
    {
        _ = (xs, ys, model, output, isImplicit, xNames, yNames);
        CheckDestination(path);
    }
}

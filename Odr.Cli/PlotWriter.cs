using Odr.Plots;

namespace Odr.Cli;

/// <summary>Draws the fit with Odr.Plots (PNG or SVG by extension).</summary>
public static class PlotWriter
{
    /// <summary>The figure <see cref="Save"/> draws: the fit with its parameters, the axes named after the
    /// columns, and with <paramref name="residuals"/> the residual panel.</summary>
    /// <exception cref="CliException">The plot library cannot draw this fit.</exception>
    internal static FitPlot Build(Data data, Model model, Output output, string title, IReadOnlyList<string> parameterNames,
        IReadOnlyList<string> xNames, IReadOnlyList<string> yNames, bool residuals, InferenceReport? intervals = null)
    {
        try
        {
            var plot = FitPlot.Create(data, model, output)
                .Title(title)
                .WithParameters(true, parameterNames)
                .WithNames(xNames, model.IsImplicit ? null : yNames)
                .WithResidualPanel(residuals);
            // Profile and bootstrap intervals are drawn in the parameter box (Wald's are β ± t·sd there already).
            if (intervals is not null && intervals.Method != "wald")
            {
                plot = plot.WithParameterIntervals(intervals.Intervals, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{intervals.Level * 100:G4} % {intervals.Method}"));
            }
            return plot;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or InvalidOperationException)
        {
            throw new CliException($"--plot: cannot draw this fit: {CliMessages.Clean(e)}", e);
        }
    }

    /// <summary>Checks the plot file name and the kind of fit before the fit runs.</summary>
    /// <param name="path">The destination.</param>
    /// <param name="isImplicit">True for an implicit fit.</param>
    /// <param name="inputs">Number of inputs, when known.</param>
    public static void Check(string path, bool isImplicit, int? inputs = null)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext is not (".png" or ".svg")) throw new CliException($"--plot {path}: the file must end in .png or .svg");
        if (isImplicit && inputs is { } m && m != 2)
        {
            throw new CliException($"--plot draws an implicit fit as a curve in the plane of two inputs; this fit has {m} inputs");
        }
    }

    /// <summary>Draws the fit and writes the file whole or not at all.</summary>
    /// <param name="path">The destination.</param>
    /// <param name="data">The data that was fitted.</param>
    /// <param name="model">The model.</param>
    /// <param name="output">The fit.</param>
    /// <param name="title">The plot's title.</param>
    /// <param name="parameterNames">B0, B1, ...</param>
    /// <param name="xNames">Input names (the columns): they label the axes.</param>
    /// <param name="yNames">Response names (the columns): they label the axes.</param>
    /// <param name="residuals">Add a panel of weighted residuals below each main panel.</param>
    /// <param name="intervals">The fit's intervals; profile or bootstrap ones are shown in the parameter box.</param>
    public static void Save(string path, Data data, Model model, Output output, string title, IReadOnlyList<string> parameterNames,
        IReadOnlyList<string> xNames, IReadOnlyList<string> yNames, bool residuals = false, InferenceReport? intervals = null)
    {
        var plot = Build(data, model, output, title, parameterNames, xNames, yNames, residuals, intervals);
        AtomicFile.Write(path, temp =>
        {
            try
            {
                // The temporary file has no .png/.svg extension: the format comes from the destination's.
                if (Path.GetExtension(path).Equals(".svg", StringComparison.OrdinalIgnoreCase)) plot.SaveSvg(temp);
                else plot.SavePng(temp);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or InvalidOperationException)
            {
                throw new CliException($"--plot: cannot draw this fit: {CliMessages.Clean(e)}", e);
            }
        });
    }
}

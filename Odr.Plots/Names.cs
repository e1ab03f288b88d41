namespace Odr.Plots;

/// <summary>Axis labels: the label set for the axis (<see cref="FitPlotOptions.XLabel"/>,
/// <see cref="FitPlotOptions.YLabel"/>), else the variable's name (<see cref="FitPlotOptions.InputNames"/>,
/// <see cref="FitPlotOptions.ResponseNames"/>), else x, y or x0, x1, …, y0, y1, ….</summary>
internal static class Names
{
    /// <summary>The label of an axis showing input <paramref name="j"/>.</summary>
    public static string Input(FitPlot fp, int j) => fp.Options.XLabel ?? InputName(fp, j);

    /// <summary>The name of input <paramref name="j"/>.</summary>
    public static string InputName(FitPlot fp, int j)
    {
        var names = fp.Options.InputNames;
        if (names is not null && j < names.Count) return names[j];
        return fp.Data.M > 1 ? $"x{j}" : "x";
    }

    /// <summary>The name of response <paramref name="l"/>.</summary>
    public static string Response(FitPlot fp, int l)
    {
        // One response: a label set for the axis wins; several: each panel needs its own name.
        string? label = fp.Options.YLabel;
        if (fp.Data.Q <= 1 && label is not null) return label;
        var names = fp.Options.ResponseNames;
        if (names is not null && l < names.Count) return names[l];
        if (fp.Data.Q > 1) return label is null ? $"y{l}" : $"{label} [{l}]";
        return "y";
    }
}

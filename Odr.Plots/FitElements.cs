using ScottPlot;
using ScottPlot.Plottables;

namespace Odr.Plots;

/// <summary>
/// One method per element of a fit plot. Each creates the element's plottable, styles it from
/// <see cref="FitPlotStyle"/>, adds it to the plot and returns it, the way ScottPlot's
/// <c>PlottableAdder.ErrorBar</c> adds a <c>Plottables.ErrorBar</c>. Every layout draws through these
/// methods, so a new element is one plottable class (if ScottPlot has none), one method here and one
/// call in <see cref="FigureBuilder"/>.
/// </summary>
/// <remarks>
/// Elements are added in drawing order (bands at the bottom, fitted points on top) but listed in the
/// legend in reading order (observations, then each fit's curve, band and residuals): every method
/// gives its legend entry a rank and <see cref="FinishLegend"/> writes the entries sorted by it.
/// </remarks>
internal sealed class FitElements(Plot plot, FitPlotStyle style)
{
    /// <summary>Above this many points markers are drawn as plain dots in one call.</summary>
    public const int FastMarkerThreshold = 5000;

    private readonly List<(int Rank, int Order, LegendItem Item)> legend = new();

    /// <summary>Legend rank of the observations (first).</summary>
    public const int ObservationRank = 0;

    /// <summary>Legend rank of a reference line such as observed = fitted.</summary>
    public const int ReferenceRank = 1;

    /// <summary>Legend rank of an element of fit <paramref name="fit"/>: its curve, then its bands,
    /// residuals and fitted points.</summary>
    public static int FitRank(int fit, int offset) => 10 + 10 * fit + offset;

    /// <summary>The plot the elements go to.</summary>
    public Plot Plot => plot;

    /// <summary>A band between <paramref name="lower"/> and <paramref name="upper"/> (a confidence or
    /// prediction band), one fill per run of finite values.</summary>
    public IReadOnlyList<FillY> Band(double[] xs, double[] lower, double[] upper, Color color, string label, (double Low, double High) clamp, int rank)
    {
        var both = new double[xs.Length];
        for (int i = 0; i < xs.Length; i++) both[i] = double.IsFinite(lower[i]) && double.IsFinite(upper[i]) ? 0 : double.NaN;
        var fills = new List<FillY>();
        foreach (var (start, end) in FiniteRuns(both))
        {
            if (end - start < 2) continue;
            var fill = plot.Add.FillY(xs[start..end], Clamp(lower[start..end], clamp), Clamp(upper[start..end], clamp));
            fill.FillColor = color;
            fill.LineWidth = 0;
            fill.LineColor = Colors.Transparent;
            fill.MarkerSize = 0;
            fills.Add(fill);
        }
        if (fills.Count > 0) Legend(fills[0], label, rank, t => fills[0].LegendText = t);
        return fills;
    }

    /// <summary>Residual segments from each observation (x1, y1) to its fitted point (x2, y2).</summary>
    public SegmentsPlottable Residuals(double[] x1, double[] y1, double[] x2, double[] y2, Color color, string label, int rank)
    {
        var segments = new SegmentsPlottable(x1, y1, x2, y2);
        segments.LineStyle.Color = color;
        segments.LineStyle.Width = 1;
        plot.Add.Plottable(segments);
        Legend(segments, label, rank, t => segments.LegendText = t);
        return segments;
    }

    /// <summary>Error bars of ±1 σ around each observation, or null when no observation has one.</summary>
    public CrossErrorBarsPlottable? ErrorBars(double[] xs, double[] ys, double[] xErrors, double[] yErrors)
    {
        if (xErrors.All(v => !(v > 0)) && yErrors.All(v => !(v > 0))) return null;
        var bars = new CrossErrorBarsPlottable(xs, ys, xErrors, yErrors);
        bars.LineStyle.Color = style.ErrorBars;
        plot.Add.Plottable(bars);
        return bars;
    }

    /// <summary>The curve y = f(x) of an explicit fit, one line per run of finite values; with
    /// <paramref name="band"/> its legend entry shows the line over the band's colour, one entry for both.</summary>
    public IReadOnlyList<Scatter> Curve(double[] xs, double[] ys, Color color, LinePattern pattern, string label, (double Low, double High) clamp, int rank, Color? band = null)
    {
        var lines = new List<Scatter>();
        foreach (var (start, end) in FiniteRuns(ys))
        {
            var line = plot.Add.ScatterLine(xs[start..end], Clamp(ys[start..end], clamp), color);
            line.LineWidth = style.CurveWidth;
            line.LinePattern = pattern;
            line.MarkerSize = 0;
            lines.Add(line);
        }
        if (lines.Count > 0) Legend(lines[0], label, rank, t => lines[0].LegendText = t, band);
        return lines;
    }

    /// <summary>The curve f(beta, x) = 0 of an implicit fit, as segments.</summary>
    public SegmentsPlottable Contour(IReadOnlyList<(double X1, double Y1, double X2, double Y2)> segments, Color color, LinePattern pattern, string label, int rank)
    {
        var contour = new SegmentsPlottable(
            segments.Select(t => t.X1).ToArray(),
            segments.Select(t => t.Y1).ToArray(),
            segments.Select(t => t.X2).ToArray(),
            segments.Select(t => t.Y2).ToArray());
        contour.LineStyle.Color = color;
        contour.LineStyle.Width = style.CurveWidth;
        contour.LineStyle.Pattern = pattern;
        plot.Add.Plottable(contour);
        Legend(contour, label, rank, t => contour.LegendText = t);
        return contour;
    }

    /// <summary>A straight reference line such as observed = fitted.</summary>
    public LinePlot ReferenceLine(double x1, double y1, double x2, double y2, string label)
    {
        var line = plot.Add.Line(x1, y1, x2, y2);
        line.LineColor = style.Curve;
        line.LineWidth = style.CurveWidth;
        Legend(line, label, ReferenceRank, t => line.LegendText = t);
        return line;
    }

    /// <summary>Markers at (xs, ys): observations, fitted points or weighted residuals. Beyond
    /// <see cref="FastMarkerThreshold"/> points they are plain dots drawn in one call.</summary>
    public IPlottable Markers(double[] xs, double[] ys, Color color, float size, MarkerShape shape, string label, int rank)
    {
        if (xs.Length > FastMarkerThreshold)
        {
            var dots = new DotsPlottable(xs, ys) { Color = color, Size = Math.Max(size / 2, 2) };
            plot.Add.Plottable(dots);
            Legend(dots, label, rank, t => dots.LegendText = t);
            return dots;
        }
        var scatter = plot.Add.ScatterPoints(xs, ys, color);
        scatter.MarkerSize = size;
        scatter.MarkerShape = shape;
        Legend(scatter, label, rank, t => scatter.LegendText = t);
        return scatter;
    }

    /// <summary>A dashed horizontal line at zero (residual panels).</summary>
    public HorizontalLine ZeroLine()
    {
        var zero = plot.Add.HorizontalLine(0, 1, Colors.Black);
        zero.LinePattern = LinePattern.Dashed;
        return zero;
    }

    /// <summary>A text box in a corner of the data area (the parameters).</summary>
    public Annotation TextBox(string text, Alignment corner)
    {
        var box = plot.Add.Annotation(text, corner);
        box.LabelFontSize = 12;
        box.LabelBackgroundColor = Colors.White.WithAlpha(0.85);
        box.LabelBorderColor = Colors.Gray;
        box.LabelShadowColor = Colors.Transparent;
        box.LabelFontColor = Colors.Black;
        return box;
    }

    /// <summary>Writes the legend entries collected so far in rank order.</summary>
    public void FinishLegend()
    {
        plot.Legend.ManualItems.AddRange(legend.OrderBy(e => e.Rank).ThenBy(e => e.Order).Select(e => e.Item));
        legend.Clear();
    }

    /// <summary>Moves the plottable's legend entry into the ranked list: sets its text, takes the entry
    /// it makes, and clears the text again so that the entry is not listed twice.</summary>
    private void Legend(IPlottable plottable, string label, int rank, Action<string> setText, Color? fill = null)
    {
        if (string.IsNullOrEmpty(label)) return;
        setText(label);
        foreach (var item in plottable.LegendItems)
        {
            if (fill is { } f) item.FillStyle = new FillStyle { Color = f };
            legend.Add((rank, legend.Count, item));
        }
        setText(string.Empty);
    }

    private static double[] Clamp(double[] values, (double Low, double High) clamp) =>
        values.Select(v => Math.Clamp(v, clamp.Low, clamp.High)).ToArray();

    /// <summary>The [start, end) ranges of consecutive finite values.</summary>
    public static IEnumerable<(int Start, int End)> FiniteRuns(double[] values)
    {
        int start = -1;
        for (int i = 0; i <= values.Length; i++)
        {
            bool ok = i < values.Length && double.IsFinite(values[i]);
            if (ok && start < 0) start = i;
            if (!ok && start >= 0)
            {
                yield return (start, i);
                start = -1;
            }
        }
    }
}

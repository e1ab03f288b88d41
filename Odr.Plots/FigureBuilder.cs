using System.Globalization;
using System.Text;
using ScottPlot;
using SkiaSharp;

namespace Odr.Plots;

/// <summary>Turns a <see cref="FitPlot"/> description into ScottPlot panels.</summary>
internal static class FigureBuilder
{
    private static readonly string[] SansCandidates = { "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Noto Sans", "Open Sans", "Segoe UI", "Roboto" };
    private static readonly Lazy<string> DefaultSans = new(FindSans);

    /// <summary>The sans-serif font used when none is chosen.</summary>
    public static string SansFont => DefaultSans.Value;

    public static FitPlot.Figure Build(FitPlot fp)
    {
        var panels = new List<FitPlot.Panel>();
        var o = fp.Options;
        var layout = fp.EffectiveLayout;
        bool isImplicit = fp.Fits[0].Model.IsImplicit;
        int responses = isImplicit ? 1 : Math.Max(fp.Data.Q, 1);
        for (int l = 0; l < responses; l++)
        {
            var scene = isImplicit ? Layouts.Implicit(fp)
                : layout == FitPlotLayout.ObservedVersusFitted ? Layouts.ObservedVersusFitted(fp, l)
                : Layouts.AgainstInput(fp, l, o.Input);
            var main = NewPlot();
            DrawMain(fp, main, scene, showParameters: l == 0);
            if (l == 0 && o.Title is not null) main.Title(o.Title);
            panels.Add(new FitPlot.Panel(main, l, false));
            if (o.ShowResidualPanel)
            {
                var res = NewPlot();
                DrawResidualPanel(fp, res, main, scene, l, layout, isImplicit);
                panels.Add(new FitPlot.Panel(res, l, true));
            }
        }
        string font = o.FontFamily ?? SansFont;
        foreach (var p in panels)
        {
            p.Plot.Font.Set(font);
            foreach (var a in p.Plot.GetPlottables().OfType<ScottPlot.Plottables.Annotation>()) a.LabelFontName = font;
            p.Plot.Legend.FontName = font;
            if (panels.Count > 1) p.Plot.Axes.Left.MinimumSize = 70;
        }
        return new FitPlot.Figure(panels);
    }

    private static Plot NewPlot()
    {
        var plot = new Plot();
        plot.Legend.BackgroundColor = Colors.White.WithAlpha(0.85);
        return plot;
    }

    /// <summary>Draws a main panel: every element of the scene, bottom to top, then the axes, the legend
    /// and the parameter box in the emptiest corners.</summary>
    private static void DrawMain(FitPlot fp, Plot plot, Scene scene, bool showParameters)
    {
        var o = fp.Options;
        var s = o.Style;
        var add = new FitElements(plot, s);
        int n = scene.X.Length;
        int[] shown = FitMath.Subsample(n, o.MaxSegments);
        string note = shown.Length < n ? string.Create(CultureInfo.InvariantCulture, $" ({shown.Length:N0} of {n:N0} shown)") : string.Empty;
        bool overlay = scene.Fits.Count > 1;
        string Who(FitScene f) => overlay ? $" ({f.Fit.Label})" : string.Empty;

        // Bands at the bottom; in an overlay each fit's band is paler so that where they overlap both show.
        // The confidence band shares its fit's legend entry (the line over the band's colour).
        var bandColors = new Color?[scene.Fits.Count];
        for (int k = 0; k < scene.Fits.Count; k++)
        {
            var f = scene.Fits[k];
            if (f.Curve is not { } c) continue;
            double opacity = overlay ? s.BandOpacity * 0.7 : s.BandOpacity;
            if (c.PredictionLower is not null && c.PredictionUpper is not null && o.PredictionLevel is double pl)
            {
                add.Band(c.X, c.PredictionLower, c.PredictionUpper, f.Color.WithAlpha(opacity / 2), $"{Percent(pl)} prediction band{Who(f)}", f.Clamp, FitElements.FitRank(k, 2));
            }
            if (c.ConfidenceLower is not null && c.ConfidenceUpper is not null && o.ConfidenceLevel is not null)
            {
                var color = f.Color.WithAlpha(opacity);
                if (add.Band(c.X, c.ConfidenceLower, c.ConfidenceUpper, color, string.Empty, f.Clamp, FitElements.FitRank(k, 1)).Count > 0) bandColors[k] = color;
            }
        }

        for (int k = 0; k < scene.Fits.Count; k++)
        {
            var f = scene.Fits[k];
            if (!f.ShowResiduals || f.FittedX is null || f.FittedY is null) continue;
            string kind = f.ResidualsAreVertical ? "vertical residuals" : "orthogonal residuals";
            add.Residuals(Pick(scene.X, shown), Pick(scene.Y, shown), Pick(f.FittedX, shown), Pick(f.FittedY, shown), f.IsMain ? s.Residuals : f.Color.WithAlpha(0.6), kind + Who(f) + note, FitElements.FitRank(k, 3));
        }

        var bars = add.ErrorBars(Pick(scene.X, shown), Pick(scene.Y, shown), Pick(scene.XError, shown), Pick(scene.YError, shown));

        if (scene.ReferenceLine is { } r) add.ReferenceLine(r.X1, r.Y1, r.X2, r.Y2, r.Label);
        for (int k = 0; k < scene.Fits.Count; k++)
        {
            var f = scene.Fits[k];
            if (f.Curve is { } c)
            {
                string label = bandColors[k] is null ? f.Fit.Label : $"{f.Fit.Label}, {Percent(o.ConfidenceLevel!.Value)} confidence band";
                add.Curve(c.X, c.Fit, f.Color, f.Pattern, label, f.Clamp, FitElements.FitRank(k, 0), bandColors[k]);
            }
            if (f.Contour is { } contour) add.Contour(contour, f.Color, f.Pattern, f.Fit.Label + ": f(β, x) = 0", FitElements.FitRank(k, 0));
        }

        string observations = scene.ObservationLabel + (bars is null ? string.Empty : " ± 1 σ" + (note.Length > 0 ? $" (bars{note})" : string.Empty));
        add.Markers(scene.X, scene.Y, s.Data, s.MarkerSize, MarkerShape.FilledCircle, observations, FitElements.ObservationRank);

        for (int k = 0; k < scene.Fits.Count; k++)
        {
            var f = scene.Fits[k];
            if (!f.ShowFittedPoints || f.FittedX is null || f.FittedY is null) continue;
            bool open = f.FittedShape == MarkerShape.OpenCircle;
            add.Markers(Pick(f.FittedX, shown), Pick(f.FittedY, shown), f.IsMain && open ? s.FittedPoints : f.Color, open ? Math.Max(s.MarkerSize - 2, 2) : s.MarkerSize, f.FittedShape, f.FittedLabel.Length > 0 ? f.FittedLabel + note : string.Empty, FitElements.FitRank(k, 4));
        }

        plot.Axes.SetLimits(scene.Limits);
        if (scene.EqualScales) plot.Axes.Rules.Add(new ScottPlot.AxisRules.SquareZoomOut(plot.Axes.Bottom, plot.Axes.Left));
        plot.XLabel(scene.XLabel);
        plot.YLabel(scene.YLabel);

        var corners = EmptiestCorners(scene.Limits, Occupied(scene));
        var legendCorner = o.LegendAlignment ?? corners[0];
        var parameterCorner = o.ParameterAlignment ?? corners.First(c => c != legendCorner);
        if (o.ShowParameters && showParameters) add.TextBox(ParameterText(fp), parameterCorner);
        add.FinishLegend();
        if (o.ShowLegend) plot.ShowLegend(legendCorner);
        else plot.HideLegend();
    }

    /// <summary>Draws the weighted residuals of the main fit (ε·√w_ε and, where the fit estimated them,
    /// δ·√w_δ) against the main panel's horizontal axis.</summary>
    private static void DrawResidualPanel(FitPlot fp, Plot plot, Plot main, Scene scene, int l, FitPlotLayout layout, bool isImplicit)
    {
        var s = fp.Options.Style;
        var data = fp.Data;
        var fit = fp.Fits[0].Output;
        var add = new FitElements(plot, s);
        int n = data.N;
        int j = layout == FitPlotLayout.AgainstInput ? fp.Options.Input : 0;
        double[] xs = scene.X;
        double maxAbs = 0;
        add.ZeroLine();
        float size = Math.Max(s.MarkerSize - 1, 2);
        if (!isImplicit)
        {
            var eps = new double[n];
            for (int i = 0; i < n; i++)
            {
                eps[i] = fit.Eps[l, i] * Math.Sqrt(data.EpsWeight(l, i));
                if (double.IsFinite(eps[i])) maxAbs = Math.Max(maxAbs, Math.Abs(eps[i]));
            }
            add.Markers(xs, eps, s.Data, size, MarkerShape.FilledCircle, "ε·√w_ε", 0);
        }

        // Observed versus fitted has no input axis; a fit that did not move the inputs (OLS) has no δ.
        int[] inputs = isImplicit ? new[] { 0, 1 } : layout == FitPlotLayout.ObservedVersusFitted ? Array.Empty<int>() : new[] { j };
        foreach (int input in inputs)
        {
            if (Layouts.AllZero(fit.Delta, input)) continue;
            var d = new double[n];
            for (int i = 0; i < n; i++)
            {
                d[i] = fit.Delta[input, i] * Math.Sqrt(data.DeltaWeight(input, i));
                if (double.IsFinite(d[i])) maxAbs = Math.Max(maxAbs, Math.Abs(d[i]));
            }
            add.Markers(xs, d, input == inputs[0] ? s.FittedPoints : s.Residuals, size, MarkerShape.OpenSquare, isImplicit ? $"δ{input}·√w_δ" : "δ·√w_δ", 1 + input);
        }
        add.FinishLegend();
        if (!(maxAbs > 0)) maxAbs = 1;
        plot.Axes.SetLimits(scene.Limits.Left, scene.Limits.Right, -1.15 * maxAbs, 1.15 * maxAbs);

        // With equal scales the main panel widens its horizontal axis as it renders; follow it.
        if (scene.EqualScales) plot.Axes.Rules.Add(new FollowHorizontalAxis(main, plot));
        plot.YLabel("residual / σ");
        plot.XLabel(scene.XLabel);
        if (fp.Options.ShowLegend) plot.ShowLegend(Alignment.UpperRight, Orientation.Horizontal);
        else plot.HideLegend();
    }

    private static double[] Pick(double[] values, int[] shown) => shown.Length == values.Length ? values : shown.Select(i => values[i]).ToArray();

    /// <summary>Points the legend and the parameter box should not cover: observations, curves, contours.</summary>
    private static List<(double X, double Y)> Occupied(Scene scene)
    {
        var occupied = new List<(double X, double Y)>();
        foreach (int i in FitMath.Subsample(scene.X.Length, 2000)) occupied.Add((scene.X[i], scene.Y[i]));
        if (scene.ReferenceLine is { } r)
        {
            for (int g = 0; g <= 50; g++) occupied.Add((r.X1 + (r.X2 - r.X1) * g / 50, r.Y1 + (r.Y2 - r.Y1) * g / 50));
        }
        foreach (var f in scene.Fits)
        {
            if (f.Curve is { } c)
            {
                for (int g = 0; g < c.X.Length; g += Math.Max(c.X.Length / 50, 1)) occupied.Add((c.X[g], c.Fit[g]));
            }
            if (f.Contour is { } segs)
            {
                for (int t = 0; t < segs.Count; t += Math.Max(segs.Count / 200, 1)) occupied.Add((segs[t].X1, segs[t].Y1));
            }
        }
        return occupied;
    }

    private static string ParameterText(FitPlot fp)
    {
        var sb = new StringBuilder();
        var names = fp.Options.ParameterNames;
        var intervals = fp.Options.ParameterIntervals;
        foreach (var fit in fp.Fits)
        {
            if (fp.Fits.Count > 1) sb.Append(fit.Label).Append('\n');
            var o = fit.Output;
            bool withIntervals = intervals is not null && fit == fp.Fits[0];
            if (withIntervals && fp.Options.ParameterIntervalLabel is { } label) sb.Append("intervals: ").Append(label).Append('\n');
            for (int k = 0; k < o.Beta.Length; k++)
            {
                string name = names is not null && k < names.Count ? names[k] : string.Create(CultureInfo.InvariantCulture, $"β{k}");
                sb.Append(name).Append(" = ").Append(FitMath.ValueWithError(o.Beta[k], o.SdBeta[k]));
                if (withIntervals && double.IsFinite(intervals![k].Lower) && double.IsFinite(intervals[k].Upper))
                {
                    sb.Append(string.Create(CultureInfo.InvariantCulture, $"  [{intervals[k].Lower:G5}, {intervals[k].Upper:G5}]"));
                }
                sb.Append('\n');
            }
            sb.Append(string.Create(CultureInfo.InvariantCulture, $"res. var. = {o.ResVar:G4} (ν = {o.DegreesOfFreedom})")).Append('\n');
        }
        return sb.ToString().TrimEnd('\n');
    }

    /// <summary>The four corners of the data area, emptiest first (fewest occupied points within 40 % of
    /// the width and 40 % of the height from the corner).</summary>
    private static Alignment[] EmptiestCorners(AxisLimits limits, List<(double X, double Y)> occupied)
    {
        var corners = new[] { Alignment.UpperLeft, Alignment.UpperRight, Alignment.LowerRight, Alignment.LowerLeft };
        var counts = new int[4];
        double w = limits.Right - limits.Left, h = limits.Top - limits.Bottom;
        foreach (var (x, y) in occupied)
        {
            if (!double.IsFinite(x) || !double.IsFinite(y)) continue;
            double fx = (x - limits.Left) / w, fy = (y - limits.Bottom) / h;
            if (fx < 0 || fx > 1 || fy < 0 || fy > 1) continue;
            bool left = fx < 0.4, right = fx > 0.6, top = fy > 0.6, bottom = fy < 0.4;
            if (top && left) counts[0]++;
            if (top && right) counts[1]++;
            if (bottom && right) counts[2]++;
            if (bottom && left) counts[3]++;
        }
        return Enumerable.Range(0, 4).OrderBy(k => counts[k]).ThenBy(k => k).Select(k => corners[k]).ToArray();
    }

    private static string Percent(double level) => (level * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %";

    private static string FindSans()
    {
        foreach (string name in SansCandidates)
        {
            using var typeface = SKFontManager.Default.MatchFamily(name);
            if (typeface is not null && string.Equals(typeface.FamilyName, name, StringComparison.OrdinalIgnoreCase)) return name;
        }
        return Fonts.Sans;
    }
}

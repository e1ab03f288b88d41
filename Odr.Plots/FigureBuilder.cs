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
            var main = NewPlot(fp);
            var occupied = new List<(double X, double Y)>();
            double xlo, xhi;
            if (isImplicit) (xlo, xhi) = DrawImplicit(fp, main, occupied);
            else if (layout == FitPlotLayout.ObservedVersusFitted) (xlo, xhi) = DrawObservedVersusFitted(fp, main, l, occupied);
            else (xlo, xhi) = DrawAgainstInput(fp, main, l, o.Input, occupied);
            if (l == 0 && o.Title is not null) main.Title(o.Title);
            var corners = EmptiestCorners(main.Axes.GetLimits(), occupied);
            var legendCorner = o.LegendAlignment ?? corners[0];
            var parameterCorner = o.ParameterAlignment ?? corners.First(c => c != legendCorner);
            if (o.ShowParameters && l == 0) AddParameterBox(fp, main, parameterCorner);
            if (o.ShowLegend) main.ShowLegend(legendCorner);
            else main.HideLegend();
            panels.Add(new FitPlot.Panel(main, l, false));
            if (o.ShowResidualPanel)
            {
                var res = NewPlot(fp);
                DrawResiduals(fp, res, l, layout, isImplicit, xlo, xhi);
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

    private static Plot NewPlot(FitPlot fp)
    {
        var plot = new Plot();
        plot.Legend.BackgroundColor = Colors.White.WithAlpha(0.85);
        return plot;
    }

    private static string YName(FitPlot fp, int response)
    {
        string baseName = fp.Options.YLabel ?? "y";
        return fp.Data.Q > 1 ? $"{baseName} [{response}]" : baseName;
    }

    private static string XName(FitPlot fp, int input) =>
        fp.Options.XLabel ?? (fp.Data.M > 1 ? $"x [{input}]" : "x");

    private static double ErrorOf(double weight) => weight > 0 && double.IsFinite(weight) ? 1 / Math.Sqrt(weight) : 0;

    private static (double, double) DrawAgainstInput(FitPlot fp, Plot plot, int l, int j, List<(double X, double Y)> occupied)
    {
        var o = fp.Options;
        var s = o.Style;
        var data = fp.Data;
        int n = data.N;
        var xs = new double[n];
        var ys = new double[n];
        for (int i = 0; i < n; i++)
        {
            xs[i] = data.GetX(j, i);
            ys[i] = data.GetY(l, i);
        }
        double[] grid = fp.Grid(j);
        var bounds = new Bounds();
        for (int i = 0; i < n; i++)
        {
            bounds.Add(xs[i], ys[i]);
            double ey = data.RawWe is null ? 0 : ErrorOf(data.EpsWeight(l, i));
            bounds.AddY(ys[i] - ey);
            bounds.AddY(ys[i] + ey);
        }

        var curves = new List<(FitLayer Fit, CurveBand Band, Color Color)>();
        for (int k = 0; k < fp.Fits.Count; k++)
        {
            var fit = fp.Fits[k];
            var band = fp.ComputeCurve(fit, l, j);
            curves.Add((fit, band, k == 0 ? s.Curve : s.OverlayCurves[(k - 1) % s.OverlayCurves.Count]));
            for (int i = 0; i < n; i++) bounds.Add(fit.Output.XPlus[j, i], fit.Output.Y[l, i]);
            double dlo = xs.Min(), dhi = xs.Max();
            for (int g = 0; g < grid.Length; g++)
            {
                if (grid[g] >= dlo && grid[g] <= dhi) bounds.AddY(band.Fit[g]);
            }
        }
        bounds.AddX(grid[0]);
        bounds.AddX(grid[^1]);
        var (ylo, yhi) = bounds.PaddedY();
        double clampLo = ylo - 10 * (yhi - ylo), clampHi = yhi + 10 * (yhi - ylo);

        // Bands below everything.
        foreach (var (fit, band, color) in curves)
        {
            string who = fp.Fits.Count > 1 ? $" ({fit.Label})" : string.Empty;
            if (band.PredictionLower is not null && band.PredictionUpper is not null && o.PredictionLevel is double pl)
            {
                AddFill(plot, grid, band.PredictionLower, band.PredictionUpper, color.WithAlpha(s.BandOpacity / 2), $"{Percent(pl)} prediction band{who}", clampLo, clampHi);
            }
            if (band.ConfidenceLower is not null && band.ConfidenceUpper is not null && o.ConfidenceLevel is double cl)
            {
                AddFill(plot, grid, band.ConfidenceLower, band.ConfidenceUpper, color.WithAlpha(s.BandOpacity), $"{Percent(cl)} confidence band{who}", clampLo, clampHi);
            }
        }

        int[] shown = FitMath.Subsample(n, o.MaxSegments);
        string subsampleNote = shown.Length < n ? string.Create(CultureInfo.InvariantCulture, $" ({shown.Length:N0} of {n:N0} shown)") : string.Empty;
        if (o.ShowResiduals)
        {
            for (int k = 0; k < fp.Fits.Count; k++)
            {
                var fit = fp.Fits[k];
                var seg = new SegmentsPlottable(
                    shown.Select(i => xs[i]).ToArray(),
                    shown.Select(i => ys[i]).ToArray(),
                    shown.Select(i => fit.Output.XPlus[j, i]).ToArray(),
                    shown.Select(i => fit.Output.Y[l, i]).ToArray());
                seg.LineStyle.Color = k == 0 ? s.Residuals : curves[k].Color.WithAlpha(0.6);
                seg.LineStyle.Width = 1;
                seg.LegendText = "orthogonal residuals" + (fp.Fits.Count > 1 ? $" ({fit.Label})" : string.Empty) + subsampleNote;
                plot.Add.Plottable(seg);
            }
        }

        AddErrorBars(fp, plot, shown, i => xs[i], i => ys[i], i => data.RawWd is null ? 0 : ErrorOf(data.DeltaWeight(j, i)), i => data.RawWe is null ? 0 : ErrorOf(data.EpsWeight(l, i)), subsampleNote);

        foreach (var (fit, band, color) in curves)
        {
            AddLine(plot, grid, band.Fit, color, s.CurveWidth, fit.Label, clampLo, clampHi);
            for (int g = 0; g < grid.Length; g += Math.Max(grid.Length / 50, 1)) occupied.Add((grid[g], band.Fit[g]));
        }
        foreach (int i in FitMath.Subsample(n, 2000)) occupied.Add((xs[i], ys[i]));

        AddMarkers(plot, xs, ys, s.Data, s.MarkerSize, MarkerShape.FilledCircle, "observations");

        if (o.ShowFittedPoints)
        {
            for (int k = 0; k < fp.Fits.Count; k++)
            {
                var fit = fp.Fits[k];
                var fitted = plot.Add.ScatterPoints(shown.Select(i => fit.Output.XPlus[j, i]).ToArray(), shown.Select(i => fit.Output.Y[l, i]).ToArray(), k == 0 ? s.FittedPoints : curves[k].Color);
                fitted.MarkerSize = Math.Max(s.MarkerSize - 2, 2);
                fitted.MarkerShape = MarkerShape.OpenCircle;
                fitted.LegendText = k == 0 ? "fitted points (x + δ, y + ε)" + subsampleNote : string.Empty;
            }
        }

        var (xlo, xhi) = bounds.PaddedX(0);
        plot.Axes.SetLimits(xlo, xhi, ylo, yhi);
        plot.XLabel(XName(fp, j));
        plot.YLabel(YName(fp, l));
        return (xlo, xhi);
    }

    private static (double, double) DrawObservedVersusFitted(FitPlot fp, Plot plot, int l, List<(double X, double Y)> occupied)
    {
        var o = fp.Options;
        var s = o.Style;
        var data = fp.Data;
        int n = data.N;
        var bounds = new Bounds();
        var ys = new double[n];
        for (int i = 0; i < n; i++) ys[i] = data.GetY(l, i);
        int[] shown = FitMath.Subsample(n, o.MaxSegments);
        string subsampleNote = shown.Length < n ? string.Create(CultureInfo.InvariantCulture, $" ({shown.Length:N0} of {n:N0} shown)") : string.Empty;
        var first = fp.Fits[0].Output;
        var fitted0 = new double[n];
        for (int i = 0; i < n; i++)
        {
            fitted0[i] = first.Y[l, i];
            bounds.Add(fitted0[i], ys[i]);
            bounds.Add(ys[i], fitted0[i]);
        }
        AddErrorBars(fp, plot, shown, i => fitted0[i], i => ys[i], _ => 0, i => data.RawWe is null ? 0 : ErrorOf(data.EpsWeight(l, i)), subsampleNote);
        var (lo, hi) = bounds.PaddedX(0.05);
        var identity = plot.Add.Line(lo, lo, hi, hi);
        identity.LineColor = s.Curve;
        identity.LineWidth = s.CurveWidth;
        identity.LegendText = "observed = fitted";
        for (int k = 0; k < fp.Fits.Count; k++)
        {
            var fit = fp.Fits[k].Output;
            AddMarkers(plot, Enumerable.Range(0, n).Select(i => fit.Y[l, i]).ToArray(), ys, k == 0 ? s.Data : s.OverlayCurves[(k - 1) % s.OverlayCurves.Count], s.MarkerSize, MarkerShape.FilledCircle, fp.Fits.Count > 1 ? fp.Fits[k].Label : "observations");
        }
        plot.Axes.SetLimits(lo, hi, lo, hi);
        foreach (int i in FitMath.Subsample(n, 2000)) occupied.Add((fitted0[i], ys[i]));
        for (int g = 0; g <= 50; g++) occupied.Add((lo + (hi - lo) * g / 50, lo + (hi - lo) * g / 50));
        plot.XLabel(o.XLabel ?? $"fitted {YName(fp, l)}");
        plot.YLabel($"observed {YName(fp, l)}");
        return (lo, hi);
    }

    private static (double, double) DrawImplicit(FitPlot fp, Plot plot, List<(double X, double Y)> occupied)
    {
        var o = fp.Options;
        var s = o.Style;
        var data = fp.Data;
        int n = data.N;
        var bounds = new Bounds();
        var xs = new double[n];
        var ys = new double[n];
        for (int i = 0; i < n; i++)
        {
            xs[i] = data.GetX(0, i);
            ys[i] = data.GetX(1, i);
            bounds.Add(xs[i], ys[i]);
            foreach (var f in fp.Fits) bounds.Add(f.Output.XPlus[0, i], f.Output.XPlus[1, i]);
        }
        var (xlo, xhi) = bounds.PaddedX(0.1);
        var (ylo, yhi) = bounds.PaddedY(0.1);
        int gridSize = Math.Max(o.ContourGrid, 3);
        var gx = new double[gridSize];
        var gy = new double[gridSize];
        for (int i = 0; i < gridSize; i++)
        {
            gx[i] = xlo + (xhi - xlo) * i / (gridSize - 1);
            gy[i] = ylo + (yhi - ylo) * i / (gridSize - 1);
        }
        var points = new double[gridSize * gridSize * 2];
        for (int a = 0; a < gridSize; a++)
        {
            for (int b = 0; b < gridSize; b++)
            {
                points[(a * gridSize + b) * 2] = gx[a];
                points[(a * gridSize + b) * 2 + 1] = gy[b];
            }
        }
        int[] shown = FitMath.Subsample(n, o.MaxSegments);
        string subsampleNote = shown.Length < n ? string.Create(CultureInfo.InvariantCulture, $" ({shown.Length:N0} of {n:N0} shown)") : string.Empty;
        var contours = new List<SegmentsPlottable>();
        for (int k = 0; k < fp.Fits.Count; k++)
        {
            var fit = fp.Fits[k];
            int q = FitMath.Responses(data, fit.Model);
            double[] f = FitMath.Evaluate(fit.Model, fit.Output.Beta, points, 2, q);
            var values = new double[gridSize, gridSize];
            for (int a = 0; a < gridSize; a++)
            {
                for (int b = 0; b < gridSize; b++) values[a, b] = f[(a * gridSize + b) * q];
            }
            var segs = MarchingSquares.ZeroContour(gx, gy, values);
            for (int t = 0; t < segs.Count; t += Math.Max(segs.Count / 200, 1)) occupied.Add((segs[t].X1, segs[t].Y1));
            var contour = new SegmentsPlottable(segs.Select(t => t.X1).ToArray(), segs.Select(t => t.Y1).ToArray(), segs.Select(t => t.X2).ToArray(), segs.Select(t => t.Y2).ToArray());
            contour.LineStyle.Color = k == 0 ? s.Curve : s.OverlayCurves[(k - 1) % s.OverlayCurves.Count];
            contour.LineStyle.Width = s.CurveWidth;
            contour.LegendText = fit.Label + ": f(β, x) = 0";
            contours.Add(contour);

            if (o.ShowResiduals)
            {
                var seg = new SegmentsPlottable(
                    shown.Select(i => xs[i]).ToArray(),
                    shown.Select(i => ys[i]).ToArray(),
                    shown.Select(i => fit.Output.XPlus[0, i]).ToArray(),
                    shown.Select(i => fit.Output.XPlus[1, i]).ToArray());
                seg.LineStyle.Color = k == 0 ? s.Residuals : contour.LineStyle.Color.WithAlpha(0.6);
                seg.LegendText = "orthogonal residuals" + (fp.Fits.Count > 1 ? $" ({fit.Label})" : string.Empty) + subsampleNote;
                plot.Add.Plottable(seg);
            }
        }
        AddErrorBars(fp, plot, shown, i => xs[i], i => ys[i], i => data.RawWd is null ? 0 : ErrorOf(data.DeltaWeight(0, i)), i => data.RawWd is null ? 0 : ErrorOf(data.DeltaWeight(1, i)), subsampleNote);
        foreach (var c in contours) plot.Add.Plottable(c);
        AddMarkers(plot, xs, ys, s.Data, s.MarkerSize, MarkerShape.FilledCircle, "observations");
        foreach (int i in FitMath.Subsample(n, 2000)) occupied.Add((xs[i], ys[i]));
        if (o.ShowFittedPoints)
        {
            var fit = fp.Fits[0].Output;
            var proj = plot.Add.ScatterPoints(shown.Select(i => fit.XPlus[0, i]).ToArray(), shown.Select(i => fit.XPlus[1, i]).ToArray(), s.FittedPoints);
            proj.MarkerSize = Math.Max(s.MarkerSize - 2, 2);
            proj.MarkerShape = MarkerShape.OpenCircle;
            proj.LegendText = "projections x + δ" + subsampleNote;
        }
        plot.Axes.SetLimits(xlo, xhi, ylo, yhi);
        plot.XLabel(o.XLabel ?? "x [0]");
        plot.YLabel(o.YLabel ?? "x [1]");
        return (xlo, xhi);
    }

    private static void DrawResiduals(FitPlot fp, Plot plot, int l, FitPlotLayout layout, bool isImplicit, double xlo, double xhi)
    {
        var s = fp.Options.Style;
        var data = fp.Data;
        var fit = fp.Fits[0].Output;
        int n = data.N;
        int j = layout == FitPlotLayout.AgainstInput ? fp.Options.Input : 0;
        var xs = new double[n];
        for (int i = 0; i < n; i++) xs[i] = layout == FitPlotLayout.ObservedVersusFitted && !isImplicit ? fit.Y[l, i] : data.GetX(j, i);
        double maxAbs = 0;
        var zero = plot.Add.HorizontalLine(0, 1, Colors.Black);
        zero.LinePattern = LinePattern.Dashed;
        if (!isImplicit)
        {
            var eps = new double[n];
            for (int i = 0; i < n; i++)
            {
                eps[i] = fit.Eps[l, i] * Math.Sqrt(data.EpsWeight(l, i));
                if (double.IsFinite(eps[i])) maxAbs = Math.Max(maxAbs, Math.Abs(eps[i]));
            }
            AddMarkers(plot, xs, eps, s.Data, Math.Max(s.MarkerSize - 1, 2), MarkerShape.FilledCircle, "ε·√w_ε");
        }
        int inputs = isImplicit ? 2 : (layout == FitPlotLayout.ObservedVersusFitted ? 0 : 1);
        for (int t = 0; t < inputs; t++)
        {
            int input = isImplicit ? t : j;
            var d = new double[n];
            for (int i = 0; i < n; i++)
            {
                d[i] = fit.Delta[input, i] * Math.Sqrt(data.DeltaWeight(input, i));
                if (double.IsFinite(d[i])) maxAbs = Math.Max(maxAbs, Math.Abs(d[i]));
            }
            AddMarkers(plot, xs, d, t == 0 ? s.FittedPoints : s.Residuals, Math.Max(s.MarkerSize - 1, 2), MarkerShape.OpenSquare, isImplicit ? $"δ{input}·√w_δ" : "δ·√w_δ");
        }
        if (!(maxAbs > 0)) maxAbs = 1;
        plot.Axes.SetLimits(xlo, xhi, -1.15 * maxAbs, 1.15 * maxAbs);
        plot.YLabel("residual / σ");
        plot.XLabel(isImplicit ? fp.Options.XLabel ?? "x [0]" : layout == FitPlotLayout.ObservedVersusFitted ? fp.Options.XLabel ?? $"fitted {YName(fp, l)}" : XName(fp, j));
        if (fp.Options.ShowLegend) plot.ShowLegend(Alignment.UpperRight, Orientation.Horizontal);
        else plot.HideLegend();
    }

    /// <summary>Above this many points markers are drawn as plain dots in one call.</summary>
    internal const int FastMarkerThreshold = 5000;

    private static void AddMarkers(Plot plot, double[] xs, double[] ys, Color color, float size, MarkerShape shape, string label)
    {
        if (xs.Length > FastMarkerThreshold)
        {
            plot.Add.Plottable(new DotsPlottable(xs, ys) { Color = color, Size = Math.Max(size / 2, 2), LegendText = label });
            return;
        }
        var scatter = plot.Add.ScatterPoints(xs, ys, color);
        scatter.MarkerSize = size;
        scatter.MarkerShape = shape;
        scatter.LegendText = label;
    }

    private static void AddErrorBars(FitPlot fp, Plot plot, int[] shown, Func<int, double> x, Func<int, double> y, Func<int, double> ex, Func<int, double> ey, string note)
    {
        var xe = shown.Select(ex).ToArray();
        var ye = shown.Select(ey).ToArray();
        if (xe.All(v => !(v > 0)) && ye.All(v => !(v > 0))) return;
        var bars = new CrossErrorBarsPlottable(shown.Select(x).ToArray(), shown.Select(y).ToArray(), xe, ye);
        bars.LineStyle.Color = fp.Options.Style.ErrorBars;
        bars.LegendText = "±1 σ" + note;
        plot.Add.Plottable(bars);
    }

    private static void AddLine(Plot plot, double[] xs, double[] ys, Color color, float width, string label, double clampLo, double clampHi)
    {
        bool labelled = false;
        foreach (var (start, end) in FiniteRuns(ys))
        {
            var sx = xs[start..end];
            var sy = ys[start..end].Select(v => Math.Clamp(v, clampLo, clampHi)).ToArray();
            var line = plot.Add.ScatterLine(sx, sy, color);
            line.LineWidth = width;
            line.MarkerSize = 0;
            if (!labelled)
            {
                line.LegendText = label;
                labelled = true;
            }
        }
    }

    private static void AddFill(Plot plot, double[] xs, double[] lower, double[] upper, Color color, string label, double clampLo, double clampHi)
    {
        var both = new double[xs.Length];
        for (int i = 0; i < xs.Length; i++) both[i] = double.IsFinite(lower[i]) && double.IsFinite(upper[i]) ? 0 : double.NaN;
        bool labelled = false;
        foreach (var (start, end) in FiniteRuns(both))
        {
            if (end - start < 2) continue;
            var fill = plot.Add.FillY(
                xs[start..end],
                lower[start..end].Select(v => Math.Clamp(v, clampLo, clampHi)).ToArray(),
                upper[start..end].Select(v => Math.Clamp(v, clampLo, clampHi)).ToArray());
            fill.FillColor = color;
            fill.LineWidth = 0;
            fill.LineColor = Colors.Transparent;
            fill.MarkerSize = 0;
            if (!labelled)
            {
                fill.LegendText = label;
                labelled = true;
            }
        }
    }

    private static IEnumerable<(int Start, int End)> FiniteRuns(double[] values)
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

    private static void AddParameterBox(FitPlot fp, Plot plot, Alignment corner)
    {
        var sb = new StringBuilder();
        var names = fp.Options.ParameterNames;
        foreach (var fit in fp.Fits)
        {
            if (fp.Fits.Count > 1) sb.Append(fit.Label).Append('\n');
            var o = fit.Output;
            for (int k = 0; k < o.Beta.Length; k++)
            {
                string name = names is not null && k < names.Count ? names[k] : string.Create(CultureInfo.InvariantCulture, $"β{k}");
                sb.Append(name).Append(" = ").Append(FitMath.ValueWithError(o.Beta[k], o.SdBeta[k])).Append('\n');
            }
            sb.Append(string.Create(CultureInfo.InvariantCulture, $"res. var. = {o.ResVar:G4} (ν = {o.DegreesOfFreedom})")).Append('\n');
        }
        var box = plot.Add.Annotation(sb.ToString().TrimEnd('\n'), corner);
        box.LabelFontSize = 12;
        box.LabelBackgroundColor = Colors.White.WithAlpha(0.85);
        box.LabelBorderColor = Colors.Gray;
        box.LabelShadowColor = Colors.Transparent;
        box.LabelFontColor = Colors.Black;
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

    private sealed class Bounds
    {
        private double xlo = double.PositiveInfinity, xhi = double.NegativeInfinity, ylo = double.PositiveInfinity, yhi = double.NegativeInfinity;

        public void Add(double x, double y)
        {
            AddX(x);
            AddY(y);
        }

        public void AddX(double x)
        {
            if (!double.IsFinite(x)) return;
            xlo = Math.Min(xlo, x);
            xhi = Math.Max(xhi, x);
        }

        public void AddY(double y)
        {
            if (!double.IsFinite(y)) return;
            ylo = Math.Min(ylo, y);
            yhi = Math.Max(yhi, y);
        }

        public (double, double) PaddedX(double fraction = 0.05) => Pad(xlo, xhi, fraction);

        public (double, double) PaddedY(double fraction = 0.08) => Pad(ylo, yhi, fraction);

        private static (double, double) Pad(double lo, double hi, double fraction)
        {
            if (!double.IsFinite(lo) || !double.IsFinite(hi)) return (-1, 1);
            double span = hi - lo;
            if (!(span > Math.Max(Math.Abs(lo), Math.Abs(hi)) * 1e-12))
            {
                double half = Math.Max(Math.Abs(lo) * 0.1, 1);
                return (lo - half, hi + half);
            }
            return (lo - fraction * span, hi + fraction * span);
        }
    }
}

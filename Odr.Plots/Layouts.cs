using ScottPlot;

namespace Odr.Plots;

/// <summary>
/// The three layouts of a main panel, each reduced to a <see cref="Scene"/>: where the observations,
/// fitted points, curves and bands lie in plot coordinates and what the axes say. Nothing is drawn here.
/// </summary>
internal static class Layouts
{
    /// <summary>Responses against input <paramref name="j"/> (the other inputs at their means).</summary>
    public static Scene AgainstInput(FitPlot fp, int l, int j)
    {
        var data = fp.Data;
        int n = data.N;
        var xs = new double[n];
        var ys = new double[n];
        var ex = new double[n];
        var ey = new double[n];
        for (int i = 0; i < n; i++)
        {
            xs[i] = data.GetX(j, i);
            ys[i] = data.GetY(l, i);
            ex[i] = data.RawWd is null ? 0 : ErrorOf(data.DeltaWeight(j, i));
            ey[i] = data.RawWe is null ? 0 : ErrorOf(data.YErrorWeight(l, i));
        }
        double[] grid = fp.Grid(j);
        var bounds = new Bounds();
        for (int i = 0; i < n; i++)
        {
            bounds.Add(xs[i], ys[i]);
            bounds.AddY(ys[i] - ey[i]);
            bounds.AddY(ys[i] + ey[i]);
        }
        var bands = new CurveBand[fp.Fits.Count];
        double dlo = xs.Min(), dhi = xs.Max();
        for (int k = 0; k < fp.Fits.Count; k++)
        {
            var fit = fp.Fits[k];
            bands[k] = fp.ComputeCurve(fit, l, j);
            for (int i = 0; i < n; i++) bounds.Add(fit.Output.XPlus[j, i], fit.Output.Y[l, i]);

            // The vertical range follows the curve over the data only, not where the extension runs off.
            for (int g = 0; g < grid.Length; g++)
            {
                if (grid[g] >= dlo && grid[g] <= dhi) bounds.AddY(bands[k].Fit[g]);
            }
        }
        bounds.AddX(grid[0]);
        bounds.AddX(grid[^1]);
        var (ylo, yhi) = bounds.PaddedY();
        var (xlo, xhi) = bounds.PaddedX(0);
        var clamp = (ylo - 10 * (yhi - ylo), yhi + 10 * (yhi - ylo));

        var fits = new FitScene[fp.Fits.Count];
        for (int k = 0; k < fp.Fits.Count; k++)
        {
            var fit = fp.Fits[k];
            fits[k] = new FitScene
            {
                Fit = fit,
                IsMain = k == 0,
                Color = ColorOf(fp, k),
                Pattern = PatternOf(k),
                FittedX = Enumerable.Range(0, n).Select(i => fit.Output.XPlus[j, i]).ToArray(),
                FittedY = Enumerable.Range(0, n).Select(i => fit.Output.Y[l, i]).ToArray(),
                ShowFittedPoints = fp.Options.ShowFittedPoints,
                FittedLabel = k > 0 ? string.Empty : AllZero(fit.Output.Delta, j) ? "fitted points (x, y + ε)" : "fitted points (x + δ, y + ε)",
                ShowResiduals = fp.Options.ShowResiduals,
                ResidualsAreVertical = AllZero(fit.Output.Delta, j),
                Curve = bands[k],
                Clamp = clamp,
            };
        }
        return new Scene
        {
            X = xs,
            Y = ys,
            XError = ex,
            YError = ey,
            Fits = fits,
            Limits = new AxisLimits(xlo, xhi, ylo, yhi),
            EqualScales = fp.Options.EqualAxisScales ?? false,
            XLabel = Names.Input(fp, j),
            YLabel = Names.Response(fp, l),
        };
    }

    /// <summary>Observed responses against fitted values, with the line observed = fitted.</summary>
    public static Scene ObservedVersusFitted(FitPlot fp, int l)
    {
        var data = fp.Data;
        int n = data.N;
        var ys = new double[n];
        var ey = new double[n];
        var bounds = new Bounds();
        var first = fp.Fits[0].Output;
        var fitted0 = new double[n];
        for (int i = 0; i < n; i++)
        {
            ys[i] = data.GetY(l, i);
            ey[i] = data.RawWe is null ? 0 : ErrorOf(data.YErrorWeight(l, i));
            fitted0[i] = first.Y[l, i];
            bounds.Add(fitted0[i], ys[i]);
            bounds.Add(ys[i], fitted0[i]);
        }
        var (lo, hi) = bounds.PaddedX(0.05);

        // Later fits of an overlay show their fitted values against the same observations.
        var fits = new FitScene[fp.Fits.Count];
        for (int k = 0; k < fp.Fits.Count; k++)
        {
            var fit = fp.Fits[k].Output;
            fits[k] = new FitScene
            {
                Fit = fp.Fits[k],
                IsMain = k == 0,
                Color = ColorOf(fp, k),
                Pattern = PatternOf(k),
                FittedX = Enumerable.Range(0, n).Select(i => fit.Y[l, i]).ToArray(),
                FittedY = ys,
                ShowFittedPoints = k > 0,
                FittedShape = MarkerShape.FilledCircle,
                FittedLabel = fp.Fits[k].Label,
            };
        }
        string name = Names.Response(fp, l);
        return new Scene
        {
            X = fitted0,
            Y = ys,
            XError = new double[n],
            YError = ey,
            ObservationLabel = fp.Fits.Count > 1 ? fp.Fits[0].Label : "observations",
            Fits = fits,
            ReferenceLine = (lo, lo, hi, hi, "observed = fitted"),
            Limits = new AxisLimits(lo, hi, lo, hi),
            EqualScales = fp.Options.EqualAxisScales ?? false,
            XLabel = fp.Options.XLabel ?? $"fitted {name}",
            YLabel = $"observed {name}",
        };
    }

    /// <summary>The implicit curve f(beta, x) = 0 in the plane of the two inputs, traced until it closes,
    /// with each observation's projection x + delta onto it.</summary>
    public static Scene Implicit(FitPlot fp)
    {
        var o = fp.Options;
        var data = fp.Data;
        int n = data.N;
        var bounds = new Bounds();
        var xs = new double[n];
        var ys = new double[n];
        var ex = new double[n];
        var ey = new double[n];
        for (int i = 0; i < n; i++)
        {
            xs[i] = data.GetX(0, i);
            ys[i] = data.GetX(1, i);
            ex[i] = data.RawWd is null ? 0 : ErrorOf(data.DeltaWeight(0, i));
            ey[i] = data.RawWd is null ? 0 : ErrorOf(data.DeltaWeight(1, i));
            bounds.Add(xs[i], ys[i]);
            foreach (var f in fp.Fits) bounds.Add(f.Output.XPlus[0, i], f.Output.XPlus[1, i]);
        }
        var (dxlo, dxhi) = bounds.PaddedX(0.1);
        var (dylo, dyhi) = bounds.PaddedY(0.1);
        var region = (dxlo, dxhi, dylo, dyhi);
        var view = region;
        int gridSize = Math.Max(o.ContourGrid, 3);
        var fits = new FitScene[fp.Fits.Count];
        for (int k = 0; k < fp.Fits.Count; k++)
        {
            var fit = fp.Fits[k];
            int q = FitMath.Responses(data, fit.Model);
            var traced = ImplicitCurve.Trace(
                points =>
                {
                    double[] all = FitMath.Evaluate(fit.Model, fit.Output.Beta, points, 2, q);
                    var first = new double[points.Length / 2];
                    for (int i = 0; i < first.Length; i++) first[i] = all[i * q];
                    return first;
                },
                region,
                gridSize);
            if (traced.Closed)
            {
                // The whole closed curve is in view, with the data's margin around it.
                var b = traced.Bounds;
                double mx = 0.05 * (b.XHi - b.XLo), my = 0.05 * (b.YHi - b.YLo);
                view = (Math.Min(view.Item1, b.XLo - mx), Math.Max(view.Item2, b.XHi + mx), Math.Min(view.Item3, b.YLo - my), Math.Max(view.Item4, b.YHi + my));
            }
            fits[k] = new FitScene
            {
                Fit = fit,
                IsMain = k == 0,
                Color = ColorOf(fp, k),
                Pattern = PatternOf(k),
                FittedX = Enumerable.Range(0, n).Select(i => fit.Output.XPlus[0, i]).ToArray(),
                FittedY = Enumerable.Range(0, n).Select(i => fit.Output.XPlus[1, i]).ToArray(),
                ShowFittedPoints = k == 0 && o.ShowFittedPoints,
                FittedLabel = "projections x + δ",
                ShowResiduals = o.ShowResiduals,
                Contour = traced.Segments,
            };
        }
        // Equal scales by default: the two inputs of an implicit curve (a circle, an ellipse) are
        // usually coordinates in the same units; when their spans differ by more than ten times they
        // are probably not, and equal scales would flatten the picture to a line.
        double spanX = view.Item2 - view.Item1, spanY = view.Item4 - view.Item3;
        bool comparable = spanX > 0 && spanY > 0 && Math.Max(spanX / spanY, spanY / spanX) <= 10;
        return new Scene
        {
            X = xs,
            Y = ys,
            XError = ex,
            YError = ey,
            Fits = fits,
            Limits = new AxisLimits(view.Item1, view.Item2, view.Item3, view.Item4),
            EqualScales = o.EqualAxisScales ?? comparable,
            XLabel = Names.Input(fp, 0),
            YLabel = o.YLabel ?? Names.InputName(fp, 1),
        };
    }

    /// <summary>Curve colour of fit <paramref name="k"/>.</summary>
    public static Color ColorOf(FitPlot fp, int k)
    {
        var s = fp.Options.Style;
        return k == 0 ? s.Curve : s.OverlayCurves[(k - 1) % s.OverlayCurves.Count];
    }

    /// <summary>Line pattern of fit <paramref name="k"/>: solid, dashed, dotted, dashed, ….</summary>
    private static LinePattern PatternOf(int k) => k == 0 ? LinePattern.Solid : k % 2 == 1 ? LinePattern.Dashed : LinePattern.Dotted;

    /// <summary>True when every delta of input <paramref name="j"/> is zero: the fit did not move the
    /// observations along it (ordinary least squares, or the input held fixed).</summary>
    public static bool AllZero(double[,] delta, int j)
    {
        for (int i = 0; i < delta.GetLength(1); i++)
        {
            if (delta[j, i] != 0) return false;
        }
        return true;
    }

    /// <summary>Standard deviation of a weight (0 for none).</summary>
    public static double ErrorOf(double weight) => weight > 0 && double.IsFinite(weight) ? 1 / Math.Sqrt(weight) : 0;

    /// <summary>Extent of points, padded.</summary>
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

using ScottPlot;
using SkiaSharp;

namespace Odr.Plots;

/// <summary>
/// Error bars in x and y drawn as one cross per observation (one SVG path each), with short caps.
/// A bar of zero or non-finite length is left out; an observation with neither bar draws nothing.
/// </summary>
public sealed class CrossErrorBarsPlottable : IPlottable
{
    private readonly double[] xs;
    private readonly double[] ys;
    private readonly double[] xErrors;
    private readonly double[] yErrors;

    /// <summary>Creates the error bars (all arrays of the same length; errors are half-lengths).</summary>
    /// <param name="xs">Centres, x.</param>
    /// <param name="ys">Centres, y.</param>
    /// <param name="xErrors">Half-length of each horizontal bar.</param>
    /// <param name="yErrors">Half-length of each vertical bar.</param>
    public CrossErrorBarsPlottable(double[] xs, double[] ys, double[] xErrors, double[] yErrors)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        ArgumentNullException.ThrowIfNull(xErrors);
        ArgumentNullException.ThrowIfNull(yErrors);
        if (ys.Length != xs.Length || xErrors.Length != xs.Length || yErrors.Length != xs.Length)
        {
            throw new ArgumentException("All arrays must have the same length.", nameof(ys));
        }
        this.xs = xs;
        this.ys = ys;
        this.xErrors = xErrors;
        this.yErrors = yErrors;
    }

    /// <summary>Number of observations.</summary>
    public int Count => xs.Length;

    /// <summary>The stroke of the bars.</summary>
    public LineStyle LineStyle { get; } = new() { Width = 1, Color = Colors.Black };

    /// <summary>Width of the caps in pixels (0 for none).</summary>
    public float CapSize { get; set; } = 4;

    /// <summary>Text shown in the legend, or null for none.</summary>
    public string? LegendText { get; set; }

    /// <inheritdoc/>
    public bool IsVisible { get; set; } = true;

    /// <inheritdoc/>
    public IAxes Axes { get; set; } = new ScottPlot.Axes();

    /// <inheritdoc/>
    public IEnumerable<LegendItem> LegendItems => string.IsNullOrEmpty(LegendText)
        ? LegendItem.None
        : LegendItem.Single(this, LegendText, LineStyle);

    /// <inheritdoc/>
    public AxisLimits GetAxisLimits()
    {
        double xmin = double.PositiveInfinity, xmax = double.NegativeInfinity, ymin = double.PositiveInfinity, ymax = double.NegativeInfinity;
        for (int i = 0; i < xs.Length; i++)
        {
            double ex = double.IsFinite(xErrors[i]) ? xErrors[i] : 0, ey = double.IsFinite(yErrors[i]) ? yErrors[i] : 0;
            xmin = Math.Min(xmin, xs[i] - ex);
            xmax = Math.Max(xmax, xs[i] + ex);
            ymin = Math.Min(ymin, ys[i] - ey);
            ymax = Math.Max(ymax, ys[i] + ey);
        }
        return xs.Length == 0 ? AxisLimits.NoLimits : new AxisLimits(xmin, xmax, ymin, ymax);
    }

    /// <inheritdoc/>
    public void Render(RenderPack rp)
    {
        ArgumentNullException.ThrowIfNull(rp);
        using var paint = new SKPaint { IsStroke = true, IsAntialias = true, StrokeWidth = LineStyle.Width, Color = LineStyle.Color.ToSKColor() };
        float cap = CapSize / 2;
        for (int i = 0; i < xs.Length; i++)
        {
            using var path = new SKPath();
            Pixel c = Axes.GetPixel(new Coordinates(xs[i], ys[i]));
            if (!SegmentsPlottable.Finite(c)) continue;
            if (xErrors[i] > 0 && double.IsFinite(xErrors[i]))
            {
                Pixel l = Axes.GetPixel(new Coordinates(xs[i] - xErrors[i], ys[i]));
                Pixel r = Axes.GetPixel(new Coordinates(xs[i] + xErrors[i], ys[i]));
                if (SegmentsPlottable.Finite(l) && SegmentsPlottable.Finite(r))
                {
                    path.MoveTo(l.X, l.Y);
                    path.LineTo(r.X, r.Y);
                    if (cap > 0)
                    {
                        path.MoveTo(l.X, l.Y - cap);
                        path.LineTo(l.X, l.Y + cap);
                        path.MoveTo(r.X, r.Y - cap);
                        path.LineTo(r.X, r.Y + cap);
                    }
                }
            }
            if (yErrors[i] > 0 && double.IsFinite(yErrors[i]))
            {
                Pixel b = Axes.GetPixel(new Coordinates(xs[i], ys[i] - yErrors[i]));
                Pixel t = Axes.GetPixel(new Coordinates(xs[i], ys[i] + yErrors[i]));
                if (SegmentsPlottable.Finite(b) && SegmentsPlottable.Finite(t))
                {
                    path.MoveTo(b.X, b.Y);
                    path.LineTo(t.X, t.Y);
                    if (cap > 0)
                    {
                        path.MoveTo(b.X - cap, b.Y);
                        path.LineTo(b.X + cap, b.Y);
                        path.MoveTo(t.X - cap, t.Y);
                        path.LineTo(t.X + cap, t.Y);
                    }
                }
            }
            if (!path.IsEmpty) rp.Canvas.DrawPath(path, paint);
        }
    }
}

using ScottPlot;
using SkiaSharp;

namespace Odr.Plots;

/// <summary>
/// Line segments drawn one by one (one SVG path per segment): the orthogonal residuals, or the pieces of
/// an implicit curve's zero contour.
/// </summary>
public sealed class SegmentsPlottable : IPlottable
{
    private readonly double[] x1;
    private readonly double[] y1;
    private readonly double[] x2;
    private readonly double[] y2;

    /// <summary>Creates the plottable from the segments' end points (all arrays of the same length).</summary>
    /// <param name="x1">Start x of each segment.</param>
    /// <param name="y1">Start y of each segment.</param>
    /// <param name="x2">End x of each segment.</param>
    /// <param name="y2">End y of each segment.</param>
    public SegmentsPlottable(double[] x1, double[] y1, double[] x2, double[] y2)
    {
        ArgumentNullException.ThrowIfNull(x1);
        ArgumentNullException.ThrowIfNull(y1);
        ArgumentNullException.ThrowIfNull(x2);
        ArgumentNullException.ThrowIfNull(y2);
        if (y1.Length != x1.Length || x2.Length != x1.Length || y2.Length != x1.Length)
        {
            throw new ArgumentException("All end-point arrays must have the same length.", nameof(y1));
        }
        this.x1 = x1;
        this.y1 = y1;
        this.x2 = x2;
        this.y2 = y2;
    }

    /// <summary>Number of segments.</summary>
    public int Count => x1.Length;

    /// <summary>The stroke of every segment.</summary>
    public LineStyle LineStyle { get; } = new() { Width = 1, Color = Colors.Gray };

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
        for (int i = 0; i < x1.Length; i++)
        {
            xmin = Math.Min(xmin, Math.Min(x1[i], x2[i]));
            xmax = Math.Max(xmax, Math.Max(x1[i], x2[i]));
            ymin = Math.Min(ymin, Math.Min(y1[i], y2[i]));
            ymax = Math.Max(ymax, Math.Max(y1[i], y2[i]));
        }
        return x1.Length == 0 ? AxisLimits.NoLimits : new AxisLimits(xmin, xmax, ymin, ymax);
    }

    /// <inheritdoc/>
    public void Render(RenderPack rp)
    {
        ArgumentNullException.ThrowIfNull(rp);
        for (int i = 0; i < x1.Length; i++)
        {
            Pixel a = Axes.GetPixel(new Coordinates(x1[i], y1[i]));
            Pixel b = Axes.GetPixel(new Coordinates(x2[i], y2[i]));
            if (!Finite(a) || !Finite(b)) continue;
            Drawing.DrawLine(rp.Canvas, rp.Paint, a, b, LineStyle);
        }
    }

    internal static bool Finite(Pixel p) => float.IsFinite(p.X) && float.IsFinite(p.Y) && Math.Abs(p.X) < 1e7f && Math.Abs(p.Y) < 1e7f;
}

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

/// <summary>
/// Many filled round markers drawn in one call: the fast path for large data sets, where drawing each
/// marker as its own shape would take seconds.
/// </summary>
public sealed class DotsPlottable : IPlottable
{
    private readonly double[] xs;
    private readonly double[] ys;

    /// <summary>Creates the dots.</summary>
    /// <param name="xs">Horizontal coordinates.</param>
    /// <param name="ys">Vertical coordinates (same length).</param>
    public DotsPlottable(double[] xs, double[] ys)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        if (xs.Length != ys.Length) throw new ArgumentException("xs and ys must have the same length.", nameof(ys));
        this.xs = xs;
        this.ys = ys;
    }

    /// <summary>Number of dots.</summary>
    public int Count => xs.Length;

    /// <summary>Colour of the dots.</summary>
    public Color Color { get; set; } = Colors.Black;

    /// <summary>Diameter in pixels.</summary>
    public float Size { get; set; } = 3;

    /// <summary>Text shown in the legend, or null for none.</summary>
    public string? LegendText { get; set; }

    /// <inheritdoc/>
    public bool IsVisible { get; set; } = true;

    /// <inheritdoc/>
    public IAxes Axes { get; set; } = new ScottPlot.Axes();

    /// <inheritdoc/>
    public IEnumerable<LegendItem> LegendItems => string.IsNullOrEmpty(LegendText)
        ? LegendItem.None
        : LegendItem.Single(this, LegendText, new MarkerStyle(MarkerShape.FilledCircle, Math.Max(Size, 5), Color));

    /// <inheritdoc/>
    public AxisLimits GetAxisLimits() => xs.Length == 0
        ? AxisLimits.NoLimits
        : new AxisLimits(xs.Where(double.IsFinite).DefaultIfEmpty(0).Min(), xs.Where(double.IsFinite).DefaultIfEmpty(0).Max(), ys.Where(double.IsFinite).DefaultIfEmpty(0).Min(), ys.Where(double.IsFinite).DefaultIfEmpty(0).Max());

    /// <inheritdoc/>
    public void Render(RenderPack rp)
    {
        ArgumentNullException.ThrowIfNull(rp);
        // Square dots on whole pixels: one dot per pixel is all that shows, so duplicates are skipped.
        var points = new List<SKPoint>(Math.Min(xs.Length, 1 << 16));
        var seen = new HashSet<long>();
        // Linear axes: map with the two corners instead of a call per point.
        Pixel origin = Axes.GetPixel(new Coordinates(Axes.XAxis.Min, Axes.YAxis.Min));
        Pixel corner = Axes.GetPixel(new Coordinates(Axes.XAxis.Max, Axes.YAxis.Max));
        double sx = (corner.X - origin.X) / (Axes.XAxis.Max - Axes.XAxis.Min), sy = (corner.Y - origin.Y) / (Axes.YAxis.Max - Axes.YAxis.Min);
        double xmin = Axes.XAxis.Min, ymin = Axes.YAxis.Min;
        for (int i = 0; i < xs.Length; i++)
        {
            var p = new Pixel((float)(origin.X + (xs[i] - xmin) * sx), (float)(origin.Y + (ys[i] - ymin) * sy));
            if (!SegmentsPlottable.Finite(p)) continue;
            long key = ((long)Math.Round(p.X) << 32) ^ (uint)(int)Math.Round(p.Y);
            if (seen.Add(key)) points.Add(new SKPoint((float)Math.Round(p.X), (float)Math.Round(p.Y)));
        }
        using var paint = new SKPaint { IsStroke = true, IsAntialias = false, StrokeWidth = Size, StrokeCap = SKStrokeCap.Square, Color = Color.ToSKColor() };
        rp.Canvas.DrawPoints(SKPointMode.Points, points.ToArray(), paint);
    }
}

using ScottPlot;
using SkiaSharp;

namespace Odr.Plots;

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

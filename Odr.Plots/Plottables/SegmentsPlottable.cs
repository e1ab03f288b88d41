using ScottPlot;

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

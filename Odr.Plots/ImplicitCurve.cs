namespace Odr.Plots;

/// <summary>
/// The curve f(beta, x) = 0 of an implicit two-input fit, traced far enough to show it whole: a closed
/// curve (a circle through a quarter arc of data) is followed beyond the data until it closes; an open
/// one (a line, a hyperbola) is drawn across the data's region and some way past it.
/// </summary>
internal static class ImplicitCurve
{
    /// <summary>How many times the region may grow while looking for the curve's end.</summary>
    private const int MaxGrowths = 8;

    /// <summary>The region may grow to this many times the data's larger span; a closed curve bigger
    /// than that is drawn as if it were open.</summary>
    private const double MaxGrowth = 100;

    /// <summary>The traced curve.</summary>
    /// <param name="Segments">Its pieces.</param>
    /// <param name="Closed">True when it lies wholly inside <paramref name="Bounds"/>.</param>
    /// <param name="Bounds">The closed curve's extent (x lo, x hi, y lo, y hi), or the data region for an
    /// open curve.</param>
    public sealed record Traced(List<(double X1, double Y1, double X2, double Y2)> Segments, bool Closed, (double XLo, double XHi, double YLo, double YHi) Bounds);

    /// <summary>Traces f = 0 starting from <paramref name="region"/> (the data, padded).</summary>
    /// <param name="f">Evaluates the model's first response at many points (x0, x1 pairs, observation-major).</param>
    /// <param name="region">The data's region.</param>
    /// <param name="gridSize">Samples per axis.</param>
    public static Traced Trace(Func<double[], double[]> f, (double XLo, double XHi, double YLo, double YHi) region, int gridSize)
    {
        var r = region;
        double limit = MaxGrowth * Math.Max(region.XHi - region.XLo, region.YHi - region.YLo);
        for (int growth = 0; growth <= MaxGrowths; growth++)
        {
            var (segments, edges, anyFinite) = Sample(f, r, gridSize);

            // A model with no finite value here is not traced further (each failed point may cost an
            // exception); nothing is drawn.
            if (!anyFinite) return new Traced(segments, false, region);
            if (segments.Count > 0 && edges == Edges.None)
            {
                // Closed inside r; when r had to grow, sample again on just the curve and the data, for
                // resolution.
                var b = Extent(segments);
                if (growth == 0) return new Traced(segments, true, b);
                var whole = Pad(Union(b, region), 0.05);
                var (fine, fineEdges, _) = Sample(f, whole, gridSize);
                if (fine.Count > 0 && fineEdges == Edges.None) return new Traced(fine, true, Extent(fine));
                return new Traced(segments, true, b);
            }
            double step = Math.Max(r.XHi - r.XLo, r.YHi - r.YLo);
            if (Math.Max(r.XHi - r.XLo, r.YHi - r.YLo) + 2 * step > limit) break;

            // Grow towards where the curve leaves the region (everywhere when it was not found).
            if (segments.Count == 0) edges = Edges.All;
            r = (
                r.XLo - ((edges & Edges.Left) != 0 ? step : 0),
                r.XHi + ((edges & Edges.Right) != 0 ? step : 0),
                r.YLo - ((edges & Edges.Bottom) != 0 ? step : 0),
                r.YHi + ((edges & Edges.Top) != 0 ? step : 0));
        }

        // Open (or too large to close): draw it across the data region and half as far again on each
        // side, so that the panel's edges, not the grid's, end it even when equal axis scales widen
        // one axis.
        var open = Pad(region, 0.5);
        return new Traced(Sample(f, open, gridSize).Segments, false, region);
    }

    [Flags]
    private enum Edges
    {
        None = 0,
        Left = 1,
        Right = 2,
        Bottom = 4,
        Top = 8,
        All = Left | Right | Bottom | Top,
    }

    /// <summary>The zero contour on a grid over <paramref name="r"/>, the edges of the grid it crosses
    /// (where f changes sign between neighbouring border samples), and whether f was finite anywhere.</summary>
    private static (List<(double X1, double Y1, double X2, double Y2)> Segments, Edges Edges, bool AnyFinite) Sample(Func<double[], double[]> f, (double XLo, double XHi, double YLo, double YHi) r, int gridSize)
    {
        var gx = new double[gridSize];
        var gy = new double[gridSize];
        for (int i = 0; i < gridSize; i++)
        {
            gx[i] = r.XLo + (r.XHi - r.XLo) * i / (gridSize - 1);
            gy[i] = r.YLo + (r.YHi - r.YLo) * i / (gridSize - 1);
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
        double[] v = f(points);
        var values = new double[gridSize, gridSize];
        for (int a = 0; a < gridSize; a++)
        {
            for (int b = 0; b < gridSize; b++) values[a, b] = v[a * gridSize + b];
        }
        var edges = Edges.None;
        for (int k = 0; k + 1 < gridSize; k++)
        {
            if (SignChange(values[0, k], values[0, k + 1])) edges |= Edges.Left;
            if (SignChange(values[gridSize - 1, k], values[gridSize - 1, k + 1])) edges |= Edges.Right;
            if (SignChange(values[k, 0], values[k + 1, 0])) edges |= Edges.Bottom;
            if (SignChange(values[k, gridSize - 1], values[k + 1, gridSize - 1])) edges |= Edges.Top;
        }
        return (MarchingSquares.ZeroContour(gx, gy, values), edges, v.Any(double.IsFinite));
    }

    private static bool SignChange(double a, double b) => double.IsFinite(a) && double.IsFinite(b) && (a > 0) != (b > 0);

    private static (double XLo, double XHi, double YLo, double YHi) Extent(List<(double X1, double Y1, double X2, double Y2)> segments)
    {
        double xlo = double.PositiveInfinity, xhi = double.NegativeInfinity, ylo = double.PositiveInfinity, yhi = double.NegativeInfinity;
        foreach (var s in segments)
        {
            xlo = Math.Min(xlo, Math.Min(s.X1, s.X2));
            xhi = Math.Max(xhi, Math.Max(s.X1, s.X2));
            ylo = Math.Min(ylo, Math.Min(s.Y1, s.Y2));
            yhi = Math.Max(yhi, Math.Max(s.Y1, s.Y2));
        }
        return (xlo, xhi, ylo, yhi);
    }

    private static (double, double, double, double) Union((double XLo, double XHi, double YLo, double YHi) a, (double XLo, double XHi, double YLo, double YHi) b) =>
        (Math.Min(a.XLo, b.XLo), Math.Max(a.XHi, b.XHi), Math.Min(a.YLo, b.YLo), Math.Max(a.YHi, b.YHi));

    private static (double, double, double, double) Pad((double XLo, double XHi, double YLo, double YHi) r, double fraction)
    {
        double dx = (r.XHi - r.XLo) * fraction, dy = (r.YHi - r.YLo) * fraction;
        return (r.XLo - dx, r.XHi + dx, r.YLo - dy, r.YHi + dy);
    }
}

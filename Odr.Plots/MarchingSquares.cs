namespace Odr.Plots;

/// <summary>The zero contour of a function sampled on a rectangular grid, as line segments.</summary>
internal static class MarchingSquares
{
    /// <summary>Segments of the level set values = 0; values[i, j] is the sample at (xs[i], ys[j]).</summary>
    public static List<(double X1, double Y1, double X2, double Y2)> ZeroContour(double[] xs, double[] ys, double[,] values)
    {
        var result = new List<(double, double, double, double)>();
        var points = new List<(double X, double Y)>(4);
        for (int i = 0; i + 1 < xs.Length; i++)
        {
            for (int j = 0; j + 1 < ys.Length; j++)
            {
                double v00 = values[i, j], v10 = values[i + 1, j], v11 = values[i + 1, j + 1], v01 = values[i, j + 1];
                if (!(double.IsFinite(v00) && double.IsFinite(v10) && double.IsFinite(v11) && double.IsFinite(v01))) continue;
                points.Clear();
                Edge(xs[i], ys[j], v00, xs[i + 1], ys[j], v10, points);
                Edge(xs[i + 1], ys[j], v10, xs[i + 1], ys[j + 1], v11, points);
                Edge(xs[i + 1], ys[j + 1], v11, xs[i], ys[j + 1], v01, points);
                Edge(xs[i], ys[j + 1], v01, xs[i], ys[j], v00, points);
                if (points.Count == 2)
                {
                    result.Add((points[0].X, points[0].Y, points[1].X, points[1].Y));
                }
                else if (points.Count == 4)
                {
                    // Saddle: decide by the value at the centre.
                    double centre = (v00 + v10 + v11 + v01) / 4;
                    if ((centre > 0) == (v00 > 0))
                    {
                        result.Add((points[0].X, points[0].Y, points[3].X, points[3].Y));
                        result.Add((points[1].X, points[1].Y, points[2].X, points[2].Y));
                    }
                    else
                    {
                        result.Add((points[0].X, points[0].Y, points[1].X, points[1].Y));
                        result.Add((points[2].X, points[2].Y, points[3].X, points[3].Y));
                    }
                }
            }
        }
        return result;
    }

    private static void Edge(double xa, double ya, double va, double xb, double yb, double vb, List<(double X, double Y)> points)
    {
        bool a = va > 0, b = vb > 0;
        if (a == b) return;
        double t = va / (va - vb);
        points.Add((xa + t * (xb - xa), ya + t * (yb - ya)));
    }
}

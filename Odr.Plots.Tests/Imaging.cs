using System.Globalization;
using System.Text.RegularExpressions;
using ScottPlot;
using SkiaSharp;

namespace Odr.Plots.Tests;

/// <summary>Helpers to inspect rendered images.</summary>
internal static partial class Imaging
{
    public static SKBitmap Decode(byte[] png) => SKBitmap.Decode(png) ?? throw new InvalidOperationException("not a decodable image");

    public static bool Near(SKColor c, Color target, int tolerance) =>
        Math.Abs(c.Red - target.R) <= tolerance && Math.Abs(c.Green - target.G) <= tolerance && Math.Abs(c.Blue - target.B) <= tolerance;

    /// <summary>True when a pixel within <paramref name="radius"/> of <paramref name="p"/> has the colour.</summary>
    public static bool ColourNear(SKBitmap bmp, Pixel p, Color target, int radius = 2, int tolerance = 40)
    {
        int cx = (int)Math.Round(p.X), cy = (int)Math.Round(p.Y);
        for (int dx = -radius; dx <= radius; dx++)
        {
            for (int dy = -radius; dy <= radius; dy++)
            {
                int x = cx + dx, y = cy + dy;
                if (x < 0 || y < 0 || x >= bmp.Width || y >= bmp.Height) continue;
                if (Near(bmp.GetPixel(x, y), target, tolerance)) return true;
            }
        }
        return false;
    }

    /// <summary>The path data of every SVG path stroked with <paramref name="hex"/>.</summary>
    public static List<string> PathsWithStroke(string svg, string hex) =>
        PathRegex().Matches(svg).Where(m => m.Groups["stroke"].Value.Equals(hex, StringComparison.OrdinalIgnoreCase)).Select(m => m.Groups["d"].Value).ToList();

    /// <summary>All numbers of a path's data, in order.</summary>
    public static double[] Numbers(string d) =>
        NumberRegex().Matches(d).Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture)).ToArray();

    public static string Hex(Color c) => "#" + c.R.ToString("X2", CultureInfo.InvariantCulture) + c.G.ToString("X2", CultureInfo.InvariantCulture) + c.B.ToString("X2", CultureInfo.InvariantCulture);

    [GeneratedRegex("<path[^>]*?stroke=\"(?<stroke>[^\"]+)\"[^>]*?d=\"(?<d>[^\"]*)\"")]
    private static partial Regex PathRegex();

    [GeneratedRegex(@"-?\d+(\.\d+)?([eE][-+]?\d+)?")]
    private static partial Regex NumberRegex();
}

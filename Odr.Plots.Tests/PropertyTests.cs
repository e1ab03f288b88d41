using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Odr.Plots.Tests;

public class PropertyTests
{
    public sealed record Case(int N, int ModelKind, double Scale, double Offset, double Slope, double Noise, double Sx, double Sy, int Seed);

    private static Arbitrary<Case> Cases()
    {
        var gen =
            from n in Gen.Choose(2, 25)
            from kind in Gen.Choose(0, 2)
            from scaleExp in Gen.Choose(-3, 3)
            from offset in Gen.Choose(-1000, 1000)
            from slope in Gen.Choose(-100, 100)
            from noise in Gen.Choose(0, 100)
            from sx in Gen.Choose(1, 1000)
            from sy in Gen.Choose(1, 1000)
            from seed in Gen.Choose(0, 10000)
            select new Case(n, kind, Math.Pow(10, scaleExp), offset / 10.0, slope / 10.0, noise / 100.0, sx / 1000.0, sy / 1000.0, seed);
        return gen.ToArbitrary();
    }

    [Property(MaxTest = 40)]
    public Property AnyValidFitRenders() =>
        Prop.ForAll(Cases(), c =>
        {
            var rng = new Random(c.Seed);
            var x = new double[c.N];
            var y = new double[c.N];
            Func<double[], double, double> f = c.ModelKind switch
            {
                0 => (b, t) => b[0] * t + b[1],
                1 => (b, t) => b[0] * t * t + b[1] * t + b[2],
                _ => (b, t) => b[0] * Math.Exp(b[1] * t),
            };
            double[] beta0 = c.ModelKind switch
            {
                0 => new[] { c.Slope, c.Offset },
                1 => new[] { c.Slope, c.Offset, 1.0 },
                _ => new[] { 1.0 + Math.Abs(c.Offset), c.Slope / 10 / c.Scale },
            };
            for (int i = 0; i < c.N; i++)
            {
                x[i] = c.Scale * (i + rng.NextDouble());
                y[i] = f(beta0, x[i]) + c.Noise * Fits.Normal(rng);
            }
            var data = new RealData(x, y, sx: c.Sx * c.Scale, sy: c.Sy);
            var model = new Model(f);
            Output fit;
            try
            {
                var odr = new ODR(data, model, beta0.Select(b => b + 0.1).ToArray());
                odr.MaxIt = 30;
                fit = odr.Run();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException)
            {
                return true; // the fit itself was refused; nothing to plot
            }
            var plot = FitPlot.Create(data, model, fit).WithPredictionBand().WithResidualPanel();
            using var bmp = Imaging.Decode(plot.ToPngBytes(240, 200));
            string svg = plot.WithResidualPanel(false).WithLegend(false).ToSvgString(240, 180);
            int bars = Imaging.PathsWithStroke(svg, Imaging.Hex(FitPlotStyle.Default.ErrorBars)).Count;
            return bmp.Width == 240 && bmp.Height == 200 && bars <= c.N && svg.Contains("</svg>", StringComparison.Ordinal);
        });
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Odr.Cli.Tests;

public class PropertyTests
{
    /// <summary>Exact straight-line data with any intercept and slope is fitted back exactly through the command line,
    /// whatever the column order and however the numbers are written.</summary>
    [Property(MaxTest = 40)]
    public Property ExactLinesAreRecovered()
    {
        var gen = from a in Gen.Choose(-5000, 5000)
                  from b in Gen.Choose(-3000, 3000)
                  from swap in Gen.Elements(true, false)
                  select (a / 100.0, b / 100.0, swap);
        return Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var (a, b, swap) = t;
            using var dir = new TempDir();
            var sb = new StringBuilder(swap ? "resp,pred\n" : "pred,resp\n");
            for (int i = 0; i < 7; i++)
            {
                double x = i * 1.5 - 2;
                string xs = x.ToString("E6", CultureInfo.InvariantCulture), ys = (a + b * x).ToString("R", CultureInfo.InvariantCulture);
                sb.Append(swap ? $"{ys},{xs}\n" : $"{xs},{ys}\n");
            }
            string data = dir.File("line.csv", sb.ToString());
            var r = CliRunner.Run("fit", data, "--x", "pred", "--y", "resp", "--model", "B0 + B1*pred", $"--beta0={a + 1},{b - 1}", "--json", "-");
            if (r.Code != 0) return false.Label(r.ToString());
            using var doc = JsonDocument.Parse(r.Stdout);
            double fa = doc.RootElement.GetProperty("beta")[0].GetDouble(), fb = doc.RootElement.GetProperty("beta")[1].GetDouble();
            return (Math.Abs(fa - a) < 1e-7 * (1 + Math.Abs(a)) && Math.Abs(fb - b) < 1e-7 * (1 + Math.Abs(b))).Label($"a={a} b={b} got {fa} {fb}");
        });
    }
}

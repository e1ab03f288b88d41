using System.Globalization;
using System.Text;

namespace Odr.Cli.Tests;

public class PlotTests
{
    [Fact]
    public void DemoWritesAPng()
    {
        using var dir = new TempDir();
        string png = dir.Combine("fit.png");
        var r = CliRunner.Run("demo", "--plot", png);
        Assert.True(r.Code == 0, r.ToString());
        byte[] bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 1000);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        Assert.Contains("Plot written to", r.Stdout);
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void FitWritesAnSvg()
    {
        using var dir = new TempDir();
        string svg = dir.Combine("fit.svg");
        string data = Path.Combine(CliRunner.DataDir, "misra1a.csv");
        var r = CliRunner.Run("fit", data, "--x", "pressure", "--y", "volume", "--model", "B0*(1-exp(-B1*pressure))",
            "--beta0", "500,1e-4", "--fit", "ols", "--plot", svg, "--report", "none");
        Assert.True(r.Code == 0, r.ToString());
        string text = File.ReadAllText(svg);
        Assert.Contains("<svg", text);
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void ImplicitCirclePlot()
    {
        using var dir = new TempDir();
        var sb = new StringBuilder("u,v\n");
        for (int i = 0; i < 16; i++)
        {
            double t = 2 * Math.PI * i / 16;
            sb.Append(CultureInfo.InvariantCulture, $"{1 + 2 * Math.Cos(t) + 0.01 * Math.Sin(5 * i):R},{-2 + 2 * Math.Sin(t):R}\n");
        }
        string data = dir.File("circle.csv", sb.ToString());
        string png = dir.Combine("circle.png");
        var r = CliRunner.Run("fit", data, "--fit", "implicit", "--model", "(u-B0)^2 + (v-B1)^2 - B2^2", "--beta0=0.5,-1.5,1.5", "--plot", png);
        Assert.True(r.Code == 0, r.ToString());
        Assert.True(new FileInfo(png).Length > 1000);
    }

    [Fact]
    public void ImplicitPlotNeedsTwoInputs()
    {
        using var dir = new TempDir();
        string data = dir.File("three.csv", "a,b,c\n1,2,3\n2,3,4\n3,4,5.1\n4,5,6\n");
        var r = CliRunner.Run("fit", data, "--fit", "implicit", "--model", "a + b - c + B0", "--beta0", "1", "--plot", dir.Combine("p.png"));
        Assert.True(r.Code == 2, r.ToString());
        Assert.Contains("two inputs", r.Stderr);
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void PlotIntoMissingFolderFailsBeforeFitting()
    {
        using var dir = new TempDir();
        string data = Path.Combine(CliRunner.ExampleDir, "pearson_york.csv");
        var r = CliRunner.Run("fit", data, "--model", "linear", "--beta0", "5,-0.5", "--plot", Path.Combine(dir.Path, "missing", "fit.png"));
        Assert.True(r.Code == 2, r.ToString());
        Assert.Contains("does not exist", r.Stderr);
        Assert.Equal("", r.Stdout);
    }
}

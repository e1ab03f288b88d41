namespace Odr.Plots.Tests;

/// <summary>
/// The pictures in the README (docs/images). The test draws them to a temporary folder; to regenerate
/// the shipped files run it with ODR_PLOTS_IMAGES set to the docs/images folder.
/// </summary>
public class ReadmePictures
{
    [Fact]
    public void ReadmePicturesRender()
    {
        string? target = Environment.GetEnvironmentVariable("ODR_PLOTS_IMAGES");
        string dir = target ?? Directory.CreateTempSubdirectory("odrplots").FullName;
        try
        {
            foreach (var (name, plot, width, height) in Pictures())
            {
                string path = Path.Combine(dir, name);
                plot.Save(path, width, height);
                using var bmp = Imaging.Decode(File.ReadAllBytes(path));
                Assert.Equal((width, height), (bmp.Width, bmp.Height));
            }
        }
        finally
        {
            if (target is null) Directory.Delete(dir, true);
        }
    }

    internal static IEnumerable<(string Name, FitPlot Plot, int Width, int Height)> Pictures()
    {
        var (d, m, o) = Fits.Decay();
        yield return ("fit-decay.png", FitPlot.Create(d, m, o).WithPredictionBand().WithResidualPanel().Title("Exponential decay, errors in x and y"), 800, 800);

        var (od, om, odr, ols) = Fits.OdrAndOls();
        yield return ("fit-odr-vs-ols.png", FitPlot.Overlay(od, new FitLayer(om, odr, "ODR"), new FitLayer(om, ols, "OLS")).Title("Errors in x: ODR against OLS"), 800, 600);

        var (ed, em, eo) = Fits.Ellipse();
        yield return ("fit-implicit-ellipse.png", FitPlot.Create(ed, em, eo).Title("Implicit fit: ellipse"), 700, 600);

        var (td, tm, to) = Fits.TwoResponses();
        yield return ("fit-two-responses.png", FitPlot.Create(td, tm, to).Title("Two responses, shared parameters"), 800, 800);
    }
}

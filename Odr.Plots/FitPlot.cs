using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ScottPlot;
using SkiaSharp;

namespace Odr.Plots;

/// <summary>
/// A plot of an orthogonal distance regression fit: the observations with their error bars, the fitted
/// curve with a confidence (and optionally prediction) band, the residual segment from each observation
/// to its fitted point (x + delta, y + eps): orthogonal for ODR, vertical for ordinary least squares
/// (delta = 0), an optional residual panel, and the parameters. One panel per response; implicit
/// two-input fits show the whole curve f(beta, x) = 0, with equal axis scales.
/// </summary>
/// <remarks>
/// Instances are immutable descriptions: every <c>With…</c> method returns a new plot. The ScottPlot
/// figure is built on first use of <see cref="Plot"/>, <see cref="Panels"/> or a render method; changes
/// made to those <see cref="ScottPlot.Plot"/> objects show in this instance's images.
/// <code>
/// var fit = new ODR(data, model, new[] { 1.0, 0.0 }).Run();
/// FitPlot.Create(data, model, fit).WithResidualPanel().Title("Decay").Save("fit.png");
/// </code>
/// </remarks>
public sealed partial class FitPlot
{
    private Figure? figure;

    private FitPlot(Data data, IReadOnlyList<FitLayer> fits, FitPlotOptions options)
    {
        Data = data;
        Fits = fits;
        Options = options;
    }

    /// <summary>The observations.</summary>
    public Data Data { get; }

    /// <summary>The fits drawn (one, or several in an overlay; the first is the main fit).</summary>
    public IReadOnlyList<FitLayer> Fits { get; }

    /// <summary>What is drawn and how.</summary>
    public FitPlotOptions Options { get; }

    /// <summary>The main panel (of the first response), for further styling with ScottPlot.</summary>
    public Plot Plot => Build().Panels[0].Plot;

    /// <summary>All panels from top to bottom: for each response its main panel and, when enabled, its
    /// residual panel.</summary>
    public IReadOnlyList<Plot> Panels => Build().Panels.Select(p => p.Plot).ToArray();

    /// <summary>The main panel of response <paramref name="response"/>.</summary>
    /// <param name="response">Response index (0 for implicit fits).</param>
    public Plot MainPanel(int response = 0) => Build().Panels.First(p => p.Response == response && !p.IsResidual).Plot;

    /// <summary>The residual panel of response <paramref name="response"/>, or null when not shown.</summary>
    /// <param name="response">Response index.</param>
    public Plot? ResidualPanel(int response = 0) => Build().Panels.FirstOrDefault(p => p.Response == response && p.IsResidual)?.Plot;

    /// <summary>Default image width in pixels.</summary>
    public int DefaultWidth => Options.Width;

    /// <summary>Default image height in pixels: <see cref="FitPlotOptions.Height"/> per response, a third more
    /// with residual panels.</summary>
    public int DefaultHeight
    {
        get
        {
            int rows = Fits[0].Model.IsImplicit ? 1 : Math.Max(Data.Q, 1);
            double per = Options.ShowResidualPanel ? Options.Height * 4.0 / 3 : Options.Height;
            return (int)Math.Round(per * (rows == 1 ? 1 : 0.7 * rows));
        }
    }

    /// <summary>A plot of one fit with sensible defaults (residual segments, 95 % confidence band,
    /// parameters, legend).</summary>
    /// <param name="data">The observations that were fitted.</param>
    /// <param name="model">The model.</param>
    /// <param name="output">The fit's result.</param>
    /// <param name="label">Name of the fit in the legend.</param>
    public static FitPlot Create(Data data, Model model, Output output, string label = "fit") =>
        Overlay(data, new FitLayer(model, output, label));

    /// <summary>Several fits of the same data in one plot (for example ODR against OLS): the observations
    /// once, each fit's curve, band and residuals in its own colour; the parameters of each.</summary>
    /// <param name="data">The observations.</param>
    /// <param name="fits">The fits, the first drawn as the main one.</param>
    public static FitPlot Overlay(Data data, params FitLayer[] fits)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(fits);
        if (fits.Length == 0) throw new ArgumentException("Give at least one fit.", nameof(fits));
        foreach (var f in fits)
        {
            ArgumentNullException.ThrowIfNull(f, nameof(fits));
            ArgumentNullException.ThrowIfNull(f.Model, nameof(fits));
            ArgumentNullException.ThrowIfNull(f.Output, nameof(fits));
            if (f.Output.Delta.GetLength(1) != data.N) throw new ArgumentException($"Fit '{f.Label}' has {f.Output.Delta.GetLength(1)} observations but the data has {data.N}.", nameof(fits));
            if (f.Output.Delta.GetLength(0) != data.M) throw new ArgumentException($"Fit '{f.Label}' has {f.Output.Delta.GetLength(0)} inputs but the data has {data.M}.", nameof(fits));
            if (f.Model.IsImplicit != fits[0].Model.IsImplicit) throw new ArgumentException("All fits in an overlay must be implicit or all explicit.", nameof(fits));
        }
        if (fits[0].Model.IsImplicit && data.M != 2)
        {
            throw new NotSupportedException($"Implicit fits are drawn as the zero contour of f(beta, x) over two inputs; this one has {data.M}.");
        }
        return new FitPlot(data, fits.ToArray(), new FitPlotOptions());
    }

    /// <summary>A copy with other options.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentException">An option does not fit the data: <see cref="FitPlotOptions.Input"/>
    /// outside the inputs, a negative or non-finite <see cref="FitPlotOptions.CurveExtension"/>, or a
    /// list of names of the wrong length, fewer than 2 curve points.</exception>
    public FitPlot WithOptions(FitPlotOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(Data, Fits[0].Model.IsImplicit);
        return new FitPlot(Data, Fits, options);
    }

    /// <summary>A copy with the options changed by <paramref name="change"/>, e.g.
    /// <c>p.With(o =&gt; o with { CurvePoints = 1000 })</c>.</summary>
    /// <param name="change">Maps the current options to new ones.</param>
    public FitPlot With(Func<FitPlotOptions, FitPlotOptions> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return WithOptions(change(Options));
    }

    /// <summary>Show (or hide) the residual segments and fitted points.</summary>
    /// <param name="show">True to show them.</param>
    public FitPlot WithResiduals(bool show = true) => With(o => o with { ShowResiduals = show, ShowFittedPoints = show });

    /// <summary>Show a confidence band for the curve at <paramref name="level"/>.</summary>
    /// <param name="level">Confidence level between 0 and 1.</param>
    public FitPlot WithConfidenceBand(double level = 0.95) => With(o => o with { ConfidenceLevel = CheckLevel(level) });

    /// <summary>Hide the confidence band.</summary>
    public FitPlot WithoutConfidenceBand() => With(o => o with { ConfidenceLevel = null });

    /// <summary>Show a prediction band (where a new observation would fall) at <paramref name="level"/>.</summary>
    /// <param name="level">Confidence level between 0 and 1.</param>
    public FitPlot WithPredictionBand(double level = 0.95) => With(o => o with { PredictionLevel = CheckLevel(level) });

    /// <summary>Add a panel of weighted residuals (ε·√w_ε, and δ·√w_δ where the fit estimated δ) below
    /// each main panel.</summary>
    /// <param name="show">True to show it.</param>
    public FitPlot WithResidualPanel(bool show = true) => With(o => o with { ShowResidualPanel = show });

    /// <summary>Show (or hide) the parameter box, optionally with parameter names.</summary>
    /// <param name="show">True to show it.</param>
    /// <param name="names">Names of the parameters, or null for β0, β1, ….</param>
    public FitPlot WithParameters(bool show = true, IReadOnlyList<string>? names = null) =>
        With(o => o with { ShowParameters = show, ParameterNames = names ?? o.ParameterNames });

    /// <summary>Shows confidence intervals of the parameters (for example profile or bootstrap ones
    /// from <c>FitInference</c>) in the parameter box, labelled with <paramref name="label"/>.</summary>
    /// <param name="intervals">One (lower, upper) per parameter of the first fit.</param>
    /// <param name="label">What they are, e.g. "95 % profile".</param>
    public FitPlot WithParameterIntervals(IReadOnlyList<(double Lower, double Upper)> intervals, string label)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        if (intervals.Count != Fits[0].Output.Beta.Length)
        {
            throw new ArgumentException($"{intervals.Count} intervals given for {Fits[0].Output.Beta.Length} parameters.", nameof(intervals));
        }
        return With(o => o with { ParameterIntervals = intervals, ParameterIntervalLabel = label });
    }

    /// <summary>Show (or hide) the legend.</summary>
    /// <param name="show">True to show it.</param>
    public FitPlot WithLegend(bool show = true) => With(o => o with { ShowLegend = show });

    /// <summary>Plot the responses against input <paramref name="input"/> (other inputs at their means).</summary>
    /// <param name="input">Input index.</param>
    public FitPlot AgainstInput(int input)
    {
        if (input < 0 || input >= Data.M) throw new ArgumentOutOfRangeException(nameof(input), input, $"The data has {Data.M} input(s).");
        return With(o => o with { Layout = FitPlotLayout.AgainstInput, Input = input });
    }

    /// <summary>Plot observed responses against fitted values.</summary>
    public FitPlot ObservedVersusFitted() => With(o => o with { Layout = FitPlotLayout.ObservedVersusFitted });

    /// <summary>Set the title.</summary>
    /// <param name="title">The title.</param>
    public FitPlot Title(string title) => With(o => o with { Title = title });

    /// <summary>Set the label of the horizontal axis.</summary>
    /// <param name="label">The label.</param>
    public FitPlot XLabel(string label) => With(o => o with { XLabel = label });

    /// <summary>Set the label of the vertical axis.</summary>
    /// <param name="label">The label.</param>
    public FitPlot YLabel(string label) => With(o => o with { YLabel = label });

    /// <summary>Name the inputs and responses (for example with the data file's column names); the axes
    /// are labelled with them unless <see cref="XLabel"/> or <see cref="YLabel"/> sets a label.</summary>
    /// <param name="inputs">One name per input, or null for x, x0, x1, ….</param>
    /// <param name="responses">One name per response, or null for y, y0, y1, … (ignored by implicit fits).</param>
    public FitPlot WithNames(IReadOnlyList<string>? inputs, IReadOnlyList<string>? responses = null) =>
        With(o => o with { InputNames = inputs, ResponseNames = responses });

    /// <summary>Draw both axes with the same pixels per unit (or not), overriding the default of
    /// <see cref="FitPlotOptions.EqualAxisScales"/>.</summary>
    /// <param name="equal">True for equal scales.</param>
    public FitPlot WithEqualAxisScales(bool equal = true) => With(o => o with { EqualAxisScales = equal });

    /// <summary>Set the font family of all text.</summary>
    /// <param name="family">An installed font family.</param>
    public FitPlot Font(string family) => With(o => o with { FontFamily = family });

    /// <summary>Set colours and sizes.</summary>
    /// <param name="style">The style.</param>
    public FitPlot WithStyle(FitPlotStyle style)
    {
        ArgumentNullException.ThrowIfNull(style);
        return With(o => o with { Style = style });
    }

    /// <summary>Set the default image size.</summary>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels (of a one-response figure without residual panel).</param>
    public FitPlot Size(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        return With(o => o with { Width = width, Height = height });
    }

    /// <summary>The curve of fit <paramref name="fit"/> for response <paramref name="response"/> on the plot's
    /// grid with the bands the options ask for (explicit fits plotted against an input).</summary>
    /// <param name="response">Response index.</param>
    /// <param name="fit">Index into <see cref="Fits"/>.</param>
    public CurveBand Curve(int response = 0, int fit = 0)
    {
        if (Fits[0].Model.IsImplicit) throw new InvalidOperationException("Implicit fits have a contour, not a curve y = f(x).");
        if (response < 0 || response >= Math.Max(Data.Q, 1)) throw new ArgumentOutOfRangeException(nameof(response));
        if (fit < 0 || fit >= Fits.Count) throw new ArgumentOutOfRangeException(nameof(fit));
        int input = EffectiveLayout == FitPlotLayout.AgainstInput ? Options.Input : 0;
        return ComputeCurve(Fits[fit], response, input);
    }

    /// <summary>The layout actually used (resolving <see cref="FitPlotLayout.Automatic"/>).</summary>
    public FitPlotLayout EffectiveLayout => Options.Layout switch
    {
        FitPlotLayout.Automatic when Fits[0].Model.IsImplicit => FitPlotLayout.Automatic,
        FitPlotLayout.Automatic => Data.M == 1 ? FitPlotLayout.AgainstInput : FitPlotLayout.ObservedVersusFitted,
        FitPlotLayout.ObservedVersusFitted when Fits[0].Model.IsImplicit => FitPlotLayout.Automatic,
        var other => other,
    };

    /// <summary>Renders a PNG image.</summary>
    /// <param name="width">Width in pixels (default <see cref="DefaultWidth"/>).</param>
    /// <param name="height">Height in pixels (default <see cref="DefaultHeight"/>).</param>
    public byte[] ToPngBytes(int? width = null, int? height = null)
    {
        (int w, int h) = CheckSize(width, height);
        var info = new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info) ?? throw new InvalidOperationException($"Could not create a {w}×{h} drawing surface.");
        Render(surface.Canvas, w, h);
        using var image = surface.Snapshot();
        using var encoded = image.Encode(SKEncodedImageFormat.Png, 100);
        return encoded.ToArray();
    }

    /// <summary>Renders an SVG document.</summary>
    /// <param name="width">Width in pixels (default <see cref="DefaultWidth"/>).</param>
    /// <param name="height">Height in pixels (default <see cref="DefaultHeight"/>).</param>
    public string ToSvgString(int? width = null, int? height = null)
    {
        (int w, int h) = CheckSize(width, height);
        // ScottPlot lays a plot out in an extra pass the first time it renders at a size; do that pass on
        // a canvas that keeps nothing so the SVG holds each element once.
        using (var layout = new SKNoDrawCanvas(w, h)) Render(layout, w, h);
        using var stream = new MemoryStream();
        using (var managed = new SKManagedWStream(stream))
        {
            using var canvas = SKSvgCanvas.Create(new SKRect(0, 0, w, h), managed);
            Render(canvas, w, h);
        }
        return RenumberClipPaths(Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>Saves a PNG image.</summary>
    /// <param name="path">The file.</param>
    /// <param name="width">Width in pixels (default <see cref="DefaultWidth"/>).</param>
    /// <param name="height">Height in pixels (default <see cref="DefaultHeight"/>).</param>
    public void SavePng(string path, int? width = null, int? height = null) => File.WriteAllBytes(path, ToPngBytes(width, height));

    /// <summary>Saves an SVG document.</summary>
    /// <param name="path">The file.</param>
    /// <param name="width">Width in pixels (default <see cref="DefaultWidth"/>).</param>
    /// <param name="height">Height in pixels (default <see cref="DefaultHeight"/>).</param>
    public void SaveSvg(string path, int? width = null, int? height = null) => File.WriteAllText(path, ToSvgString(width, height), new UTF8Encoding(false));

    /// <summary>Saves PNG or SVG, chosen by the extension of <paramref name="path"/> (.png or .svg).</summary>
    /// <param name="path">The file.</param>
    /// <param name="width">Width in pixels (default <see cref="DefaultWidth"/>).</param>
    /// <param name="height">Height in pixels (default <see cref="DefaultHeight"/>).</param>
    public void Save(string path, int? width = null, int? height = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string ext = Path.GetExtension(path).ToLowerInvariant();
        switch (ext)
        {
            case ".png":
                SavePng(path, width, height);
                break;
            case ".svg":
                SaveSvg(path, width, height);
                break;
            default:
                throw new ArgumentException($"Cannot tell the image format of '{path}': use a .png or .svg extension.", nameof(path));
        }
    }

    /// <summary>Draws the figure onto a Skia canvas of the given size (panels stacked, residual panels a
    /// third the height of main panels).</summary>
    /// <param name="canvas">The canvas.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    public void Render(SKCanvas canvas, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        var panels = Build().Panels;
        double total = panels.Sum(p => p.IsResidual ? 1.0 : 3.0);
        double top = 0;
        foreach (var panel in panels)
        {
            double h = height * (panel.IsResidual ? 1.0 : 3.0) / total;
            var rect = new PixelRect(0, width, (float)Math.Round(top + h), (float)Math.Round(top));
            canvas.Save();
            canvas.ClipRect(new SKRect(rect.Left, rect.Top, rect.Right, rect.Bottom));
            panel.Plot.Render(canvas, rect);
            canvas.Restore();
            top += h;
        }
    }

    /// <summary>Skia numbers clip paths with a process-wide counter; number them from 0 in each document
    /// so that the same figure gives the same SVG.</summary>
    private static string RenumberClipPaths(string svg)
    {
        var map = new Dictionary<string, string>();
        return ClipId().Replace(svg, m =>
        {
            if (!map.TryGetValue(m.Value, out string? id))
            {
                id = "cl_" + map.Count.ToString(CultureInfo.InvariantCulture);
                map[m.Value] = id;
            }
            return id;
        });
    }

    [GeneratedRegex(@"\bcl_[0-9A-Fa-f]+\b")]
    private static partial Regex ClipId();

    private (int Width, int Height) CheckSize(int? width, int? height)
    {
        int w = width ?? DefaultWidth, h = height ?? DefaultHeight;
        ArgumentOutOfRangeException.ThrowIfLessThan(w, 1, nameof(width));
        ArgumentOutOfRangeException.ThrowIfLessThan(h, 1, nameof(height));
        return (w, h);
    }

    private static double CheckLevel(double level)
    {
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "The level must lie strictly between 0 and 1.");
        return level;
    }

    private Figure Build() => figure ??= FigureBuilder.Build(this);

    internal double[] Grid(int input)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        for (int i = 0; i < Data.N; i++)
        {
            lo = Math.Min(lo, Data.GetX(input, i));
            hi = Math.Max(hi, Data.GetX(input, i));
            foreach (var f in Fits)
            {
                double xp = f.Output.XPlus[input, i];
                if (double.IsFinite(xp))
                {
                    lo = Math.Min(lo, xp);
                    hi = Math.Max(hi, xp);
                }
            }
        }
        double span = hi - lo;
        if (!(span > 0)) span = Math.Max(Math.Abs(lo) * 0.1, 1);
        lo -= Options.CurveExtension * span;
        hi += Options.CurveExtension * span;
        int count = Math.Max(Options.CurvePoints, 2);
        var grid = new double[count];
        for (int i = 0; i < count; i++) grid[i] = lo + (hi - lo) * i / (count - 1);
        return grid;
    }

    internal double[] InputMeans()
    {
        var means = new double[Data.M];
        for (int j = 0; j < Data.M; j++)
        {
            double s = 0;
            for (int i = 0; i < Data.N; i++) s += Data.GetX(j, i);
            means[j] = s / Data.N;
        }
        return means;
    }

    internal CurveBand ComputeCurve(FitLayer fit, int response, int input) =>
        FitMath.Curve(Data, fit.Model, fit.Output, Grid(input), input, InputMeans(), response, Options.ConfidenceLevel, Options.PredictionLevel);

    internal sealed record Panel(Plot Plot, int Response, bool IsResidual);

    internal sealed record Figure(IReadOnlyList<Panel> Panels);
}

using ScottPlot;

namespace Odr.Plots;

/// <summary>What the horizontal axis of a fit's main panel shows.</summary>
public enum FitPlotLayout
{
    /// <summary>The input for one-input fits and the implicit curve for implicit two-input fits;
    /// observed versus fitted for several inputs.</summary>
    Automatic,

    /// <summary>The response against the input chosen by <see cref="FitPlotOptions.Input"/>; the curve
    /// holds the other inputs at their means.</summary>
    AgainstInput,

    /// <summary>Observed responses against fitted values, with the identity line.</summary>
    ObservedVersusFitted,
}

/// <summary>Colours and sizes of a fit plot.</summary>
/// <param name="Data">Colour of the observations.</param>
/// <param name="ErrorBars">Colour of the error bars.</param>
/// <param name="Curve">Colour of the fitted curve (of the first fit, in an overlay; later fits are drawn
/// dashed or dotted in <see cref="OverlayCurves"/>).</param>
/// <param name="Residuals">Colour of the residual segments (of the first fit, in an overlay; later fits'
/// segments take their curve's colour).</param>
/// <param name="FittedPoints">Colour of the fitted points x + delta.</param>
/// <param name="BandOpacity">Opacity of the confidence band; the prediction band is drawn at half of it.</param>
/// <param name="CurveWidth">Width of the curve in pixels.</param>
/// <param name="MarkerSize">Size of the observation markers in pixels.</param>
public sealed record FitPlotStyle(
    Color Data,
    Color ErrorBars,
    Color Curve,
    Color Residuals,
    Color FittedPoints,
    double BandOpacity = 0.25,
    float CurveWidth = 2,
    float MarkerSize = 6)
{
    /// <summary>The default palette: blue observations, red curve, grey residuals.</summary>
    public static FitPlotStyle Default { get; } = new(
        Color.FromHex("#1F77B4"),
        Color.FromHex("#6BAED6"),
        Color.FromHex("#D62728"),
        Color.FromHex("#7F7F7F"),
        Color.FromHex("#FF7F0E"));

    /// <summary>Curve colours of the second and later fits in an overlay.</summary>
    public IReadOnlyList<Color> OverlayCurves { get; init; } = new[]
    {
        Color.FromHex("#2CA02C"), Color.FromHex("#9467BD"), Color.FromHex("#8C564B"), Color.FromHex("#E377C2"), Color.FromHex("#17BECF"),
    };
}

/// <summary>
/// Everything a <see cref="FitPlot"/> draws, immutable; the fluent methods of <see cref="FitPlot"/>
/// make changed copies.
/// </summary>
public sealed record FitPlotOptions
{
    /// <summary>Draw a segment from each observation (x, y) to its fitted point (x + delta, y + eps).</summary>
    public bool ShowResiduals { get; init; } = true;

    /// <summary>Draw the fitted points (x + delta, y + eps).</summary>
    public bool ShowFittedPoints { get; init; } = true;

    /// <summary>Confidence level of the band around the curve, or null for no band.</summary>
    public double? ConfidenceLevel { get; init; } = 0.95;

    /// <summary>Confidence level of the prediction band, or null for none.</summary>
    public double? PredictionLevel { get; init; }

    /// <summary>Add a panel of weighted residuals (eps·√we and delta·√wd) below each main panel.</summary>
    public bool ShowResidualPanel { get; init; }

    /// <summary>Show the parameters as value ± standard error in a text box.</summary>
    public bool ShowParameters { get; init; } = true;

    /// <summary>Show the legend.</summary>
    public bool ShowLegend { get; init; } = true;

    /// <summary>Where the legend goes; null puts it in the corner with the fewest points.</summary>
    public Alignment? LegendAlignment { get; init; }

    /// <summary>Where the parameter box goes; null puts it in the emptiest corner the legend left.</summary>
    public Alignment? ParameterAlignment { get; init; }

    /// <summary>Names of the parameters in the text box (default β0, β1, …).</summary>
    public IReadOnlyList<string>? ParameterNames { get; init; }

    /// <summary>Confidence intervals of the parameters shown in the text box beside each estimate, e.g.
    /// profile or bootstrap intervals (FitInference), one per parameter (NaN bounds: none shown); null
    /// shows none. Applies to the first fit.</summary>
    public IReadOnlyList<(double Lower, double Upper)>? ParameterIntervals { get; init; }

    /// <summary>What <see cref="ParameterIntervals"/> are, shown once in the box (e.g. "95 % profile").</summary>
    public string? ParameterIntervalLabel { get; init; }

    /// <summary>What the horizontal axis shows.</summary>
    public FitPlotLayout Layout { get; init; } = FitPlotLayout.Automatic;

    /// <summary>The input plotted on the horizontal axis for <see cref="FitPlotLayout.AgainstInput"/>.</summary>
    public int Input { get; init; }

    /// <summary>At most this many residual segments and error bars are drawn (an even subsample beyond it;
    /// the legend says so).</summary>
    public int MaxSegments { get; init; } = 2000;

    /// <summary>Number of grid points of the curve.</summary>
    public int CurvePoints { get; init; } = 400;

    /// <summary>Grid size per axis of the implicit curve's contour.</summary>
    public int ContourGrid { get; init; } = 200;

    /// <summary>How far the curve extends beyond the data, as a fraction of the data's span.</summary>
    public double CurveExtension { get; init; } = 0.05;

    /// <summary>Figure title (null: none).</summary>
    public string? Title { get; init; }

    /// <summary>Label of the horizontal axis (null: the input's name from <see cref="InputNames"/>, else
    /// "x" or x0, x1, …).</summary>
    public string? XLabel { get; init; }

    /// <summary>Label of the vertical axis (null: the response's name from <see cref="ResponseNames"/>, else
    /// "y" or y0, y1, …; for implicit fits the second input's name).</summary>
    public string? YLabel { get; init; }

    /// <summary>Names of the inputs, one per input (for example the data file's column names), used to
    /// label the axes; null for x or x0, x1, ….</summary>
    public IReadOnlyList<string>? InputNames { get; init; }

    /// <summary>Names of the responses, one per response, used to label the axes; null for y or y0,
    /// y1, …. Implicit fits have no responses and ignore them.</summary>
    public IReadOnlyList<string>? ResponseNames { get; init; }

    /// <summary>Draw both axes with the same pixels per unit, so that a circle looks round; null draws
    /// implicit fits so when the spans of their two inputs are within ten times of each other (the
    /// inputs are then most likely coordinates in one unit) and explicit fits not.</summary>
    public bool? EqualAxisScales { get; init; }

    /// <summary>Font family of all text; null picks an installed sans-serif font (DejaVu Sans, Liberation
    /// Sans, Arial, …).</summary>
    public string? FontFamily { get; init; }

    /// <summary>Colours and sizes.</summary>
    public FitPlotStyle Style { get; init; } = FitPlotStyle.Default;

    /// <summary>Default width of saved images in pixels.</summary>
    public int Width { get; init; } = 800;

    /// <summary>Default height of saved images in pixels (grown by a third with a residual panel, and per
    /// extra response).</summary>
    public int Height { get; init; } = 600;

    /// <summary>Refuses options that cannot describe a plot of <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    internal void Validate(Data data, bool isImplicit)
    {
        if (Input < 0 || Input >= data.M)
        {
            throw new ArgumentOutOfRangeException(nameof(Input), Input, $"Input {Input} does not exist: the data has {data.M} input(s).");
        }
        if (!double.IsFinite(CurveExtension) || CurveExtension < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(CurveExtension), CurveExtension, "CurveExtension must be a finite fraction of the data's span, 0 or more.");
        }
        if (CurvePoints < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(CurvePoints), CurvePoints, "CurvePoints must be at least 2.");
        }
        if (InputNames is not null && InputNames.Count != data.M)
        {
            throw new ArgumentException($"{InputNames.Count} input name(s) given for {data.M} input(s).", nameof(InputNames));
        }
        int responses = Math.Max(data.Q, 1);
        if (!isImplicit && ResponseNames is not null && ResponseNames.Count != responses)
        {
            throw new ArgumentException($"{ResponseNames.Count} response name(s) given for {responses} response(s).", nameof(ResponseNames));
        }
    }
}

/// <summary>One fit drawn in a <see cref="FitPlot"/>.</summary>
/// <param name="Model">The model that was fitted.</param>
/// <param name="Output">The fit's result.</param>
/// <param name="Label">Name in the legend (e.g. "ODR" or "OLS").</param>
public sealed record FitLayer(Model Model, Output Output, string Label = "fit");

/// <summary>The fitted curve of one response on a grid of one input, with its bands.</summary>
/// <param name="X">Grid values of the plotted input.</param>
/// <param name="Fit">f(beta, x) on the grid.</param>
/// <param name="ConfidenceLower">Lower edge of the confidence band (NaN where unknown), or null.</param>
/// <param name="ConfidenceUpper">Upper edge of the confidence band, or null.</param>
/// <param name="PredictionLower">Lower edge of the prediction band, or null.</param>
/// <param name="PredictionUpper">Upper edge of the prediction band, or null.</param>
public sealed record CurveBand(
    double[] X,
    double[] Fit,
    double[]? ConfidenceLower,
    double[]? ConfidenceUpper,
    double[]? PredictionLower,
    double[]? PredictionUpper);

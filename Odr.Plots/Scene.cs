using ScottPlot;

namespace Odr.Plots;

/// <summary>
/// What one main panel shows, in plot coordinates, before anything is drawn. Each layout (against an
/// input, observed versus fitted, implicit) fills one in <see cref="Layouts"/>; <see cref="FigureBuilder"/>
/// draws any scene with the one method per element in <see cref="FitElements"/>.
/// </summary>
internal sealed class Scene
{
    /// <summary>Horizontal coordinate of each observation.</summary>
    public required double[] X { get; init; }

    /// <summary>Vertical coordinate of each observation.</summary>
    public required double[] Y { get; init; }

    /// <summary>Half-length of each observation's horizontal error bar (0: none).</summary>
    public required double[] XError { get; init; }

    /// <summary>Half-length of each observation's vertical error bar (0: none).</summary>
    public required double[] YError { get; init; }

    /// <summary>Legend text of the observations.</summary>
    public string ObservationLabel { get; init; } = "observations";

    /// <summary>The fits, the main one first.</summary>
    public required IReadOnlyList<FitScene> Fits { get; init; }

    /// <summary>A reference line from (X1, Y1) to (X2, Y2) such as observed = fitted, or null.</summary>
    public (double X1, double Y1, double X2, double Y2, string Label)? ReferenceLine { get; init; }

    /// <summary>The axis limits.</summary>
    public required AxisLimits Limits { get; init; }

    /// <summary>Draw both axes with the same pixels per unit (circles as circles).</summary>
    public bool EqualScales { get; init; }

    /// <summary>Label of the horizontal axis.</summary>
    public required string XLabel { get; init; }

    /// <summary>Label of the vertical axis.</summary>
    public required string YLabel { get; init; }
}

/// <summary>One fit of a <see cref="Scene"/>: its curve (explicit) or contour (implicit), band, residual
/// segments and fitted points, in plot coordinates.</summary>
internal sealed class FitScene
{
    /// <summary>The fit.</summary>
    public required FitLayer Fit { get; init; }

    /// <summary>True for the first (main) fit of an overlay or the only fit.</summary>
    public bool IsMain { get; init; }

    /// <summary>Colour of the curve (and of the band and residuals of later fits in an overlay).</summary>
    public required Color Color { get; init; }

    /// <summary>Line pattern of the curve: solid for the main fit, dashed and dotted for the others.</summary>
    public LinePattern Pattern { get; init; } = LinePattern.Solid;

    /// <summary>Where each observation's fitted point lies (the end of its residual segment), or null.</summary>
    public double[]? FittedX { get; init; }

    /// <summary>Vertical coordinate of each fitted point, or null.</summary>
    public double[]? FittedY { get; init; }

    /// <summary>Draw markers at the fitted points.</summary>
    public bool ShowFittedPoints { get; init; }

    /// <summary>Marker of the fitted points.</summary>
    public MarkerShape FittedShape { get; init; } = MarkerShape.OpenCircle;

    /// <summary>Legend text of the fitted points (empty: none).</summary>
    public string FittedLabel { get; init; } = string.Empty;

    /// <summary>Draw a segment from each observation to its fitted point.</summary>
    public bool ShowResiduals { get; init; }

    /// <summary>True when the fit moved no observation horizontally (delta = 0: ordinary least squares
    /// or fixed inputs), so that its residuals are vertical.</summary>
    public bool ResidualsAreVertical { get; init; }

    /// <summary>The explicit curve with its bands, or null.</summary>
    public CurveBand? Curve { get; init; }

    /// <summary>Curve values are clamped to this range so that a curve running off to infinity still
    /// draws as a line leaving the panel.</summary>
    public (double Low, double High) Clamp { get; init; } = (double.NegativeInfinity, double.PositiveInfinity);

    /// <summary>The implicit curve f(beta, x) = 0 as segments, or null.</summary>
    public IReadOnlyList<(double X1, double Y1, double X2, double Y2)>? Contour { get; init; }
}

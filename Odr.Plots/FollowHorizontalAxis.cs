using ScottPlot;

namespace Odr.Plots;

/// <summary>Keeps a residual panel's horizontal axis equal to its main panel's, which equal axis scales
/// widen only as the main panel renders (it renders first: panels go top to bottom).</summary>
/// <param name="main">The main panel.</param>
/// <param name="follower">The residual panel.</param>
internal sealed class FollowHorizontalAxis(Plot main, Plot follower) : IAxisRule
{
    /// <inheritdoc/>
    public void Apply(RenderPack rp, bool beforeLayout)
    {
        var source = main.Axes.Bottom;
        follower.Axes.Bottom.Range.Set(source.Min, source.Max);
    }
}

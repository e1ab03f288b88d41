using Odr.Core;

namespace Odr;

/// <summary>How ODR's settings become the solver's input: bounds, ifixb, sclb and the per-input
/// steps and scales in ODRPACK's shapes.</summary>
public sealed partial class ODR
{
    /// <summary>The bounds as the solver sees them: infinite where none are given and, with the
    /// active-set method, for fixed parameters (whose bounds then play no part: no noise-estimate or
    /// finite-difference room is needed for a parameter that does not move).</summary>
    private double[] EffectiveBound(double[]? bounds, double none)
    {
        var result = bounds is null ? BlockWeights.Filled(P, none) : (double[])bounds.Clone();
        if (BoundsMethod != BoundsMethod.ActiveSet || bounds is null) return result;
        var fixedFlags = EffectiveIfixb();
        for (int k = 0; k < P; k++)
        {
            if (fixedFlags != null && fixedFlags[k] == 0) result[k] = none;
        }
        return result;
    }

    /// <summary>ifixb as 0/1 flags; with the active-set bounds method a parameter whose lower and upper
    /// bounds are equal is fixed there too. Null when every parameter is free.</summary>
    private int[]? EffectiveIfixb()
    {
        int[]? flags = Ifixb is null ? null : FixFlags(Ifixb);
        if (BoundsMethod != BoundsMethod.ActiveSet || Lower is null || Upper is null) return flags;
        for (int k = 0; k < P; k++)
        {
            if (Lower[k] != Upper[k]) continue;
            if (flags is null)
            {
                flags = new int[P];
                ArrayLoops.Fill(flags, 1);
            }
            flags[k] = 0;
        }
        return flags;
    }

    /// <summary>ifixb as ODRPACK reads it: 0 fixed, any other value free, as 0/1 flags (a copy).</summary>
    internal static int[] FixFlags(int[] ifixb)
    {
        var flags = new int[ifixb.Length];
        for (int k = 0; k < ifixb.Length; k++) flags[k] = ifixb[k] == 0 ? 0 : 1;
        return flags;
    }

    /// <summary>ODRPACK's rule for SCLB (DINIWK, DODCHK), as for SCLD: a first value that is not
    /// positive asks for the default scales (DSCLB), null here; otherwise every value must be positive.</summary>
    private static double[]? BetaScales(double[]? sclb)
    {
        if (sclb is null || sclb.Length == 0 || sclb[0] <= 0) return null;
        for (int k = 0; k < sclb.Length; k++)
        {
            if (!(sclb[k] > 0)) throw new ArgumentException($"sclb[{k}] is {sclb[k]}: when sclb[0] is positive every scale must be (a non-positive sclb[0] asks for the default scales).", "sclb");
        }
        return (double[])sclb.Clone();
    }

    /// <summary>stpd/scld in scipy's shapes (<see cref="ArgumentShapes"/>), expanded to n·m
    /// observation-major; a non-positive first value means ODRPACK's default (null).</summary>
    private static double[]? ExpandPerInput(NdArray? a, int m, int n, string name)
    {
        if (a is null) return null;
        a.RequireFinite(name);
        var layout = ArgumentShapes.Classify(a, ShapedArgument.PerInputSetting, m, n, name);
        if (a.Length > 0 && a[0] <= 0) return null;
        var result = ArgumentShapes.ObservationMajor(a, layout, m, n);
        foreach (double v in result)
        {
            if (v <= 0) throw new ArgumentException($"{name} must be positive everywhere when given.", name);
        }
        return result;
    }

    /// <summary>delta0 in the shape of x (<see cref="ArgumentShapes"/>), observation-major.</summary>
    private static double[] StartingDelta(NdArray delta0, int m, int n)
    {
        delta0.RequireFinite("delta0");
        var layout = ArgumentShapes.Classify(delta0, ShapedArgument.Delta0, m, n, "delta0");
        return ArgumentShapes.ObservationMajor(delta0, layout, m, n);
    }
}

namespace Odr.Core;

/// <summary>DETAF: the relative noise in the model values (eta, neta), as ODRPACK 2.01 estimates it and
/// as ODRPACK95 does (used by <see cref="BoundsMethod.Odrpack95"/>).</summary>
internal sealed partial class Solver
{
    /// <summary>
    /// ODRPACK95's DETAF (TOMS 869, odr.f): the same noise estimate as ODRPACK 2.01's but its five
    /// points are built independently, beta·(1 + j·100·eps) for j = −2…2 (2.01 accumulates the
    /// perturbations in place, see <see cref="EstimateNoise"/>), and each free parameter's points are
    /// shifted together so that they lie inside its bounds: when the outermost point above (in the
    /// direction of the step) passes the upper bound, all five move down by the overshoot, and likewise
    /// at the lower bound; INFO 90010 when they still do not fit. A point equal to beta in every
    /// parameter (the centre, unless shifted) reuses the model values at beta instead of a model call.
    /// The neta this gives differs from 2.01's (Pearson's line: 16 digits against 14), and with it every
    /// finite-difference step, so the compatibility mode needs it to reproduce ODRPACK95.
    /// </summary>
    private int EstimateNoiseOdrpack95(double epsmac)
    {
        double stp = 100 * epsmac;
        convergence.RelativeError = epsmac;
        var points = new double[5 * np]; // point j (−2…2) at [(j + 2)·np + k]
        for (int j = -2; j <= 2; j++)
        {
            for (int k = 0; k < np; k++)
            {
                points[(j + 2) * np + k] = j == 0 || ifixb[k] == 0 ? point.Beta[k] : point.Beta[k] + j * stp * point.Beta[k];
            }
        }

        for (int k = 0; k < np; k++)
        {
            // SBK = SIGN(ONE, PARPTS(2,K) - PARPTS(-2,K)): +1 for a zero difference.
            int sbk = points[4 * np + k] - points[k] < 0 ? -1 : 1;
            int outer = (2 * sbk + 2) * np + k, inner = (-2 * sbk + 2) * np + k;
            if (points[outer] > input.Upper[k])
            {
                double shift = input.Upper[k] - points[outer];
                points[outer] = input.Upper[k];
                for (int j = -2 * sbk; j != 2 * sbk; j += sbk) points[(j + 2) * np + k] += shift;
                if (points[inner] < input.Lower[k]) return 90010;
            }
            if (points[inner] < input.Lower[k])
            {
                double shift = input.Lower[k] - points[inner];
                points[inner] = input.Lower[k];
                for (int j = -sbk; j != 3 * sbk; j += sbk) points[(j + 2) * np + k] += shift;
                if (points[outer] > input.Upper[k]) return 90010;
            }
        }

        var values = new double[5 * q];
        var trial = new double[np];
        for (int j = -2; j <= 2; j++)
        {
            points.AsSpan((j + 2) * np, np).CopyTo(trial);
            bool atBeta = true;
            for (int k = 0; k < np; k++) atBeta &= trial[k] == point.Beta[k];
            if (atBeta)
            {
                for (int l = 0; l < q; l++) values[(j + 2) * q + l] = point.TrialValues[convergence.CheckRow * q + l];
                continue;
            }
            if (!NoisePointValues(trial, j, values)) return 53000;
        }

        NoiseFromValues(values, epsmac);
        return 0;
    }

    /// <summary>DETAF: relative noise eta and number of good digits neta in the model values, from five
    /// evaluations around beta along a relative step of 100·eps in the free parameters.
    /// Returns 0, or an ODRPACK error code.</summary>
    private int EstimateNoise(double epsmac)
    {
        if (input.Bounds == BoundsMethod.Odrpack95) return EstimateNoiseOdrpack95(epsmac);
        double stp = 100 * epsmac;
        convergence.RelativeError = epsmac;
        var values = new double[5 * q];
        var trial = (double[])point.Beta.Clone();
        bool boundsFinite = ArrayLoops.AnyFinite(input.Lower) || ArrayLoops.AnyFinite(input.Upper);
        for (int j = -2; j <= 2; j++)
        {
            if (j == 0)
            {
                for (int l = 0; l < q; l++) values[2 * q + l] = point.TrialValues[convergence.CheckRow * q + l];
                continue;
            }

            // ODRPACK 2.01 (the code inside scipy.odr) updates its parameter vector in place, so the
            // perturbations accumulate: beta·(1-2h), ·(1-h), ·(1+h), ·(1+2h). Reproducing that keeps
            // eta, neta and hence every finite-difference step identical to ODRPACK's.
            for (int k = 0; k < np; k++)
            {
                if (ifixb[k] != 0) trial[k] += j * stp * trial[k];
            }
            if (boundsFinite && !NoisePointInsideBounds(trial, j, stp)) return 90010;

            if (!NoisePointValues(trial, j, values)) return 53000;
        }
        NoiseFromValues(values, epsmac);
        return 0;
    }

    /// <summary>DETAF's model call at noise point j: observation nrow's values into values' row j.
    /// Only that observation's values are used (<see cref="ModelEvaluator.FunctionAtRow"/>: a pure
    /// model is evaluated there alone). False (ISTOP set) when the model rejects the point.</summary>
    private bool NoisePointValues(double[] noisePoint, int j, double[] values)
    {
        var status = model.FunctionAtRow(noisePoint, point.XPlusDelta, convergence.CheckRow, differenceValues);
        if (status != EvaluationStatus.Ok)
        {
            convergence.ModelStop = 1;
            return false;
        }
        convergence.FunctionEvaluations++;
        for (int l = 0; l < q; l++) values[(j + 2) * q + l] = differenceValues[convergence.CheckRow * q + l];
        return true;
    }

    /// <summary>DETAF's estimate from the five model values: eta, the largest relative deviation from
    /// the least-squares line through them, and neta.</summary>
    private void NoiseFromValues(double[] values, double epsmac)
    {
        for (int l = 0; l < q; l++)
        {
            double a = 0, b = 0;
            for (int j = -2; j <= 2; j++)
            {
                double v = values[(j + 2) * q + l];
                a += v;
                b += j * v;
            }
            a *= 0.2;
            b *= 0.1;
            double v0 = values[2 * q + l];
            double fac = v0 != 0 && Math.Abs(values[3 * q + l] + values[1 * q + l]) > 100 * epsmac ? 1 / Math.Abs(v0) : 1.0;
            for (int j = -2; j <= 2; j++)
            {
                double dev = Math.Abs((values[(j + 2) * q + l] - (a + j * b)) * fac);
                convergence.RelativeError = Math.Max(dev, convergence.RelativeError);
            }
        }
        convergence.FunctionDigits = (int)Math.Max(2.0, 0.5 - Math.Log10(convergence.RelativeError));
    }

    /// <summary>With bounds (ODRPACK95), the noise points are shifted to stay inside the box; a box
    /// too narrow for them is an error (90010).</summary>
    private bool NoisePointInsideBounds(double[] trial, int j, double stp)
    {
        for (int k = 0; k < np; k++)
        {
            if (trial[k] >= input.Lower[k] && trial[k] <= input.Upper[k]) continue;
            double width = 4 * stp * Math.Abs(point.Beta[k]);
            if (input.Upper[k] - input.Lower[k] < width) return false;
            double centre = Math.Clamp(point.Beta[k], input.Lower[k] + width / 2, input.Upper[k] - width / 2);
            trial[k] = centre + j * stp * Math.Abs(point.Beta[k]);
        }
        return true;
    }
}

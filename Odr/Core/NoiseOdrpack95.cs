namespace Odr.Core;

/// <summary>ODRPACK95's DETAF, used by <see cref="BoundsMethod.Odrpack95"/>.</summary>
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
        eta = epsmac;
        var points = new double[5 * np]; // point j (−2…2) at [(j + 2)·np + k]
        for (int j = -2; j <= 2; j++)
        {
            for (int k = 0; k < np; k++)
            {
                points[(j + 2) * np + k] = j == 0 || ifixb[k] == 0 ? beta[k] : beta[k] + j * stp * beta[k];
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
            for (int k = 0; k < np; k++) atBeta &= trial[k] == beta[k];
            if (atBeta)
            {
                for (int l = 0; l < q; l++) values[(j + 2) * q + l] = fn[nrow * q + l];
                continue;
            }
            if (!NoisePointValues(trial, j, values)) return 53000;
        }

        NoiseFromValues(values, epsmac);
        return 0;
    }
}

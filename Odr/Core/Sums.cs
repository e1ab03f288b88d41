namespace Odr.Core;

/// <summary>The weighted residuals and the sums and norms DODMN takes of them (ODRPACK's DDOT and DNRM2
/// orders), with the small helpers that unpack beta and choose the checked row (DSETN).</summary>
internal sealed partial class Solver
{
    /// <summary>f = WE1 (model - y) (or WE1·model for implicit fits), observation by observation; in
    /// parallel chunks when the fit is large (each entry's operations are the same either way).</summary>
    private void ResidualsFromModelValues(double[] values, double[] weighted)
    {
        residualSource = values;
        residualTarget = weighted;
        RunOverObservations(JobResiduals);
        residualSource = residualTarget = Array.Empty<double>();
    }

    /// <summary>ResidualsFromModelValues for observations [i0, i1).</summary>
    private bool ResidualRows(int i0, int i1, ChunkScratch w)
    {
        double[] values = residualSource, weighted = residualTarget;
        if (we1.IsDiagonal)
        {
            // WE1 diagonal: weighted = w ∘ raw, entry by entry (BlockWeights.Multiply's operations).
            double[] wv = we1.Values;
            for (int i = i0; i < i1; i++)
            {
                int wo = we1.Offset(i);
                for (int l = 0; l < q; l++)
                {
                    int r = i * q + l;
                    double raw1 = isImplicit ? values[r] : values[r] - y[r];
                    weighted[r] = wv[wo + l] * raw1;
                }
            }
            return true;
        }
        Span<double> raw = w.VecQ;
        for (int i = i0; i < i1; i++)
        {
            for (int l = 0; l < q; l++) raw[l] = isImplicit ? values[i * q + l] : values[i * q + l] - y[i * q + l];
            we1.Multiply(i, raw, weighted.AsSpan(i * q, q));
        }
        return true;
    }

    /// <summary>Σ v², summed response by response as ODRPACK's column-major DDOT does.</summary>
    private double SumOfSquares(ReadOnlySpan<double> v)
    {
        double sum = 0;
        for (int l = 0; l < q; l++)
        {
            for (int i = 0; i < n; i++)
            {
                double a = v[i * q + l];
                sum += a * a;
            }
        }
        return sum;
    }

    /// <summary>Σ δᵢᵀ WDᵢ δᵢ, summed input by input as ODRPACK's column-major DDOT does.</summary>
    private double DeltaSumOfSquares(ReadOnlySpan<double> d)
    {
        if (m == 1)
        {
            double s1 = 0;
            double[] w = wd.Values;
            if (wd.IsShared)
            {
                double w0 = w[0];
                for (int i = 0; i < n; i++) s1 += d[i] * (w0 * d[i]);
            }
            else
            {
                for (int i = 0; i < n; i++) s1 += d[i] * (w[i] * d[i]);
            }
            return s1;
        }
        // ODRPACK's order: input by input, observation by observation; only the (WD delta) element
        // each term needs is formed.
        double sum = 0;
        for (int j = 0; j < m; j++)
        {
            for (int i = 0; i < n; i++) sum += d[i * m + j] * wd.MultiplyRow(i, j, d.Slice(i * m, m));
        }
        return sum;
    }

    /// <summary>‖(ss·b, tt·d)‖ as ODRPACK's PNORM and TSNORM.</summary>
    private double ScaledNorm(ReadOnlySpan<double> b, ReadOnlySpan<double> d)
    {
        // DNRM2 of (ss·b, tt·d) taken input by input: one pass over the observations sums input 0's
        // terms and keeps the other inputs' in laterInputTerms, summed after it in the same order.
        var norm = default(Linpack.Norm2Accumulator);
        for (int k = 0; k < npp; k++) norm.Add(scales.Packed[k] * b[k]);
        if (d.IsEmpty) return norm.Result;
        var later = laterInputTerms.AsSpan(0, (m - 1) * n);
        for (int i = 0; i < n; i++)
        {
            int o = i * m;
            norm.Add(scales.Delta[o] * d[o]);
            for (int j = 1; j < m; j++) later[((j - 1) * n) + i] = scales.Delta[o + j] * d[o + j];
        }
        foreach (double v in later) norm.Add(v);
        return norm.Result;
    }

    private double ScaledNorm(ReadOnlySpan<double> b, double[]? d) => ScaledNorm(b, d is null ? ReadOnlySpan<double>.Empty : d.AsSpan());

    /// <summary>Writes the packed parameters into the full beta, fixed ones keeping their values.</summary>
    private void UnpackBeta(ReadOnlySpan<double> packed)
    {
        for (int k = 0; k < npp; k++) point.Beta[packedIndex[k]] = packed[k];
    }

    /// <summary>DSETN: the first observation whose inputs are all non-zero.</summary>
    private int SelectRow()
    {
        for (int i = 0; i < n; i++)
        {
            bool allNonZero = true;
            for (int j = 0; j < m; j++)
            {
                if (point.XPlusDelta[i * m + j] == 0) { allNonZero = false; break; }
            }
            if (allNonZero) return i;
        }
        return 0;
    }
}

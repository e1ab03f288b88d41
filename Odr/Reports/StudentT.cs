namespace Odr.Reports;

/// <summary>ODRPACK's percent point functions (Filliben's DPPNML and DPPT), used for the 95%
/// confidence intervals of the final summary so that the printed bounds match ODRPACK's digits.</summary>
internal static class StudentT
{
    /// <summary>DPPNML: the normal percent point function (Odeh and Evans' rational approximation).</summary>
    public static double NormalPercentPoint(double p)
    {
        const double P0 = -0.322232431088, P1 = -1.0, P2 = -0.342242088547, P3 = -0.204231210245E-1, P4 = -0.453642210148E-4;
        const double Q0 = 0.993484626060E-1, Q1 = 0.588581570495, Q2 = 0.531103462366, Q3 = 0.103537752850, Q4 = 0.38560700634E-2;
        if (p == 0.5) return 0.0;
        double r = p > 0.5 ? 1.0 - p : p;
        double t = Math.Sqrt(-2.0 * Math.Log(r));
        double anum = (((t * P4 + P3) * t + P2) * t + P1) * t + P0;
        double aden = (((t * Q4 + Q3) * t + Q2) * t + Q1) * t + Q0;
        double value = t + anum / aden;
        return p < 0.5 ? -value : value;
    }

    /// <summary>DPPT: the percent point function of Student's t with <paramref name="idf"/> degrees of
    /// freedom (exact for 1 and 2, a Cornish-Fisher expansion refined by Newton steps for 3 to 6,
    /// the expansion alone above).</summary>
    public static double PercentPoint(double p, int idf)
    {
        const double B21 = 4.0;
        const double B31 = 96.0, B32 = 5.0, B33 = 16.0, B34 = 3.0;
        const double B41 = 384.0, B42 = 3.0, B43 = 19.0, B44 = 17.0, B45 = -15.0;
        const double B51 = 9216.0, B52 = 79.0, B53 = 776.0, B54 = 1482.0, B55 = -1920.0, B56 = -945.0;
        const int MaxIt = 5;
        double df = idf;

        if (idf <= 0) return 0.0;
        if (idf == 1)
        {
            double arg = Math.PI * p;
            return -Math.Cos(arg) / Math.Sin(arg);
        }
        if (idf == 2)
        {
            double term1 = Math.Sqrt(2.0) / 2.0;
            double term2 = 2.0 * p - 1.0;
            double term3 = Math.Sqrt(p * (1.0 - p));
            return term1 * term2 / term3;
        }

        double ppfn = NormalPercentPoint(p);
        double d1 = ppfn;
        double d3 = Math.Pow(ppfn, 3);
        double d5 = Math.Pow(ppfn, 5);
        double d7 = Math.Pow(ppfn, 7);
        double d9 = Math.Pow(ppfn, 9);
        double t1 = d1;
        double t2 = (1.0 / B21) * (d3 + d1) / df;
        double t3 = (1.0 / B31) * (B32 * d5 + B33 * d3 + B34 * d1) / (df * df);
        double t4 = (1.0 / B41) * (B42 * d7 + B43 * d5 + B44 * d3 + B45 * d1) / Math.Pow(df, 3);
        double t5 = (1.0 / B51) * (B52 * d9 + B53 * d7 + B54 * d5 + B55 * d3 + B56 * d1) / Math.Pow(df, 4);
        double result = t1 + t2 + t3 + t4 + t5;
        if (idf > 6) return result;

        double z = Math.Atan(result / Math.Sqrt(df));
        double s = 0, c = 1;
        for (int pass = 0; pass < MaxIt; pass++)
        {
            s = Math.Sin(z);
            c = Math.Cos(z);
            switch (idf)
            {
                case 3:
                    z -= (z + s * c - Math.PI * (p - 0.5)) / (2.0 * c * c);
                    break;
                case 4:
                    z -= ((1.0 + 0.5 * c * c) * s - 2.0 * (p - 0.5)) / (1.5 * Math.Pow(c, 3));
                    break;
                case 5:
                    z -= (z + (c + (2.0 / 3.0) * Math.Pow(c, 3)) * s - Math.PI * (p - 0.5)) / ((8.0 / 3.0) * Math.Pow(c, 4));
                    break;
                default:
                    z -= ((1.0 + 0.5 * c * c + (3.0 / 8.0) * Math.Pow(c, 4)) * s - 2.0 * (p - 0.5)) / ((15.0 / 8.0) * Math.Pow(c, 5));
                    break;
            }
        }
        // ODRPACK uses S and C from the last pass (before its final update of Z).
        return Math.Sqrt(df) * s / c;
    }
}

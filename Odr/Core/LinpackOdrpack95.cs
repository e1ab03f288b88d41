namespace Odr.Core;

/// <summary>The BLAS routines of ODRPACK95's own lpkbls.f (TOMS 869) where they round differently from
/// the reference BLAS that scipy's ODRPACK 2.01 runs on (see <see cref="Linpack"/>): what
/// <see cref="BoundsMethod.Odrpack95"/> needs to reproduce ODRPACK95 bit for bit.</summary>
internal static class LinpackOdrpack95
{
    /// <summary>
    /// DROTG of ODRPACK95's lpkbls.f (the LINPACK-era rotation: u = 2a, v = b/u, r = sqrt(1/4 + v²)·u
    /// when |a| &gt; |b|, the roles swapped otherwise), where <see cref="Linpack.Rotg"/> is reference BLAS
    /// 3.10+'s (r = σ·scl·sqrt((a/scl)² + (b/scl)²)). The two differ in the last bit of r, c and s, which
    /// DODSTP's Levenberg-Marquardt steps (lm &gt; 0) carry into every later iterate: on the bounded
    /// problems of Odr.Tests/Data/odrpack95-bounds.json that is the only difference left between the two
    /// rotations' results. a becomes r and b becomes z, as in BLAS.
    /// </summary>
    public static void Rotg(ref double a, ref double b, out double c, out double s)
    {
        if (Math.Abs(a) > Math.Abs(b))
        {
            double u = a + a;
            double v = b / u;
            double r = Math.Sqrt(0.25 + v * v) * u;
            c = a / r;
            s = v * (c + c);
            b = s;
            a = r;
            return;
        }
        if (b == 0)
        {
            // a = b = 0.
            c = 1;
            s = 0;
            return;
        }
        {
            double u = b + b;
            double v = a / u;
            a = Math.Sqrt(0.25 + v * v) * u;
            s = b / a;
            c = v * (s + s);
            b = c == 0 ? 1 : 1 / c;
        }
    }
}

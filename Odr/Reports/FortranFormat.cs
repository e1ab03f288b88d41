using System.Globalization;

namespace Odr.Reports;

/// <summary>The few Fortran edit descriptors ODRPACK's reports use (1P,Dw.d, 1P,Ew.d, Iw, Iw.m),
/// rendered as gfortran renders them, so the report's columns line up with ODRPACK's.</summary>
internal static class FortranFormat
{
    /// <summary>1P,Dw.d: one digit before the point, d after, exponent letter D (dropped for
    /// three-digit exponents, as Fortran does), right-justified in w columns.</summary>
    public static string D(double value, int width, int digits) => Real(value, width, digits, 'D');

    /// <summary>1P,Ew.d: as <see cref="D"/> with the exponent letter E.</summary>
    public static string E(double value, int width, int digits) => Real(value, width, digits, 'E');

    /// <summary>Iw: right-justified integer, asterisks when it does not fit.</summary>
    public static string I(int value, int width) => Fit(value.ToString(CultureInfo.InvariantCulture), width);

    /// <summary>Iw.m: right-justified integer with at least m digits (zero padded).</summary>
    public static string I(int value, int width, int minDigits)
    {
        string digits = Math.Abs((long)value).ToString(CultureInfo.InvariantCulture).PadLeft(minDigits, '0');
        return Fit(value < 0 ? "-" + digits : digits, width);
    }

    /// <summary>A character value in an Aw field (right-justified, truncated on the right as Fortran does).</summary>
    public static string A(string value, int width) =>
        value.Length >= width ? value.Substring(0, width) : value.PadLeft(width);

    private static string Real(double value, int width, int digits, char letter)
    {
        if (double.IsNaN(value)) return Fit("NaN", width);
        if (double.IsInfinity(value))
        {
            string inf = width >= 9 || (value > 0 && width >= 8) ? "Infinity" : "Inf";
            return Fit(value < 0 ? "-" + inf : inf, width);
        }

        string mantissa;
        int exponent;
        if (value == 0)
        {
            mantissa = (digits > 0 ? "0." + new string('0', digits) : "0.");
            exponent = 0;
        }
        else
        {
            // .NET rounds exactly (IEEE-correct) for a given precision, as gfortran does.
            string s = Math.Abs(value).ToString("E" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            int e = s.IndexOf('E');
            mantissa = s.Substring(0, e);
            if (digits == 0) mantissa += ".";
            exponent = int.Parse(s.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        string exp;
        int absExp = Math.Abs(exponent);
        string sign = exponent < 0 ? "-" : "+";
        if (absExp <= 99) exp = letter + sign + absExp.ToString("00", CultureInfo.InvariantCulture);
        else if (absExp <= 999) exp = sign + absExp.ToString("000", CultureInfo.InvariantCulture);
        else return new string('*', width);

        string text = (value < 0 || (value == 0 && double.IsNegative(value)) ? "-" : string.Empty) + mantissa + exp;
        return Fit(text, width);
    }

    private static string Fit(string text, int width) =>
        text.Length > width ? new string('*', width) : text.PadLeft(width);
}

namespace Odr.Cli.Batch;

/// <summary>
/// The exact fast path of decimal parsing (Clinger 1990, the first step of every correctly rounding
/// parser, .NET's own included): a number written with at most 19 digits whose integer significand w
/// is at most 2^53 and whose power of ten 10^e has |e| ≤ 22 is w·10^e or w/10^−e in one IEEE
/// operation on two exact doubles, hence correctly rounded, the same bits as
/// <see cref="double.TryParse(ReadOnlySpan{char}, System.Globalization.NumberStyles, IFormatProvider?, out double)"/>
/// gives. odr batch reads tens of numbers per group, and this path takes a fraction of the general
/// parser's time on the plain decimals data files hold; anything else (more digits, larger
/// exponents, inf, nan, other spellings) is left to the general parser.
/// </summary>
internal static class PlainDecimal
{
    private const ulong MaxExactSignificand = 1UL << 53;
    private const int MaxExactPower = 22;

    // 10^0 .. 10^22: each exactly a double.
    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>Parses [+-]digits[.digits][(e|E)[+-]digits] when its value can be formed exactly as
    /// above; false (the value unset) for anything else, which the caller parses in full.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out double value)
    {
        value = 0;
        int i = 0;
        bool negative = false;
        if (i < text.Length && (text[i] == '-' || text[i] == '+'))
        {
            negative = text[i] == '-';
            i++;
        }
        ulong significand = 0;
        int digits = 0; // significant digits taken into the significand (leading zeros not counted)
        int integerDigits = 0;
        for (; i < text.Length && char.IsAsciiDigit(text[i]); i++, integerDigits++)
        {
            if (!Take(text[i], ref significand, ref digits)) return false;
        }
        if (integerDigits == 0) return false;
        int fractionDigits = 0;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            for (; i < text.Length && char.IsAsciiDigit(text[i]); i++, fractionDigits++)
            {
                if (!Take(text[i], ref significand, ref digits)) return false;
            }
            if (fractionDigits == 0) return false;
        }
        int exponent = 0;
        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            i++;
            bool negativeExponent = false;
            if (i < text.Length && (text[i] == '-' || text[i] == '+'))
            {
                negativeExponent = text[i] == '-';
                i++;
            }
            int exponentDigits = 0;
            for (; i < text.Length && char.IsAsciiDigit(text[i]); i++, exponentDigits++)
            {
                if (exponentDigits >= 3) return false; // beyond any exact power anyway
                exponent = (exponent * 10) + (text[i] - '0');
            }
            if (exponentDigits == 0) return false;
            if (negativeExponent) exponent = -exponent;
        }
        if (i != text.Length || significand > MaxExactSignificand) return false;
        int power = exponent - fractionDigits;
        if (power < -MaxExactPower || power > MaxExactPower) return false;
        double w = significand;
        double magnitude = power >= 0 ? w * PowersOfTen[power] : w / PowersOfTen[-power];
        value = negative ? -magnitude : magnitude;
        return true;
    }

    /// <summary>Appends a digit to the significand; false beyond 19 significant digits (a ulong
    /// would overflow, and such a significand exceeds 2^53 anyway).</summary>
    private static bool Take(char digit, ref ulong significand, ref int digits)
    {
        if (significand == 0 && digit == '0') return true;
        if (++digits > 19) return false;
        significand = (significand * 10) + (ulong)(digit - '0');
        return true;
    }
}

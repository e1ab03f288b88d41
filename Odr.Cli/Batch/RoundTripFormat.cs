using System.Numerics;

namespace Odr.Cli.Batch;

/// <summary>
/// The text <c>double.ToString("R", CultureInfo.InvariantCulture)</c> gives, written into a span:
/// the shortest decimal that reads back as the same double, in .NET's layout (plain notation when the
/// leading digit's power of ten is from −4 to 16, else <c>d.dddE+XX</c>), except where .NET's own text
/// reads back as another double (2 of the 2,098 powers of two, 2^-25 among them), where this one is
/// the right one. The digits come from Ryū (Ulf Adams, "Ryū: fast float-to-string conversion",
/// PLDI 2018, the reference implementation's d2d): 2-3 times faster than .NET's Grisu3 (62-91 against
/// 163-311 ns per number, JIT), and odr batch formats 25 numbers per group (6.6 % of a group's time
/// before). Checked against .NET's text and, where they differ, against the definition
/// (RoundTripFormatTests).
/// </summary>
internal static class RoundTripFormat
{
    /// <summary>Longest text: sign, 17 digits, point, "E-324".</summary>
    public const int MaxLength = 26;

    private const int MantissaBits = 52;
    private const int ExponentBits = 11;
    private const int Bias = 1023;
    private const int Pow5InverseBitCount = 125;
    private const int Pow5BitCount = 125;

    // 5^i as 125-bit values (high bits kept) and ⌊2^j / 5^i⌋ + 1 as 126-bit values, low and high
    // words: the tables of Ryū's d2s, computed once from their definition.
    private static readonly ulong[] Pow5 = Table(326, inverse: false);
    private static readonly ulong[] Pow5Inverse = Table(342, inverse: true);

    /// <summary>Writes the text of <paramref name="value"/> (finite) to <paramref name="destination"/>
    /// (at least <see cref="MaxLength"/> long); returns its length.</summary>
    public static int Format(double value, Span<char> destination)
    {
        ulong bits = (ulong)BitConverter.DoubleToInt64Bits(value);
        bool negative = (bits >> 63) != 0;
        ulong mantissa = bits & ((1UL << MantissaBits) - 1);
        int exponent = (int)((bits >> MantissaBits) & ((1U << ExponentBits) - 1));
        if (exponent == (1 << ExponentBits) - 1) throw new ArgumentOutOfRangeException(nameof(value), value, "only finite values have a round-trip decimal");
        int at = 0;
        if (negative) destination[at++] = '-';
        if (exponent == 0 && mantissa == 0)
        {
            destination[at++] = '0';
            return at;
        }
        var (digits, decimalExponent) = ShortestDecimal(mantissa, exponent);
        return at + Layout(digits, decimalExponent, destination[at..]);
    }

    /// <summary>As <see cref="Format(double, Span{char})"/>, in UTF-8 (ASCII) bytes.</summary>
    public static int Format(double value, Span<byte> destination)
    {
        Span<char> text = stackalloc char[MaxLength];
        int length = Format(value, text);
        for (int k = 0; k < length; k++) destination[k] = (byte)text[k];
        return length;
    }

    /// <summary>The text of <paramref name="value"/> as a string.</summary>
    public static string ToText(double value)
    {
        Span<char> text = stackalloc char[MaxLength];
        return new string(text[..Format(value, text)]);
    }

    /// <summary>.NET's layout of digits·10^exponent: plain when the leading digit's power of ten is
    /// from −4 to 16, else one digit, the rest after a point, and E±XX.</summary>
    private static int Layout(ulong digits, int exponent, Span<char> d)
    {
        int length = DecimalLength(digits);
        int lead = exponent + length - 1; // the leading digit's power of ten
        if (lead >= 17 || lead < -4)
        {
            // d.ddd: the digits after the point written from the last, then the first before it.
            int end = length > 1 ? length + 1 : 1;
            for (int k = end - 1; k >= 2; k--)
            {
                d[k] = (char)('0' + (int)(digits % 10));
                digits /= 10;
            }
            if (length > 1) d[1] = '.';
            d[0] = (char)('0' + (int)digits);
            int at = end;
            d[at++] = 'E';
            d[at++] = lead < 0 ? '-' : '+';
            int e = Math.Abs(lead);
            if (e >= 100) d[at++] = (char)('0' + (e / 100));
            d[at++] = (char)('0' + (e / 10 % 10));
            d[at++] = (char)('0' + (e % 10));
            return at;
        }
        if (lead < 0)
        {
            // 0.000ddd
            int zeros = -lead - 1, total = 2 + zeros + length;
            d[0] = '0';
            d[1] = '.';
            d.Slice(2, zeros).Fill('0');
            WriteDigits(digits, d.Slice(2 + zeros, length));
            return total;
        }
        if (length <= lead + 1)
        {
            // ddd000
            WriteDigits(digits, d[..length]);
            d.Slice(length, lead + 1 - length).Fill('0');
            return lead + 1;
        }

        // ddd.ddd
        WriteDigits(digits, d.Slice(lead + 2, length - lead - 1), out digits);
        d[lead + 1] = '.';
        WriteDigits(digits, d[..(lead + 1)]);
        return length + 1;
    }

    private static void WriteDigits(ulong digits, Span<char> d) => WriteDigits(digits, d, out _);

    /// <summary>The last d.Length digits of <paramref name="digits"/> into d; the rest in <paramref name="left"/>.</summary>
    private static void WriteDigits(ulong digits, Span<char> d, out ulong left)
    {
        for (int k = d.Length - 1; k >= 0; k--)
        {
            ulong next = digits / 10;
            d[k] = (char)('0' + (int)(digits - (10 * next)));
            digits = next;
        }
        left = digits;
    }

    /// <summary>Ryū's d2d: the shortest digits (and their decimal exponent) that lie strictly inside
    /// the interval of reals rounding to the double (on its bounds too when the mantissa is even),
    /// the one nearest the double among them.</summary>
    private static (ulong Digits, int Exponent) ShortestDecimal(ulong ieeeMantissa, int ieeeExponent)
    {
        int e2;
        ulong m2;
        if (ieeeExponent == 0)
        {
            e2 = 1 - Bias - MantissaBits - 2;
            m2 = ieeeMantissa;
        }
        else
        {
            e2 = ieeeExponent - Bias - MantissaBits - 2;
            m2 = (1UL << MantissaBits) | ieeeMantissa;
        }
        bool acceptBounds = (m2 & 1) == 0;

        // The interval's middle and ends, times 4: mv = 4·m2, ends 4·m2 + 2 and 4·m2 − 1 − mmShift.
        ulong mv = 4 * m2;
        uint mmShift = ieeeMantissa != 0 || ieeeExponent <= 1 ? 1U : 0U;

        ulong vr, vp, vm;
        int e10;
        bool vmIsTrailingZeros = false, vrIsTrailingZeros = false;
        if (e2 >= 0)
        {
            int q = Log10Pow2(e2) - (e2 > 3 ? 1 : 0);
            e10 = q;
            int k = Pow5InverseBitCount + Pow5Bits(q) - 1;
            int i = -e2 + q + k;
            vr = MulShift(mv, Pow5Inverse, q, i);
            vp = MulShift(mv + 2, Pow5Inverse, q, i);
            vm = MulShift(mv - 1 - mmShift, Pow5Inverse, q, i);
            if (q <= 21)
            {
                // Only one of mp, mv, mm can be a multiple of 5, if any.
                if (mv % 5 == 0) vrIsTrailingZeros = MultipleOfPowerOf5(mv, q);
                else if (acceptBounds) vmIsTrailingZeros = MultipleOfPowerOf5(mv - 1 - mmShift, q);
                else vp -= MultipleOfPowerOf5(mv + 2, q) ? 1UL : 0UL;
            }
        }
        else
        {
            int q = Log10Pow5(-e2) - (-e2 > 1 ? 1 : 0);
            e10 = q + e2;
            int i = -e2 - q;
            int k = Pow5Bits(i) - Pow5BitCount;
            int j = q - k;
            vr = MulShift(mv, Pow5, i, j);
            vp = MulShift(mv + 2, Pow5, i, j);
            vm = MulShift(mv - 1 - mmShift, Pow5, i, j);
            if (q <= 1)
            {
                // mv = 4·m2 has at least 2 trailing zero bits, so vr does.
                vrIsTrailingZeros = true;
                if (acceptBounds) vmIsTrailingZeros = mmShift == 1;
                else vp--;
            }
            else if (q < 63)
            {
                vrIsTrailingZeros = (mv & ((1UL << q) - 1)) == 0;
            }
        }

        int removed = 0;
        int lastRemovedDigit = 0;
        ulong output;
        if (vmIsTrailingZeros || vrIsTrailingZeros)
        {
            // The general case (rare): trailing zeros decide the rounding.
            while (vp / 10 > vm / 10)
            {
                vmIsTrailingZeros &= vm % 10 == 0;
                RemoveDigit();
            }
            if (vmIsTrailingZeros)
            {
                while (vm % 10 == 0) RemoveDigit();
            }
            if (vrIsTrailingZeros && lastRemovedDigit == 5 && vr % 2 == 0) lastRemovedDigit = 4; // round to even
            output = vr + ((vr == vm && (!acceptBounds || !vmIsTrailingZeros)) || lastRemovedDigit >= 5 ? 1UL : 0UL);
        }
        else
        {
            // The common case.
            bool roundUp = false;
            if (vp / 100 > vm / 100)
            {
                roundUp = vr % 100 >= 50;
                vr /= 100;
                vp /= 100;
                vm /= 100;
                removed += 2;
            }
            while (true)
            {
                ulong vpDiv10 = vp / 10, vmDiv10 = vm / 10;
                if (vpDiv10 <= vmDiv10) break;
                ulong vrDiv10 = vr / 10;
                roundUp = vr - (10 * vrDiv10) >= 5;
                vr = vrDiv10;
                vp = vpDiv10;
                vm = vmDiv10;
                removed++;
            }
            output = vr + (vr == vm || roundUp ? 1UL : 0UL);
        }
        return (output, e10 + removed);

        // One digit off vr, vp and vm, remembering whether those removed from vr were all zeros.
        void RemoveDigit()
        {
            vrIsTrailingZeros &= lastRemovedDigit == 0;
            lastRemovedDigit = (int)(vr % 10);
            vr /= 10;
            vp /= 10;
            vm /= 10;
            removed++;
        }
    }

    /// <summary>⌊m · table[index] / 2^shift⌋ for a 125/126-bit table entry (shift ≥ 64).</summary>
    private static ulong MulShift(ulong m, ulong[] table, int index, int shift)
    {
        ulong low = table[2 * index], high = table[(2 * index) + 1];
        ulong high0 = Math.BigMul(m, low, out _);
        ulong high1 = Math.BigMul(m, high, out ulong low1);
        ulong sum = high0 + low1;
        if (sum < high0) high1++;
        int s = shift - 64;
        return s == 0 ? sum : (high1 << (64 - s)) | (sum >> s);
    }

    private static int Pow5Bits(int e) => (int)(((uint)e * 1217359U) >> 19) + 1;

    private static int Log10Pow2(int e) => (int)(((uint)e * 78913U) >> 18);

    private static int Log10Pow5(int e) => (int)(((uint)e * 732923U) >> 20);

    private static bool MultipleOfPowerOf5(ulong value, int p)
    {
        int count = 0;
        while (value != 0 && value % 5 == 0)
        {
            value /= 5;
            count++;
        }
        return count >= p;
    }

    private static int DecimalLength(ulong v)
    {
        // Ryū's digits have at most 17.
        int length = 1;
        for (ulong p = 10; length < 17 && v >= p; p *= 10) length++;
        return length;
    }

    private static ulong[] Table(int count, bool inverse)
    {
        var table = new ulong[2 * count];
        var mask = (BigInteger.One << 64) - 1;
        var pow = BigInteger.One;
        for (int i = 0; i < count; i++, pow *= 5)
        {
            int length = (int)pow.GetBitLength();
            BigInteger entry = inverse
                ? (BigInteger.One << (length - 1 + Pow5InverseBitCount)) / pow + 1
                : length >= Pow5BitCount ? pow >> (length - Pow5BitCount) : pow << (Pow5BitCount - length);
            table[2 * i] = (ulong)(entry & mask);
            table[(2 * i) + 1] = (ulong)(entry >> 64);
        }
        return table;
    }
}

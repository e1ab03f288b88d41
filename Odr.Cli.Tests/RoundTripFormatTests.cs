using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Odr.Cli.Batch;

namespace Odr.Cli.Tests;

/// <summary>
/// odr batch's number formatter (<see cref="RoundTripFormat"/>, Ryū) against what it stands in for,
/// .NET's <c>double.ToString("R", CultureInfo.InvariantCulture)</c>: the same text for every finite
/// double tried (random bit patterns over the whole range, numbers as fits produce them, the
/// boundaries of the layout, subnormals, the extremes), and that text reads back as the same bits.
/// Where the two differ, .NET's text must be the wrong one: .NET 10 gives some powers of two a digit
/// too few (2^-958: "4.104536801298376E-289", which reads back as another double; Python's repr,
/// David Gay's algorithm, gives 4.1045368012983762e-289 as Ryū does). There ours must read back and
/// be shortest by definition: neither neighbour with one digit fewer reads back as the same double.
/// </summary>
public class RoundTripFormatTests
{
    private static string Ours(double v)
    {
        Span<char> text = stackalloc char[RoundTripFormat.MaxLength];
        return new string(text[..RoundTripFormat.Format(v, text)]);
    }

    private static bool ReadsBack(string text, double v) =>
        BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)) == BitConverter.DoubleToInt64Bits(v);

    private static void SameAsDotNet(double v)
    {
        string expected = v.ToString("R", CultureInfo.InvariantCulture);
        string actual = Ours(v);
        Assert.True(ReadsBack(actual, v), $"bits 0x{BitConverter.DoubleToInt64Bits(v):X16}: ours '{actual}' reads back as another double");
        if (expected == actual) return;
        Assert.False(ReadsBack(expected, v), $"bits 0x{BitConverter.DoubleToInt64Bits(v):X16}: .NET '{expected}', ours '{actual}'");
        AssertShortest(v, actual);
    }

    /// <summary>No decimal with fewer significant digits than <paramref name="text"/> reads back as
    /// <paramref name="v"/>: the two nearest with one digit fewer (.NET's correctly rounded "E"
    /// format and its neighbour on the other side) do not.</summary>
    private static void AssertShortest(double v, string text)
    {
        string mantissa = text.TrimStart('-').Split('E')[0].Replace(".", "", StringComparison.Ordinal).TrimStart('0').TrimEnd('0');
        int digits = mantissa.Length;
        if (digits <= 1) return;
        string nearest = v.ToString("E" + (digits - 2).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        Assert.False(ReadsBack(nearest, v), $"'{nearest}' is shorter than '{text}' and reads back");
        var parts = nearest.Split('E');
        decimal significand = decimal.Parse(parts[0], CultureInfo.InvariantCulture);
        decimal step = (decimal)Math.Pow(10, -(digits - 2));
        foreach (decimal other in new[] { significand + step, significand - step })
        {
            string candidate = other.ToString(CultureInfo.InvariantCulture) + "E" + parts[1];
            Assert.False(ReadsBack(candidate, v), $"'{candidate}' is shorter than '{text}' and reads back");
        }
    }

    [Fact]
    public void RandomBitPatternsOverTheWholeRange()
    {
        var random = new Random(20261205);
        for (int k = 0; k < 300_000; k++)
        {
            double v = BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue));
            if (double.IsFinite(v)) SameAsDotNet(v);
        }
    }

    [Fact]
    public void NumbersAsFitsProduceThem()
    {
        // Estimates, standard errors and statistics: a few significant digits to full precision, at
        // every scale a result column meets.
        var random = new Random(7);
        for (int k = 0; k < 200_000; k++)
        {
            double v = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-12, 18));
            SameAsDotNet(v);
            SameAsDotNet(Math.Round(v, random.Next(0, 8)));
            SameAsDotNet((float)v);
        }
    }

    [Fact]
    public void BoundariesOfTheLayoutAndOfTheRange()
    {
        var values = new List<double> { 0.0, -0.0, 1, -1, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 5e-324, -5e-324, double.MaxValue, double.MinValue, double.Epsilon * 2, 2.2250738585072014E-308, 2.2250738585072009E-308, 9007199254740991, 9007199254740992, 9007199254740993, 123456789012345.67, 1234567890123456.7, 0.000123456789 };
        for (int e = -325; e <= 308; e++)
        {
            double p = double.Parse("1e" + e.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            values.AddRange([p, -p, p * 1.5, p * 9.999999999999999, BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(p) + 1), BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(p) - 1)]);
        }
        for (int e = -1074; e <= 1023; e++)
        {
            double p = Math.ScaleB(1, e);
            values.AddRange([p, -p, BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(p) + 1), BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(p) - 1)]);
        }
        for (long i = 1; i < 100_000; i++) values.Add(i);
        foreach (double v in values)
        {
            if (double.IsFinite(v)) SameAsDotNet(v);
        }
    }

    [Property(MaxTest = 20000)]
    public Property AnyFiniteDouble() => Prop.ForAll(Gen.Choose(int.MinValue, int.MaxValue).Two().ToArbitrary(), pair =>
    {
        double v = BitConverter.Int64BitsToDouble(((long)pair.Item1 << 32) | (uint)pair.Item2);
        if (double.IsFinite(v)) SameAsDotNet(v);
        return true;
    });

    [Fact]
    public void NonFiniteValuesAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Ours(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ours(double.PositiveInfinity));
    }
}

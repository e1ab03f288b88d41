using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Odr.Cli.Batch;

namespace Odr.Cli.Tests;

/// <summary>
/// odr batch's fast decimal parser (<see cref="PlainDecimal"/>) against the general one it stands in
/// for, .NET's correctly rounding double.TryParse: on every text it accepts, the same bits; texts it
/// leaves to the general parser are only those outside its exact range.
/// </summary>
public class PlainDecimalTests
{
    private static readonly Gen<string> DigitRuns =
        from length in Gen.Choose(1, 22)
        from digits in Gen.ArrayOf(Gen.Choose(0, 9), length)
        select string.Concat(digits);

    /// <summary>Decimal texts as data files write them: signs, leading zeros, fractions and exponents
    /// of every length around the fast path's limits (19 digits, 2^53, 10^±22).</summary>
    private static readonly Gen<string> Decimals =
        from sign in Gen.Elements("", "-", "+")
        from integer in DigitRuns
        from fraction in Gen.Frequency((1, Gen.Constant("")), (4, DigitRuns.Select(d => "." + d)))
        from exponent in Gen.Frequency((3, Gen.Constant("")), (1, Gen.Choose(-40, 40).Select(e => "e" + e.ToString(CultureInfo.InvariantCulture))),
            (1, Gen.Choose(0, 30).Select(e => "E+" + e.ToString(CultureInfo.InvariantCulture))))
        select sign + integer + fraction + exponent;

    [Property(MaxTest = 20000)]
    public Property SameBitsAsTheGeneralParser() => Prop.ForAll(Decimals.ToArbitrary(), text =>
    {
        bool general = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double expected);
        if (!PlainDecimal.TryParse(text, out double fast)) return true;
        return general && BitConverter.DoubleToInt64Bits(fast) == BitConverter.DoubleToInt64Bits(expected);
    });

    [Theory]
    [InlineData("0.009650")]
    [InlineData("-0")]
    [InlineData("-0.0")]
    [InlineData("+12.5")]
    [InlineData("9007199254740992")] // 2^53
    [InlineData("0.1")]
    [InlineData("1e22")]
    [InlineData("1e-22")]
    [InlineData("123456789012345.6e-7")]
    public void PlainDecimalsTakeTheFastPathWithTheSameBits(string text)
    {
        Assert.True(PlainDecimal.TryParse(text, out double fast));
        double expected = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(fast));
    }

    [Theory]
    [InlineData("9007199254740993")] // 2^53 + 1: not exact as a double significand
    [InlineData("1e23")]
    [InlineData("1e-23")]
    [InlineData("12345678901234567890")]
    [InlineData("inf")]
    [InlineData("nan")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("1e")]
    [InlineData("1,5")]
    [InlineData(" 1")]
    [InlineData("")]
    [InlineData("-")]
    public void OtherTextsAreLeftToTheGeneralParser(string text) => Assert.False(PlainDecimal.TryParse(text, out _));
}

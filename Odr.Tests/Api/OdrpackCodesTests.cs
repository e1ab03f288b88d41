namespace Odr.Tests.Api;

/// <summary>INFO's digits and IPRINT's settings as the ODRPACK 2.01 user's reference guide (NISTIR 4834)
/// defines them: INFO = ABCDE, IPRINT = ABCD with levels 0 none, 1/3/5 short, 2/4/6 long.</summary>
public class OdrpackCodesTests
{
    [Theory]
    [InlineData(43021, 4, 3, 0, 2, 1)] // a fatal error: every digit a detail
    [InlineData(1231, 0, 1, 2, 3, 1)] // questionable derivatives, ISTOP, rank, sum-of-squares convergence
    [InlineData(2, 0, 0, 0, 0, 2)]
    [InlineData(90010, 9, 0, 0, 1, 0)] // ODRPACK95's bounds error
    public void InfoDigitsReadFromTheLeft(int info, int a, int b, int c, int d, int e)
    {
        var code = new InfoCode(info);
        Assert.Equal((a, b, c, d, e), (code.TenThousands, code.Thousands, code.Hundreds, code.Tens, code.Ones));
    }

    [Theory]
    [InlineData(1231, 2, 1232)]
    [InlineData(4, 2, 2)]
    [InlineData(10, 4, 14)]
    public void WithStopReplacesOnlyTheLastDigit(int info, int stop, int expected) =>
        Assert.Equal(expected, new InfoCode(info).WithStop(stop).Value);

    [Theory]
    [InlineData(-1, 2, 0, 0, 1)] // negative: ODRPACK's default 2001
    [InlineData(2001, 2, 0, 0, 1)]
    [InlineData(1112, 1, 1, 1, 2)]
    [InlineData(3456, 1, 2, 5, 2)] // 3 and 5 short, 4 and 6 long
    [InlineData(6020, 2, 0, 2, 0)]
    public void IprintDigitsGiveTheFourSettings(int iprint, int initial, int iteration, int step, int final)
    {
        var code = new IprintCode(iprint);
        Assert.Equal((initial, iteration, step, final), (code.InitialLevel, code.IterationLevel, code.IterationStep, code.FinalLevel));
    }
}

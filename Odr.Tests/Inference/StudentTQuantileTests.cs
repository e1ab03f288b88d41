using MathNet.Numerics.Distributions;

namespace Odr.Tests.Inference;

/// <summary>The shared two-sided t quantile (kept per thread for batches) is MathNet's StudentT.InvCDF
/// at 0.5 + level/2 whatever order levels and degrees of freedom are asked in, and R's qt values.</summary>
public class StudentTQuantileTests
{
    [Fact]
    public void AlternatingLevelsAndDegreesOfFreedomGiveEachItsOwnQuantile()
    {
        (double Level, int Dof)[] asks = [(0.95, 46), (0.95, 46), (0.9, 46), (0.95, 3), (0.95, 46), (0.99, 1), (0.9, 46)];
        foreach (var (level, dof) in asks)
        {
            Assert.Equal(StudentT.InvCDF(0, 1, dof, 0.5 + level / 2), StudentTQuantile.TwoSided(level, dof));
        }
    }

    [Theory]
    [InlineData(0.95, 46, 2.0128955989194286)] // R 4.2: qt(0.975, 46)
    [InlineData(0.95, 3, 3.1824463052837078)] // R 4.2: qt(0.975, 3)
    [InlineData(0.99, 1, 63.6567411628715263)] // R 4.2: qt(0.995, 1)
    public void MatchesR(double level, int dof, double expected)
    {
        Assert.Equal(expected, StudentTQuantile.TwoSided(level, dof), 1e-9 * expected);
    }

    [Fact]
    public void EachThreadKeepsItsOwnLastQuantile()
    {
        Parallel.For(0, 2000, i =>
        {
            int dof = 5 + (i % 2);
            double t = StudentTQuantile.TwoSided(0.95, dof);
            Assert.Equal(StudentT.InvCDF(0, 1, dof, 0.975), t);
        });
    }
}

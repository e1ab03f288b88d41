using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Odr.Core;
using Odr.Tests.Support;

namespace Odr.Tests.Performance;

/// <summary>
/// Which width runs is a matter of speed only: the step's kernels in bundles of 8 or 4 observations
/// or one at a time (<c>WideLanesMinObservations</c> on either side of the problem's size), and
/// LINPACK's element-wise helpers in 128-bit or 256/512-bit vectors (columns on either side of
/// <see cref="Linpack.WideMinLength"/>), give the same bits.
/// </summary>
public class LaneWidthTests
{
    [Property(MaxTest = 60)]
    public Property KernelsGiveTheSameBitsOnBothSidesOfTheThreshold() => Prop.ForAll(Arbitraries.Seeds, seed =>
    {
        var problem = SimdKernelTests.RandomProblem(new Random(seed));
        int n = problem(_ => { }).Data.N;
        var wide = problem(o => o.WideLanesMinObservations = n).Run(); // n >= threshold: bundles
        var narrow = problem(o => o.WideLanesMinObservations = n + 1).Run(); // below: one at a time
        var single = problem(o => o.SimdKernels = false).Run();
        string? error = SimdKernelTests.Compare(wide, narrow) ?? SimdKernelTests.Compare(wide, single);
        return error is null ? true.ToProperty() : false.Label($"seed {seed}: {error}");
    });

    public static TheoryData<int> Lengths => new() { 0, 1, 2, 3, Linpack.WideMinLength - 1, Linpack.WideMinLength, Linpack.WideMinLength + 1, (2 * Linpack.WideMinLength) + 7 };

    /// <summary>DAXPY and DSCAL against their element-by-element definitions.</summary>
    [Theory]
    [MemberData(nameof(Lengths))]
    public void ElementwiseHelpersMatchTheirDefinitions(int length)
    {
        var r = new Random(length);
        double[] x = [.. Enumerable.Range(0, length).Select(_ => (r.NextDouble() - 0.5) * Math.Pow(10, r.Next(-5, 6)))];
        double[] y = [.. Enumerable.Range(0, length).Select(_ => (r.NextDouble() - 0.5) * Math.Pow(10, r.Next(-5, 6)))];
        double a = Math.PI / 7;

        var axpy = (double[])y.Clone();
        Linpack.Axpy(a, x, axpy);
        var scaled = (double[])x.Clone();
        Linpack.Scale(scaled, a);
        for (int i = 0; i < length; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(y[i] + (a * x[i])), BitConverter.DoubleToInt64Bits(axpy[i]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(x[i] * a), BitConverter.DoubleToInt64Bits(scaled[i]));
        }
    }
}

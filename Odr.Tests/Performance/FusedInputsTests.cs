using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Odr.Tests.Support;

namespace Odr.Tests.Performance;

/// <summary>
/// With several inputs, DODMN's trial point and trial sum of squares form TSNORM, PNORM, Σ δᵀWD δ and
/// the linearized prediction in one pass over the observations, keeping the later inputs' and
/// responses' terms to sum after input 0's in ODRPACK's order. That must give the input-by-input
/// passes' sums to the bit: over random problems (m = 2..3, q = 1..3, explicit and implicit, shared,
/// per-observation, diagonal and full weights, fixed inputs, forward or central differences) every
/// iteration's predicted reduction and the whole output are the same either way.
/// </summary>
public class FusedInputsTests
{
    [Property(MaxTest = 80)]
    public Property OnePassSumsEqualInputByInputPassesBitForBit() => Prop.ForAll(Arbitraries.Seeds, seed =>
    {
        var problem = SimdKernelTests.RandomProblem(new Random(seed), minInputs: 2);
        var (fused, fusedSums) = Run(() => problem(_ => { }));
        var (plain, plainSums) = Run(() => problem(o => o.FuseInputs = false));
        if (fusedSums.Count == 0) return false.Label($"seed {seed}: no iterations");
        if (!fusedSums.SequenceEqual(plainSums)) return false.Label($"seed {seed}: predicted reductions, PNORM or tau differ");
        string? error = SimdKernelTests.Compare(fused, plain);
        return error is null ? true.ToProperty() : false.Label($"seed {seed}: {error}");
    });

    /// <summary>The output, and per iteration the bits of the predicted reduction, PNORM and the trust
    /// region's radius (which follows TSNORM).</summary>
    private static (Output Output, List<(long, long, long)> Sums) Run(Func<ODR> make)
    {
        var recorder = new IterationRecorder<(long, long, long)>(s =>
            (BitConverter.DoubleToInt64Bits(s.PredictedReduction), BitConverter.DoubleToInt64Bits(s.PNorm), BitConverter.DoubleToInt64Bits(s.Tau)));
        SolverAccess.RunWithObserver(make(), recorder);
        return (make().Run(), recorder.Rows);
    }
}

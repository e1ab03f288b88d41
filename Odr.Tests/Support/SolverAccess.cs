using System.Reflection;
using Odr.Core;

namespace Odr.Tests.Support;

/// <summary>Runs an <see cref="ODR"/>'s problem through the internal solver with a test observer
/// attached, the same way <see cref="ODR.Run"/> does (including the implicit penalty passes).</summary>
internal static class SolverAccess
{
    public static Solver RunWithObserver(ODR odr, IterationObserver observer)
    {
        const BindingFlags flags = BindingFlags.NonPublic | BindingFlags.Instance;
        var input = (SolverInput)typeof(ODR).GetMethod("BuildInput", flags)!.Invoke(odr, null)!;
        var solver = new Solver(input, odr.Model) { Observer = observer };
        solver.RunFit(odr.Beta0);
        return solver;
    }
}

/// <summary>An observer that records one value per iteration of the solver.</summary>
internal sealed class IterationRecorder<T>(Func<IterationSnapshot, T> record) : IterationObserver
{
    public List<T> Rows { get; } = new();

    public override void Initial(FitSnapshot start)
    {
    }

    public override void Iteration(IterationSnapshot iteration) => Rows.Add(record(iteration));

    public override void Final(FitSnapshot end)
    {
    }
}

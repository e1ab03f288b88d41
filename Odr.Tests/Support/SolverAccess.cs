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
        if (input.Fit == FitKind.ImplicitOdr) typeof(ODR).GetMethod("RunImplicit", flags)!.Invoke(odr, new object[] { solver, input });
        else solver.Run(odr.Beta0);
        return solver;
    }
}

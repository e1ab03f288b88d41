using FsCheck;
using FsCheck.Fluent;

namespace Odr.Tests.Support;

/// <summary>Generators shared by the property tests.</summary>
public static class Arbitraries
{
    /// <summary>Seeds for a test's own <see cref="Random"/>: a failing case is then replayed from the
    /// seed in its label.</summary>
    public static Arbitrary<int> Seeds => Arb.From(Gen.Choose(0, int.MaxValue - 1));
}

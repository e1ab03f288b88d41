using System.Reflection;
using Odr.Core;

namespace Odr.Tests.Performance;

/// <summary>
/// The package's ReadyToRun code is compiled for a baseline without AVX2, and the runtime refuses a
/// method's precompiled code on an AVX2 or AVX-512 machine when the method asks whether 256- or
/// 512-bit vectors are accelerated: it is then JIT-compiled in the first fit of a process and runs at
/// tier 0 in the fits after it (bench/README.md, "Cold start"). So only the wide kernels themselves
/// (methods of their own, named *Wide*, and the 4- and 8-lane bundles they run) and
/// <see cref="SimdWidths"/>, which reads the answer once, may ask; everything else reads SimdWidths. This scans the IL of every method of the library.
/// </summary>
public class ReadyToRunRuleTests
{
    [Fact]
    public void OnlyTheWideKernelsAskWhetherWideVectorsAreAccelerated()
    {
        var module = typeof(ODR).Assembly.ManifestModule;
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var askers = new List<string>();
        foreach (var type in typeof(ODR).Assembly.GetTypes())
        {
            foreach (MethodBase method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
            {
                byte[]? il = method.GetMethodBody()?.GetILAsByteArray();
                if (il is null || !AsksForWideVectors(module, il, method)) continue;
                bool allowed = method.Name.Contains("Wide", StringComparison.Ordinal) || type == typeof(SimdWidths) || type == typeof(Lane4) || type == typeof(Lane8);
                if (!allowed) askers.Add($"{type.FullName}.{method.Name}");
            }
        }
        Assert.True(askers.Count == 0, "These ask Vector256/Vector512.IsHardwareAccelerated themselves; read SimdWidths instead: " + string.Join(", ", askers));
    }

    /// <summary>Whether the IL calls Vector256.IsHardwareAccelerated or Vector512.IsHardwareAccelerated
    /// (a call opcode, 0x28, whose token resolves to either getter).</summary>
    private static bool AsksForWideVectors(Module module, byte[] il, MethodBase method)
    {
        for (int k = 0; k + 4 < il.Length; k++)
        {
            if (il[k] != 0x28) continue;
            int token = BitConverter.ToInt32(il, k + 1);
            if ((token >> 24) is not (0x0A or 0x06 or 0x2B)) continue; // MemberRef, MethodDef, MethodSpec
            MethodBase? callee;
            try
            {
                callee = module.ResolveMethod(token, method.DeclaringType?.GetGenericArguments(), method.IsGenericMethod ? method.GetGenericArguments() : null);
            }
            catch (ArgumentException)
            {
                continue;
            }
            if (callee is { Name: "get_IsHardwareAccelerated", DeclaringType.FullName: "System.Runtime.Intrinsics.Vector256" or "System.Runtime.Intrinsics.Vector512" }) return true;
        }
        return false;
    }
}

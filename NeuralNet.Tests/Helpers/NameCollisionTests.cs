using System.Numerics.Tensors;

namespace NeuralNet.Tests.Helpers;

/// <summary>NeuralNet's public type names do not collide with those of the libraries a user imports
/// beside it, so that <c>using NeuralNet;</c> and <c>using System.Numerics.Tensors;</c> (or
/// <c>using Odr;</c>) compile together without qualifying names.</summary>
public class NameCollisionTests
{
    // Odr's public types that a user of both libraries imports with `using Odr;` (Odr.Tests'
    // code-policy tests keep the Odr side documented; this list names the ones that once collided).
    private static readonly string[] OdrTypeNames = { "Model", "Data", "Output", "ODR", "Models", "NdArray", "RealData" };

    [Fact]
    public void NoPublicTypeNameIsAlsoInSystemNumericsTensorsOrOdr()
    {
        var mine = typeof(Network).Assembly.GetExportedTypes().Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var tensors = typeof(TensorPrimitives).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == "System.Numerics.Tensors").Select(t => t.Name);
        var clashes = mine.Intersect(tensors.Concat(OdrTypeNames)).OrderBy(n => n, StringComparer.Ordinal).ToList();
        Assert.True(clashes.Count == 0, "NeuralNet type names that collide: " + string.Join(", ", clashes));
    }

    [Fact]
    public void BothNamespacesCompileTogether()
    {
        // Would be CS0104 (ambiguous reference) if NeuralNet still had a Tensor type.
        var values = new DoubleTensor(2, 3);
        double sum = TensorPrimitives.Sum<double>(values.Data);
        Assert.Equal(0.0, sum);
        Assert.Equal([2, 3], values.Shape);
    }
}

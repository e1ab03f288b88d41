namespace NeuralNet.Layers;

/// <summary>Flattens all non-batch axes into one.</summary>
/// <param name="name">Optional name.</param>
public sealed class Flatten(string? name = null) : Layer(name, null)
{
    /// <inheritdoc/>
    protected override int[][] ComputeOutputShapes(int[][] inputShapes)
        => [[inputShapes[0].Any(s => s < 0) ? -1 : Tensor.SizeOf(inputShapes[0])]];

    /// <inheritdoc/>
    protected override bool ShapesCompatible(int[] built, int[] actual) => built.AsSpan().SequenceEqual(actual);

    /// <inheritdoc/>
    protected override Tensor[] ForwardCore(Tensor[] inputs, bool training, out object? cache)
    {
        Tensor x = inputs[0];
        cache = null;
        return [new Tensor((double[])x.Data.Clone(), x.Shape[0], x.Length / Math.Max(1, x.Shape[0]))];
    }

    /// <inheritdoc/>
    protected override Tensor[] BackwardCore(ForwardPass pass, IReadOnlyList<Tensor?> outputGradients)
    {
        Tensor x = pass.Inputs[0];
        return [outputGradients[0] is { } dy ? new Tensor((double[])dy.Data.Clone(), x.Shape) : new Tensor(x.Shape)];
    }
}

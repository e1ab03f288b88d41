namespace NeuralNet.Layers;

/// <summary>Flattens all non-batch axes into one.</summary>
/// <param name="name">Optional name.</param>
public sealed class Flatten(string? name = null) : Layer(name, null)
{
    /// <inheritdoc/>
    protected override int[][] ComputeOutputShapes(int[][] inputShapes)
        => [[inputShapes[0].Any(s => s < 0) ? -1 : DoubleTensor.SizeOf(inputShapes[0])]];

    /// <inheritdoc/>
    protected override bool ShapesCompatible(int[] built, int[] actual) => built.AsSpan().SequenceEqual(actual);

    /// <inheritdoc/>
    protected override DoubleTensor[] ForwardCore(DoubleTensor[] inputs, bool training, out object? cache)
    {
        DoubleTensor x = inputs[0];
        cache = null;
        return [new DoubleTensor((double[])x.Data.Clone(), x.Shape[0], x.Length / Math.Max(1, x.Shape[0]))];
    }

    /// <inheritdoc/>
    protected override DoubleTensor[] BackwardCore(ForwardPass pass, IReadOnlyList<DoubleTensor?> outputGradients)
    {
        DoubleTensor x = pass.Inputs[0];
        return [outputGradients[0] is { } dy ? new DoubleTensor((double[])dy.Data.Clone(), x.Shape) : new DoubleTensor(x.Shape)];
    }
}

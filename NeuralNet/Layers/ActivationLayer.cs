using NeuralNet.Activations;

namespace NeuralNet.Layers;

/// <summary>Applies an activation function on the last axis (Keras' Activation layer).</summary>
/// <param name="activation">The activation.</param>
/// <param name="name">Optional name.</param>
public sealed class ActivationLayer(Activation activation, string? name = null) : Layer(name, null)
{
    /// <summary>The activation.</summary>
    public Activation Activation { get; } = activation ?? throw new ArgumentNullException(nameof(activation));

    /// <inheritdoc/>
    protected override int[][] ComputeOutputShapes(int[][] inputShapes) => [(int[])inputShapes[0].Clone()];

    /// <inheritdoc/>
    protected override DoubleTensor[] ForwardCore(DoubleTensor[] inputs, bool training, out object? cache)
    {
        DoubleTensor x = inputs[0];
        var y = new DoubleTensor(x.Shape);
        Activation.Forward(x.Span, y.Span, x.Shape[^1]);
        cache = null;
        return [y];
    }

    /// <inheritdoc/>
    protected override DoubleTensor[] BackwardCore(ForwardPass pass, IReadOnlyList<DoubleTensor?> outputGradients)
    {
        DoubleTensor x = pass.Inputs[0];
        var dx = new DoubleTensor(x.Shape);
        if (outputGradients[0] is { } dy)
        {
            Activation.Backward(x.Span, pass.Outputs[0].Span, dy.Span, dx.Span, x.Shape[^1]);
        }

        return [dx];
    }
}

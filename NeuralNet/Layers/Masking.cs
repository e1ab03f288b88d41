namespace NeuralNet.Layers;

/// <summary>
/// Keras' <c>Masking</c>: a time step whose features all equal <see cref="MaskValue"/> is masked. The output is the input
/// with masked steps set to zero, and the mask goes on to the following layers (recurrent layers skip masked steps).
/// Input [batch, time, features].
/// </summary>
/// <param name="maskValue">The padding value (Keras' default 0).</param>
/// <param name="name">Optional name.</param>
public sealed class Masking(double maskValue = 0.0, string? name = null) : Layer(name, null)
{
    /// <summary>The padding value.</summary>
    public double MaskValue { get; } = maskValue;

    /// <inheritdoc/>
    protected override int[][] ComputeOutputShapes(int[][] inputShapes)
    {
        if (inputShapes.Length != 1 || inputShapes[0].Length < 2)
        {
            throw new ArgumentException("Masking expects one input [time, features].");
        }

        return [(int[])inputShapes[0].Clone()];
    }

    /// <inheritdoc/>
    protected override DoubleTensor[] ForwardCore(DoubleTensor[] inputs, bool training, out object? cache)
    {
        DoubleTensor x = inputs[0];
        int steps = x.Shape[0] * x.Shape[1];
        int width = x.Length / Math.Max(1, steps);
        var mask = new bool[steps];
        var y = new DoubleTensor(x.Shape);
        for (int s = 0; s < steps; s++)
        {
            ReadOnlySpan<double> row = x.Span.Slice(s * width, width);
            mask[s] = row.ContainsAnyExcept(MaskValue);
            if (mask[s])
            {
                row.CopyTo(y.Span.Slice(s * width, width));
            }
        }

        cache = mask;
        return [y];
    }

    /// <summary>The mask computed from the values (any incoming mask is replaced, as in Keras).</summary>
    /// <param name="inputs">The inputs.</param>
    /// <param name="masks">Their masks.</param>
    /// <param name="outputs">The outputs.</param>
    /// <returns>The computed mask.</returns>
    protected override bool[]?[] ComputeOutputMasks(DoubleTensor[] inputs, bool[]?[] masks, DoubleTensor[] outputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        DoubleTensor x = inputs[0];
        int steps = x.Shape[0] * x.Shape[1];
        int width = x.Length / Math.Max(1, steps);
        var mask = new bool[steps];
        for (int s = 0; s < steps; s++)
        {
            mask[s] = x.Span.Slice(s * width, width).ContainsAnyExcept(MaskValue);
        }

        return [mask];
    }

    /// <inheritdoc/>
    protected override DoubleTensor[] BackwardCore(ForwardPass pass, IReadOnlyList<DoubleTensor?> outputGradients)
    {
        DoubleTensor x = pass.Inputs[0];
        var dx = new DoubleTensor(x.Shape);
        if (outputGradients[0] is { } dy)
        {
            var mask = (bool[])pass.Cache!;
            int width = x.Length / Math.Max(1, mask.Length);
            for (int s = 0; s < mask.Length; s++)
            {
                if (mask[s])
                {
                    dy.Span.Slice(s * width, width).CopyTo(dx.Span.Slice(s * width, width));
                }
            }
        }

        return [dx];
    }
}

namespace NeuralNet.Layers;

/// <summary>Concatenates its inputs along the last axis; all other axes must agree.</summary>
/// <param name="name">Optional name.</param>
public sealed class Concatenate(string? name = null) : Layer(name, null)
{
    /// <inheritdoc/>
    protected override int[][] ComputeOutputShapes(int[][] inputShapes)
    {
        int[] first = inputShapes[0];
        foreach (int[] s in inputShapes)
        {
            if (s.Length != first.Length || !s.AsSpan(0, s.Length - 1).SequenceEqual(first.AsSpan(0, first.Length - 1)))
            {
                throw new ArgumentException("Concatenate needs inputs that differ only in the last axis.");
            }
        }

        int[] output = (int[])first.Clone();
        output[^1] = inputShapes.Sum(s => s[^1]);
        return [output];
    }

    /// <inheritdoc/>
    protected override bool ShapesCompatible(int[] built, int[] actual) => built[^1] == actual[^1];

    /// <inheritdoc/>
    protected override DoubleTensor[] ForwardCore(DoubleTensor[] inputs, bool training, out object? cache)
    {
        int total = 0;
        foreach (DoubleTensor t in inputs)
        {
            total += t.Shape[^1];
        }

        int rows = inputs[0].Length / inputs[0].Shape[^1];
        Span<int> shape = stackalloc int[inputs[0].Rank];
        inputs[0].Shape.CopyTo(shape);
        shape[^1] = total;
        DoubleTensor y = NewTensor(shape);
        int offset = 0;
        foreach (DoubleTensor t in inputs)
        {
            int n = t.Shape[^1];
            if (t.Length / n != rows)
            {
                throw new ArgumentException("Concatenate inputs disagree on the leading axes.");
            }

            for (int r = 0; r < rows; r++)
            {
                Array.Copy(t.Data, r * n, y.Data, (r * total) + offset, n);
            }

            offset += n;
        }

        cache = null;
        return [y];
    }

    /// <inheritdoc/>
    protected override DoubleTensor[] BackwardCore(ForwardPass pass, IReadOnlyList<DoubleTensor?> outputGradients)
    {
        var grads = new DoubleTensor[pass.Inputs.Count];
        for (int i = 0; i < grads.Length; i++)
        {
            grads[i] = NewTensor(pass.Inputs[i].Shape);
        }
        if (outputGradients[0] is not { } dy)
        {
            return grads;
        }

        int total = dy.Shape[^1];
        int rows = dy.Length / total;
        int offset = 0;
        foreach (DoubleTensor g in grads)
        {
            int n = g.Shape[^1];
            for (int r = 0; r < rows; r++)
            {
                Array.Copy(dy.Data, (r * total) + offset, g.Data, r * n, n);
            }

            offset += n;
        }

        return grads;
    }
}

namespace NeuralNet;

/// <summary>Helpers to convert weight arrays between Keras' and PyTorch's layouts.</summary>
public static class WeightLayout
{
    /// <summary>Transposes a rank-2 tensor.</summary>
    /// <param name="matrix">A [rows, cols] tensor.</param>
    /// <returns>The [cols, rows] transpose.</returns>
    public static DoubleTensor Transpose(DoubleTensor matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.Rank != 2)
        {
            throw new ArgumentException("Expected a rank-2 tensor.", nameof(matrix));
        }

        int rows = matrix.Shape[0], cols = matrix.Shape[1];
        var t = new DoubleTensor(cols, rows);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                t.Data[(j * rows) + i] = matrix.Data[(i * cols) + j];
            }
        }

        return t;
    }

    /// <summary>
    /// Reorders gate blocks along the last axis: block <c>k</c> of the result is block
    /// <c>order[k]</c> of the input. Works for kernels [n, g·u] and biases [g·u] or [r, g·u].
    /// </summary>
    /// <param name="t">The tensor whose last axis holds <c>order.Length</c> gate blocks.</param>
    /// <param name="order">Source block for each destination block.</param>
    /// <returns>A new tensor with reordered blocks.</returns>
    public static DoubleTensor ReorderGates(DoubleTensor t, params int[] order)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(order);
        int last = t.Shape[^1];
        int u = last / order.Length;
        int rows = t.Length / last;
        var result = new DoubleTensor(t.Shape);
        for (int r = 0; r < rows; r++)
        {
            for (int k = 0; k < order.Length; k++)
            {
                Array.Copy(t.Data, (r * last) + (order[k] * u), result.Data, (r * last) + (k * u), u);
            }
        }

        return result;
    }
}

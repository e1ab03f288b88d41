namespace NeuralNet;

/// <summary>Row-major flattening of multi-dimensional weight masks, with shape checks.</summary>
internal static class MaskLayout
{
    public static double[] Flatten(double[,] mask, int columns)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (mask.GetLength(1) != columns)
        {
            throw new ArgumentException($"The mask has {mask.GetLength(1)} columns; the layer has {columns} units.", nameof(mask));
        }

        var flat = new double[mask.Length];
        int n = 0;
        foreach (double m in mask)
        {
            flat[n++] = m;
        }

        return flat;
    }

    public static double[] Flatten(double[,,] mask, int kernelSize, int filters)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (mask.GetLength(0) != kernelSize || mask.GetLength(2) != filters)
        {
            throw new ArgumentException($"The mask has shape [{mask.GetLength(0)}, {mask.GetLength(1)}, {mask.GetLength(2)}]; the layer needs [{kernelSize}, in, {filters}].", nameof(mask));
        }

        var flat = new double[mask.Length];
        int n = 0;
        foreach (double m in mask)
        {
            flat[n++] = m;
        }

        return flat;
    }
}

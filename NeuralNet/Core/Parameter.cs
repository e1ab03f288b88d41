namespace NeuralNet;

/// <summary>
/// A trainable array of a layer (kernel, recurrent kernel or bias) with its gradient
/// and an optional fixed 0/1 mask. Masked entries stay zero: their gradient is exactly
/// zero and optimizers never move them.
/// </summary>
public sealed class Parameter
{
    private double[]? _mask;

    /// <summary>Creates a zero parameter of the given shape.</summary>
    /// <param name="name">A short name such as <c>kernel</c>.</param>
    /// <param name="shape">The Keras-layout shape.</param>
    public Parameter(string name, params int[] shape)
    {
        Name = name;
        Value = new DoubleTensor(shape);
        Gradient = new DoubleTensor(shape);
    }

    /// <summary>The short name such as <c>kernel</c>, <c>recurrent_kernel</c> or <c>bias</c>.</summary>
    public string Name { get; }

    /// <summary>The current values (Keras layout).</summary>
    public DoubleTensor Value { get; }

    /// <summary>The accumulated gradient of the loss with respect to <see cref="Value"/>.</summary>
    public DoubleTensor Gradient { get; }

    /// <summary>The shape.</summary>
    public int[] Shape => Value.Shape;

    /// <summary>The number of values.</summary>
    public int Length => Value.Length;

    /// <summary>The fixed 0/1 mask, or null when every entry is trainable.</summary>
    public ReadOnlySpan<double> Mask => _mask;

    /// <summary>True when a mask is set.</summary>
    public bool IsMasked => _mask is not null;

    /// <summary>Sets a fixed 0/1 mask and zeroes the masked values.</summary>
    /// <param name="mask">Values 0 or 1 in the same layout as <see cref="Value"/>; null removes the mask.</param>
    public void SetMask(double[]? mask)
    {
        if (mask is null)
        {
            _mask = null;
            return;
        }

        if (mask.Length != Length)
        {
            throw new ArgumentException($"Mask has {mask.Length} values, parameter {Name} has {Length}.", nameof(mask));
        }

        foreach (double m in mask)
        {
            if (m is not (0.0 or 1.0))
            {
                throw new ArgumentException("Mask values must be 0 or 1.", nameof(mask));
            }
        }

        _mask = (double[])mask.Clone();
        ApplyMask(Value.Span);
    }

    /// <summary>Sets a fixed 0/1 mask of a rank-2 parameter (a Dense kernel [in, units]) from a 2-D array.</summary>
    /// <param name="mask">Values 0 or 1, [rows, columns] as <see cref="Shape"/>.</param>
    public void SetMask(double[,] mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (Shape.Length != 2 || mask.GetLength(0) != Shape[0] || mask.GetLength(1) != Shape[1])
        {
            throw new ArgumentException($"Mask has shape [{mask.GetLength(0)}, {mask.GetLength(1)}], parameter {Name} has [{string.Join(", ", Shape)}].", nameof(mask));
        }

        SetMask(MaskLayout.Flatten(mask, Shape[1]));
    }

    /// <summary>Copies values in (masked entries become zero).</summary>
    /// <param name="values">Values in Keras layout.</param>
    public void SetValue(ReadOnlySpan<double> values)
    {
        if (values.Length != Length)
        {
            throw new ArgumentException($"Expected {Length} values for {Name}, got {values.Length}.", nameof(values));
        }

        values.CopyTo(Value.Span);
        ApplyMask(Value.Span);
    }

    /// <summary>Sets the gradient to zero.</summary>
    public void ZeroGradient() => Array.Clear(Gradient.Data);

    /// <summary>Multiplies <paramref name="values"/> elementwise by the mask when one is set.</summary>
    /// <param name="values">Values in the layout of this parameter.</param>
    public void ApplyMask(Span<double> values)
    {
        if (_mask is not null)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(values, _mask, values);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}[{string.Join(", ", Shape)}]";
}

namespace NeuralNet;

/// <summary>
/// A dense, row-major array of doubles with a shape. The first axis is the batch axis
/// for activations; weights use the Keras layout (see <see cref="Layer.GetWeights"/>).
/// </summary>
public sealed class DoubleTensor
{
    /// <summary>Creates a zero-filled tensor of the given shape.</summary>
    /// <param name="shape">The size of each axis.</param>
    public DoubleTensor(params int[] shape)
    {
        Shape = (int[])shape.Clone();
        Data = new double[SizeOf(shape)];
    }

    /// <summary>Wraps existing data (not copied) with a shape.</summary>
    /// <param name="data">Row-major values; its length must equal the product of the shape.</param>
    /// <param name="shape">The size of each axis.</param>
    public DoubleTensor(double[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length != SizeOf(shape))
        {
            throw new ArgumentException($"Data length {data.Length} does not match shape [{string.Join(", ", shape)}].", nameof(data));
        }

        Shape = (int[])shape.Clone();
        Data = data;
    }

    /// <summary>The row-major values.</summary>
    public double[] Data { get; }

    /// <summary>The size of each axis.</summary>
    public int[] Shape { get; }

    /// <summary>The number of axes.</summary>
    public int Rank => Shape.Length;

    /// <summary>The total number of values.</summary>
    public int Length => Data.Length;

    /// <summary>The values as a span.</summary>
    public Span<double> Span => Data;

    /// <summary>Gets or sets a value of a rank-2 tensor; every index is checked against its axis.</summary>
    /// <param name="i">Row.</param>
    /// <param name="j">Column.</param>
    /// <exception cref="InvalidOperationException">The tensor is not rank 2.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside its axis.</exception>
    public double this[int i, int j]
    {
        get => Data[Offset(i, j)];
        set => Data[Offset(i, j)] = value;
    }

    /// <summary>Gets or sets a value of a rank-3 tensor; every index is checked against its axis.</summary>
    /// <param name="i">First index.</param>
    /// <param name="j">Second index.</param>
    /// <param name="k">Third index.</param>
    /// <exception cref="InvalidOperationException">The tensor is not rank 3.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside its axis.</exception>
    public double this[int i, int j, int k]
    {
        get => Data[Offset(i, j, k)];
        set => Data[Offset(i, j, k)] = value;
    }

    // The public indexers check every axis: a flat offset alone would let a column index past the end of a
    // row land silently in the next row (another sample). Hot paths use Data/Span with their own loops.
    private int Offset(int i, int j)
    {
        if (Shape.Length != 2)
        {
            throw new InvalidOperationException($"A 2-D index needs a rank-2 tensor; this is {this}.");
        }

        CheckIndex(i, 0, nameof(i));
        CheckIndex(j, 1, nameof(j));
        return (i * Shape[1]) + j;
    }

    private int Offset(int i, int j, int k)
    {
        if (Shape.Length != 3)
        {
            throw new InvalidOperationException($"A 3-D index needs a rank-3 tensor; this is {this}.");
        }

        CheckIndex(i, 0, nameof(i));
        CheckIndex(j, 1, nameof(j));
        CheckIndex(k, 2, nameof(k));
        return (((i * Shape[1]) + j) * Shape[2]) + k;
    }

    private void CheckIndex(int index, int axis, string name)
    {
        if ((uint)index >= (uint)Shape[axis])
        {
            throw new ArgumentOutOfRangeException(name, index, $"Index {index} is outside axis {axis} of size {Shape[axis]} of {this}.");
        }
    }

    /// <summary>Creates a rank-2 tensor from a 2-D array.</summary>
    /// <param name="values">The values.</param>
    /// <returns>A new tensor with a copy of the values.</returns>
    public static DoubleTensor FromArray(double[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int rows = values.GetLength(0), cols = values.GetLength(1);
        var t = new DoubleTensor(rows, cols);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                t.Data[(i * cols) + j] = values[i, j];
            }
        }

        return t;
    }

    /// <summary>Creates a rank-3 tensor from a 3-D array.</summary>
    /// <param name="values">The values.</param>
    /// <returns>A new tensor with a copy of the values.</returns>
    public static DoubleTensor FromArray(double[,,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int a = values.GetLength(0), b = values.GetLength(1), c = values.GetLength(2);
        var t = new DoubleTensor(a, b, c);
        int n = 0;
        for (int i = 0; i < a; i++)
        {
            for (int j = 0; j < b; j++)
            {
                for (int k = 0; k < c; k++)
                {
                    t.Data[n++] = values[i, j, k];
                }
            }
        }

        return t;
    }

    /// <summary>Copies a rank-2 tensor into a 2-D array.</summary>
    /// <returns>The values as a 2-D array.</returns>
    public double[,] ToArray2D()
    {
        if (Rank != 2)
        {
            throw new InvalidOperationException("DoubleTensor is not rank 2.");
        }

        var result = new double[Shape[0], Shape[1]];
        for (int i = 0; i < Shape[0]; i++)
        {
            for (int j = 0; j < Shape[1]; j++)
            {
                result[i, j] = Data[(i * Shape[1]) + j];
            }
        }

        return result;
    }

    /// <summary>Returns a deep copy.</summary>
    /// <returns>A new tensor with copied data.</returns>
    public DoubleTensor Clone() => new((double[])Data.Clone(), Shape);

    /// <summary>Returns a tensor sharing this data with another shape of the same size.</summary>
    /// <param name="shape">The new shape.</param>
    /// <returns>A view with the new shape.</returns>
    public DoubleTensor Reshape(params int[] shape) => new(Data, shape);

    /// <summary>Selects rows (first-axis entries) into a new tensor.</summary>
    /// <param name="rows">Indices along the first axis.</param>
    /// <returns>A new tensor whose first axis has <c>rows.Count</c> entries.</returns>
    public DoubleTensor SelectRows(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int rowSize = Shape[0] == 0 ? 0 : Length / Shape[0];
        var shape = (int[])Shape.Clone();
        shape[0] = rows.Count;
        var result = new DoubleTensor(shape);
        for (int i = 0; i < rows.Count; i++)
        {
            Array.Copy(Data, rows[i] * rowSize, result.Data, i * rowSize, rowSize);
        }

        return result;
    }

    /// <summary>True when the shapes are equal.</summary>
    /// <param name="other">The other tensor.</param>
    /// <returns>Whether both shapes match.</returns>
    public bool SameShape(DoubleTensor other) => other is not null && Shape.AsSpan().SequenceEqual(other.Shape);

    /// <summary>The product of the sizes.</summary>
    /// <param name="shape">A shape.</param>
    /// <returns>The number of elements.</returns>
    public static int SizeOf(ReadOnlySpan<int> shape)
    {
        int n = 1;
        foreach (int s in shape)
        {
            if (s < 0)
            {
                throw new ArgumentException("Shape sizes must be non-negative.", nameof(shape));
            }

            n *= s;
        }

        return n;
    }

    /// <inheritdoc/>
    public override string ToString() => $"DoubleTensor[{string.Join(", ", Shape)}]";
}

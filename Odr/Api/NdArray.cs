using System.Globalization;

namespace Odr;

/// <summary>
/// A scalar or an array of rank 1 to 3, as numpy arguments are passed to scipy.odr: the shape decides
/// the meaning (for example a weight that is one number, one per observation, or a full matrix per
/// observation). Converts implicitly from <c>double</c>, <c>double[]</c>, <c>double[,]</c>,
/// <c>double[,,]</c>, <c>int[]</c> and <c>int[,]</c>. Values are stored in C (row-major) order.
/// </summary>
public sealed class NdArray
{
    private readonly double[] values;

    private NdArray(int[] shape, double[] values)
    {
        Shape = shape;
        this.values = values;
    }

    /// <summary>The dimensions; empty for a scalar.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>Number of dimensions (0 for a scalar).</summary>
    public int Rank => Shape.Count;

    /// <summary>Number of elements.</summary>
    public int Length => values.Length;

    /// <summary>The values in row-major order.</summary>
    public ReadOnlySpan<double> Values => values;

    /// <summary>The array behind <see cref="Values"/>, shared rather than copied where the library only
    /// reads it (an NdArray owns its values: nobody writes to them).</summary>
    internal double[] SharedValues => values;

    /// <summary>Element by flat row-major index.</summary>
    /// <param name="index">Flat index.</param>
    public double this[int index] => values[index];

    /// <summary>The shape as numpy prints it, e.g. "(2, 10)".</summary>
    public string ShapeText => Rank == 0 ? "()" : Rank == 1 ? $"({Shape[0]},)" : "(" + string.Join(", ", Shape) + ")";

    /// <summary>A scalar.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator NdArray(double value) => new(Array.Empty<int>(), new[] { value });

    /// <summary>A vector.</summary>
    /// <param name="values">The values.</param>
    public static implicit operator NdArray(double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new(new[] { values.Length }, (double[])values.Clone());
    }

    /// <summary>A matrix.</summary>
    /// <param name="values">The values.</param>
    public static implicit operator NdArray(double[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new(new[] { values.GetLength(0), values.GetLength(1) }, values.Cast<double>().ToArray());
    }

    /// <summary>A rank-3 array.</summary>
    /// <param name="values">The values.</param>
    public static implicit operator NdArray(double[,,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new(new[] { values.GetLength(0), values.GetLength(1), values.GetLength(2) }, values.Cast<double>().ToArray());
    }

    /// <summary>An integer vector (e.g. ifixx).</summary>
    /// <param name="values">The values.</param>
    public static implicit operator NdArray(int[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new(new[] { values.Length }, values.Select(v => (double)v).ToArray());
    }

    /// <summary>An integer matrix (e.g. ifixx).</summary>
    /// <param name="values">The values.</param>
    public static implicit operator NdArray(int[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new(new[] { values.GetLength(0), values.GetLength(1) }, values.Cast<int>().Select(v => (double)v).ToArray());
    }

    /// <summary>Creates an array from a shape and row-major values.</summary>
    /// <param name="shape">The dimensions.</param>
    /// <param name="values">The values, row-major.</param>
    /// <exception cref="ArgumentException">A dimension is negative, the rank exceeds 3, the shape holds
    /// more values than an array can, or <paramref name="values"/> has another length.</exception>
    public static NdArray FromShape(int[] shape, double[] values)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(values);
        if (shape.Length > 3) throw new ArgumentException($"An NdArray has rank 0 to 3; shape ({string.Join(", ", shape)}) has rank {shape.Length}.", nameof(shape));
        long count = 1;
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] < 0) throw new ArgumentOutOfRangeException(nameof(shape), $"Shape ({string.Join(", ", shape)}) has the negative dimension {shape[d]}.");
            count *= shape[d];
            if (count > Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(shape), $"Shape ({string.Join(", ", shape)}) holds more than {Array.MaxLength} values.");
        }
        if (count != values.Length) throw new ArgumentException($"Shape ({string.Join(", ", shape)}) needs {count} values, got {values.Length}.", nameof(values));
        return new((int[])shape.Clone(), (double[])values.Clone());
    }

    /// <summary>An array over values the library has just computed and hands over (no copy, unlike
    /// <see cref="FromShape"/>): the caller keeps no reference to write through.</summary>
    internal static NdArray Owning(int[] shape, double[] values) => new(shape, values);

    /// <summary>Throws an <see cref="ArgumentException"/> naming <paramref name="name"/> when any value is NaN or infinite.</summary>
    internal void RequireFinite(string name)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{name} contains {values[i]} at flat index {i}; every value must be finite."), name);
            }
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"NdArray{ShapeText}";
}

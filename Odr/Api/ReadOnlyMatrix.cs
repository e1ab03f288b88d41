using System.Collections;
using System.Runtime.InteropServices;

namespace Odr;

/// <summary>
/// A read-only view of a result matrix of an <see cref="Output"/> (for example <see cref="Output.Delta"/>,
/// [m, n]): indexed and sized as the <c>double[,]</c> it wraps (<c>a[row, column]</c>,
/// <see cref="GetLength(int)"/>), without a way to write it, so that an output stays what the fit
/// returned. Reading costs what reading the array costs; <see cref="ToArray"/> (or the implicit
/// conversion to <c>double[,]</c>) makes a copy of one's own.
/// </summary>
public sealed class ReadOnlyMatrix : IEnumerable<double>
{
    private readonly double[,] values;

    /// <summary>Wraps <paramref name="values"/>, which the caller hands over: nobody else may write it.</summary>
    internal ReadOnlyMatrix(double[,] values)
    {
        this.values = values;
    }

    /// <summary>The element in row <paramref name="row"/> and column <paramref name="column"/>.</summary>
    /// <param name="row">The row.</param>
    /// <param name="column">The column.</param>
    public double this[int row, int column] => values[row, column];

    /// <summary>Number of rows (the first dimension).</summary>
    public int Rows => values.GetLength(0);

    /// <summary>Number of columns (the second dimension).</summary>
    public int Columns => values.GetLength(1);

    /// <summary>Number of elements, rows × columns.</summary>
    public int Length => values.Length;

    /// <summary>The size of dimension 0 (rows) or 1 (columns), as <see cref="Array.GetLength(int)"/>.</summary>
    /// <param name="dimension">0 or 1.</param>
    public int GetLength(int dimension) => values.GetLength(dimension);

    /// <summary>Row <paramref name="row"/> as a read-only span (no copy).</summary>
    /// <param name="row">The row.</param>
    public ReadOnlySpan<double> Row(int row)
    {
        if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"The matrix has {Rows} rows.");
        int columns = Columns;
        return columns == 0 ? ReadOnlySpan<double>.Empty : MemoryMarshal.CreateReadOnlySpan(ref values[row, 0], columns);
    }

    /// <summary>A copy of the matrix that the caller owns.</summary>
    public double[,] ToArray() => (double[,])values.Clone();

    /// <summary>A copy of the matrix (as <see cref="ToArray"/>), so code written for <c>double[,]</c>
    /// keeps working on a copy of its own.</summary>
    /// <param name="matrix">The matrix.</param>
    public static implicit operator double[,](ReadOnlyMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return matrix.ToArray();
    }

    /// <summary>The elements in row-major order, as <c>foreach</c> over a <c>double[,]</c> gives them.</summary>
    public IEnumerator<double> GetEnumerator()
    {
        foreach (double v in values) yield return v;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

namespace Odr.Core;

/// <summary>
/// A weight (or weight-factor) matrix per observation in any of ODRPACK's shapes: one scalar, one
/// diagonal shared by all observations, one diagonal per observation, one full matrix shared, or one
/// full matrix per observation. Blocks are <see cref="Dimension"/>-square; full blocks are stored
/// row-major, diagonal blocks as their diagonal only.
/// </summary>
internal sealed class BlockWeights
{
    private readonly double[] values;

    public BlockWeights(int dimension, bool diagonal, bool shared, double[] values)
    {
        Dimension = dimension;
        IsDiagonal = diagonal;
        IsShared = shared;
        this.values = values;
        BlockSize = diagonal ? dimension : dimension * dimension;
    }

    public int Dimension { get; }

    public bool IsDiagonal { get; }

    public bool IsShared { get; }

    public int BlockSize { get; }

    /// <summary>The stored blocks, for hot loops that index them directly (see <see cref="Offset"/>).</summary>
    public double[] Values => values;

    /// <summary>Where the block of one observation starts in <see cref="Values"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public int Offset(int observation) => IsShared ? 0 : observation * BlockSize;

    public static BlockWeights Identity(int dimension) =>
        new(dimension, diagonal: true, shared: true, Filled(dimension, 1.0));

    /// <summary>An array of <paramref name="length"/> copies of <paramref name="value"/>.</summary>
    public static double[] Filled(int length, double value)
    {
        var a = new double[length];
        ArrayLoops.Fill(a, value);
        return a;
    }

    public ReadOnlySpan<double> Block(int observation) =>
        IsShared ? values.AsSpan(0, BlockSize) : values.AsSpan(observation * BlockSize, BlockSize);

    /// <summary>Entry (row, col) of the block of one observation.</summary>
    public double Entry(int observation, int row, int col)
    {
        var b = Block(observation);
        if (IsDiagonal) return row == col ? b[row] : 0.0;
        return b[row * Dimension + col];
    }

    /// <summary>dst = W_i v. dst must not overlap v.</summary>
    public void Multiply(int observation, ReadOnlySpan<double> v, Span<double> dst)
    {
        var b = Block(observation);
        for (int r = 0; r < Dimension; r++) dst[r] = RowTimes(b, r, v);
    }

    /// <summary>Element <paramref name="row"/> of W_i v (what <see cref="Multiply"/> writes there).</summary>
    public double MultiplyRow(int observation, int row, ReadOnlySpan<double> v) => RowTimes(Block(observation), row, v);

    /// <summary>Row <paramref name="row"/> of one observation's block times v.</summary>
    private double RowTimes(ReadOnlySpan<double> block, int row, ReadOnlySpan<double> v)
    {
        if (IsDiagonal) return block[row] * v[row];
        int d = Dimension;
        double s = 0;
        for (int c = 0; c < d; c++) s += block[row * d + c] * v[c];
        return s;
    }

    /// <summary>vᵀ W_i v.</summary>
    public double QuadraticForm(int observation, ReadOnlySpan<double> v)
    {
        var b = Block(observation);
        int d = Dimension;
        double s = 0;
        if (IsDiagonal)
        {
            for (int l = 0; l < d; l++) s += b[l] * v[l] * v[l];
            return s;
        }
        for (int r = 0; r < d; r++)
        {
            double t = 0;
            for (int c = 0; c < d; c++) t += b[r * d + c] * v[c];
            s += v[r] * t;
        }
        return s;
    }

    /// <summary>Applies W_i to every column of a d×cols row-major block in place (column k is the
    /// vector block[l*cols + k], l = 0..d-1).</summary>
    public void MultiplyColumns(int observation, Span<double> block, int cols, Span<double> scratch)
    {
        var b = Block(observation);
        int d = Dimension;
        if (IsDiagonal)
        {
            for (int l = 0; l < d; l++)
            {
                double w = b[l];
                var row = block.Slice(l * cols, cols);
                for (int k = 0; k < cols; k++) row[k] *= w;
            }
            return;
        }
        for (int k = 0; k < cols; k++)
        {
            for (int l = 0; l < d; l++) scratch[l] = block[l * cols + k];
            for (int r = 0; r < d; r++)
            {
                double s = 0;
                for (int c = 0; c < d; c++) s += b[r * d + c] * scratch[c];
                block[r * cols + k] = s;
            }
        }
    }
}

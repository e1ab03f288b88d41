using System.Numerics.Tensors;

namespace NeuralNet;

/// <summary>Row-major matrix kernels on spans used by the layers. None of them allocate.</summary>
internal static class Kernels
{
    /// <summary>c[m, n] += a[m, k] · b[k, n].</summary>
    public static void MatMulAdd(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int k, int n)
    {
        for (int i = 0; i < m; i++)
        {
            Span<double> cRow = c.Slice(i * n, n);
            ReadOnlySpan<double> aRow = a.Slice(i * k, k);
            for (int p = 0; p < k; p++)
            {
                double aip = aRow[p];
                if (aip != 0.0)
                {
                    TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), aip, cRow, cRow);
                }
            }
        }
    }

    /// <summary>c[m, k] += a[m, n] · b[k, n]ᵀ.</summary>
    public static void MatMulTransposedBAdd(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int n, int k)
    {
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<double> aRow = a.Slice(i * n, n);
            Span<double> cRow = c.Slice(i * k, k);
            for (int p = 0; p < k; p++)
            {
                cRow[p] += TensorPrimitives.Dot(aRow, b.Slice(p * n, n));
            }
        }
    }

    /// <summary>c[k, n] += a[m, k]ᵀ · b[m, n].</summary>
    public static void MatMulTransposedAAdd(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int k, int n)
    {
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<double> aRow = a.Slice(i * k, k);
            ReadOnlySpan<double> bRow = b.Slice(i * n, n);
            for (int p = 0; p < k; p++)
            {
                double aip = aRow[p];
                if (aip != 0.0)
                {
                    Span<double> cRow = c.Slice(p * n, n);
                    TensorPrimitives.MultiplyAdd(bRow, aip, cRow, cRow);
                }
            }
        }
    }

    /// <summary>Adds <paramref name="bias"/> to every row of <paramref name="c"/>.</summary>
    public static void AddRowVector(Span<double> c, ReadOnlySpan<double> bias, int rows)
    {
        int n = bias.Length;
        for (int i = 0; i < rows; i++)
        {
            Span<double> row = c.Slice(i * n, n);
            TensorPrimitives.Add(row, bias, row);
        }
    }

    /// <summary>Adds the column sums of <paramref name="a"/> (rows × n) into <paramref name="sums"/>.</summary>
    public static void AddColumnSums(ReadOnlySpan<double> a, Span<double> sums, int rows)
    {
        int n = sums.Length;
        for (int i = 0; i < rows; i++)
        {
            TensorPrimitives.Add(a.Slice(i * n, n), sums, sums);
        }
    }

    /// <summary>exp(x) − 1 with full relative accuracy near zero (Kahan's trick).</summary>
    public static double ExpM1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1.0)
        {
            return x;
        }

        double um1 = u - 1.0;
        if (um1 == -1.0 || double.IsInfinity(u))
        {
            return um1;
        }

        return um1 * x / Math.Log(u);
    }

    /// <summary>log(1 + x) with full relative accuracy near zero.</summary>
    public static double Log1P(double x)
    {
        double u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }
}

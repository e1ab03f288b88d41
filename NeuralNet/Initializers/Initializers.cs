namespace NeuralNet.Initializers;

/// <summary>Keras' default weight initializers, drawn from a seeded <see cref="Random"/>.</summary>
public static class WeightInitializers
{
    /// <summary>Glorot (Xavier) uniform: U(−l, l) with l = √(6 / (fan_in + fan_out)).</summary>
    /// <param name="values">Receives the values.</param>
    /// <param name="fanIn">Inputs per unit (times the kernel size for convolutions).</param>
    /// <param name="fanOut">Outputs per input (times the kernel size for convolutions).</param>
    /// <param name="random">Source of randomness.</param>
    public static void GlorotUniform(Span<double> values, int fanIn, int fanOut, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double limit = Math.Sqrt(6.0 / Math.Max(1, fanIn + fanOut));
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = ((2.0 * random.NextDouble()) - 1.0) * limit;
        }
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    /// <param name="random">Source of randomness.</param>
    /// <returns>A sample of N(0, 1).</returns>
    public static double StandardNormal(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>
    /// Orthogonal initializer as in Keras: a [rows, cols] matrix whose rows (if rows ≤ cols)
    /// or columns (otherwise) are orthonormal, from the QR decomposition of a normal matrix.
    /// </summary>
    /// <param name="values">Receives rows × cols values, row-major.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="cols">Number of columns.</param>
    /// <param name="random">Source of randomness.</param>
    /// <param name="gain">Multiplier.</param>
    public static void Orthogonal(Span<double> values, int rows, int cols, Random random, double gain = 1.0)
    {
        int n = Math.Max(rows, cols), m = Math.Min(rows, cols);
        var a = new double[n * m]; // n × m, columns to orthonormalize
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = StandardNormal(random);
        }

        // Modified Gram–Schmidt on the m columns of a; the sign convention matches q·sign(diag(r)).
        for (int j = 0; j < m; j++)
        {
            for (int k = 0; k < j; k++)
            {
                double dot = 0.0;
                for (int i = 0; i < n; i++)
                {
                    dot += a[(i * m) + j] * a[(i * m) + k];
                }

                for (int i = 0; i < n; i++)
                {
                    a[(i * m) + j] -= dot * a[(i * m) + k];
                }
            }

            double norm = 0.0;
            for (int i = 0; i < n; i++)
            {
                norm += a[(i * m) + j] * a[(i * m) + j];
            }

            norm = Math.Sqrt(norm);
            for (int i = 0; i < n; i++)
            {
                a[(i * m) + j] /= norm;
            }
        }

        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                // rows >= cols: q is rows × cols directly; otherwise the transpose of the cols × rows q.
                values[(r * cols) + c] = gain * (rows >= cols ? a[(r * m) + c] : a[(c * m) + r]);
            }
        }
    }
}

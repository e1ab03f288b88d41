namespace Odr;

/// <summary>
/// Ready-made models with analytic Jacobians, with scipy.odr's formulas and parameter order
/// (<c>scipy.odr.unilinear</c>, <c>multilinear</c>, <c>exponential</c>, <c>quadratic</c>,
/// <c>polynomial</c>). As in scipy, the analytic Jacobians are used only when the job asks for them
/// (<c>SetJob(deriv: 2)</c> or 3); otherwise ODRPACK uses finite differences.
/// </summary>
public static class Models
{
    /// <summary>y = B0·x + B1.</summary>
    public static Model Unilinear { get; } = new(
        (b, x, f) =>
        {
            for (int i = 0; i < x.Length; i++) f[i] = x[i] * b[0] + b[1];
        },
        (b, x, j) =>
        {
            for (int i = 0; i < x.Length; i++)
            {
                j[2 * i] = x[i];
                j[2 * i + 1] = 1.0;
            }
        },
        (b, x, j) =>
        {
            for (int i = 0; i < x.Length; i++) j[i] = b[0];
        })
    { IsThreadSafe = true, Name = "Univariate linear: y = B0*x + B1" };

    /// <summary>y = B0 + Σⱼ B(j+1)·xⱼ for m inputs (m + 1 parameters).</summary>
    public static Model Multilinear { get; } = new(
        (b, x, f) =>
        {
            int m = b.Length - 1;
            int n = x.Length / m;
            for (int i = 0; i < n; i++)
            {
                // scipy: a + (x*b).sum(axis=0) — the sum first, then the intercept.
                double s = 0;
                for (int k = 0; k < m; k++) s += x[i * m + k] * b[k + 1];
                f[i] = b[0] + s;
            }
        },
        (b, x, j) =>
        {
            int p = b.Length, m = p - 1;
            int n = x.Length / m;
            for (int i = 0; i < n; i++)
            {
                j[i * p] = 1.0;
                for (int k = 0; k < m; k++) j[i * p + k + 1] = x[i * m + k];
            }
        },
        (b, x, j) =>
        {
            int m = b.Length - 1;
            int n = x.Length / m;
            for (int i = 0; i < n; i++)
            {
                for (int k = 0; k < m; k++) j[i * m + k] = b[k + 1];
            }
        })
    { IsThreadSafe = true, Name = "Arbitrary-dimensional linear: y = B0 + sum(B[1:] * x)" };

    /// <summary>y = B0 + exp(B1·x).</summary>
    public static Model Exponential { get; } = new(
        (b, x, f) =>
        {
            for (int i = 0; i < x.Length; i++) f[i] = b[0] + Math.Exp(b[1] * x[i]);
        },
        (b, x, j) =>
        {
            for (int i = 0; i < x.Length; i++)
            {
                j[2 * i] = 1.0;
                j[2 * i + 1] = x[i] * Math.Exp(b[1] * x[i]);
            }
        },
        (b, x, j) =>
        {
            for (int i = 0; i < x.Length; i++) j[i] = b[1] * Math.Exp(b[1] * x[i]);
        })
    { IsThreadSafe = true, Name = "Exponential: y = B0 + exp(B1*x)" };

    /// <summary>y = B0·x² + B1·x + B2.</summary>
    public static Model Quadratic { get; } = new(
        (b, x, f) =>
        {
            for (int i = 0; i < x.Length; i++) f[i] = x[i] * (x[i] * b[0] + b[1]) + b[2];
        },
        (b, x, j) =>
        {
            for (int i = 0; i < x.Length; i++)
            {
                j[3 * i] = x[i] * x[i];
                j[3 * i + 1] = x[i];
                j[3 * i + 2] = 1.0;
            }
        },
        (b, x, j) =>
        {
            for (int i = 0; i < x.Length; i++) j[i] = 2 * b[0] * x[i] + b[1];
        })
    { IsThreadSafe = true, Name = "Quadratic: y = B0*x**2 + B1*x + B2" };

    /// <summary>y = B0 + Σₖ B(k)·x^k for k = 1..order (order + 1 parameters), as scipy's polynomial(order).</summary>
    /// <param name="order">The degree, at least 1.</param>
    public static Model Polynomial(int order)
    {
        if (order < 1) throw new ArgumentOutOfRangeException(nameof(order), order, "The polynomial order must be at least 1.");
        return Polynomial(Enumerable.Range(1, order).ToArray());
    }

    /// <summary>y = B0 + Σₖ B(k)·x^powers[k-1], as scipy's polynomial(powers) with explicit powers.</summary>
    /// <param name="powers">The powers of x, e.g. {1, 2, 5}.</param>
    public static Model Polynomial(int[] powers)
    {
        ArgumentNullException.ThrowIfNull(powers);
        if (powers.Length == 0) throw new ArgumentException("At least one power is needed.", nameof(powers));
        var pw = (int[])powers.Clone();
        int p = pw.Length + 1;
        return new Model(
            (b, x, f) =>
            {
                for (int i = 0; i < x.Length; i++)
                {
                    double s = 0;
                    for (int k = 0; k < pw.Length; k++) s += b[k + 1] * Math.Pow(x[i], pw[k]);
                    f[i] = b[0] + s;
                }
            },
            (b, x, j) =>
            {
                for (int i = 0; i < x.Length; i++)
                {
                    j[i * p] = 1.0;
                    for (int k = 0; k < pw.Length; k++) j[i * p + k + 1] = Math.Pow(x[i], pw[k]);
                }
            },
            (b, x, j) =>
            {
                for (int i = 0; i < x.Length; i++)
                {
                    double s = 0;
                    for (int k = 0; k < pw.Length; k++) s += pw[k] * b[k + 1] * Math.Pow(x[i], pw[k] - 1);
                    j[i] = s;
                }
            })
        { IsThreadSafe = true, Name = $"Polynomial: y = B0 + sum(B[k] * x**powers), powers = [{string.Join(", ", pw)}]" };
    }
}

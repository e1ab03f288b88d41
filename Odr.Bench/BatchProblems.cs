namespace Odr.Bench;

/// <summary>One Gaussian peak per pixel: many small independent fits.</summary>
public static class BatchProblems
{
    /// <summary>Builds <paramref name="count"/> fits of <paramref name="points"/> points each.</summary>
    public static BatchItem[] Create(int count, int points)
    {
        var rng = new Random(7);
        var model = new Model((b, x) => b[0] * Math.Exp(-0.5 * ((x - b[1]) / b[2]) * ((x - b[1]) / b[2])) + b[3]);
        var items = new BatchItem[count];
        for (int c = 0; c < count; c++)
        {
            double a = 1 + rng.NextDouble(), mu = 4 + 2 * rng.NextDouble(), sigma = 0.8 + 0.4 * rng.NextDouble(), off = 0.1 * rng.NextDouble();
            var x = new double[points];
            var y = new double[points];
            for (int i = 0; i < points; i++)
            {
                double t = 10.0 * i / (points - 1);
                x[i] = t + 0.01 * (2 * rng.NextDouble() - 1);
                double z = (t - mu) / sigma;
                y[i] = a * Math.Exp(-0.5 * z * z) + off + 0.02 * (2 * rng.NextDouble() - 1);
            }
            items[c] = new BatchItem(new Data(x, y), model, new[] { 1.2, 5.0, 1.0, 0.0 });
        }
        return items;
    }
}

using NeuralNet.Activations;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// The vectorized tanh and the tanh/sigmoid derivatives of the span methods against the C library's Math.Tanh and
/// Math.Exp per value (an independent implementation), and a value's result does not depend on its neighbours.
/// </summary>
public class VectorizedActivationTests
{
    private static double Ulps(double actual, double expected)
        => actual == expected ? 0.0 : Math.Abs(actual - expected) / (Math.BitIncrement(Math.Abs(expected)) - Math.Abs(expected));

    private static double[] Sample(int seed)
    {
        // Every scale from subnormal to overflow, both signs, and a dense sweep around the series/exp switch at 0.5.
        var random = new Random(seed);
        var x = new List<double>();
        for (int p = -320; p <= 3; p++)
        {
            for (int k = 0; k < 40; k++)
            {
                double v = (1.0 + random.NextDouble()) * Math.Pow(10.0, p);
                x.Add(random.Next(2) == 0 ? v : -v);
            }
        }

        for (int k = 0; k < 4000; k++)
        {
            x.Add(0.3 + (0.3 * random.NextDouble()));
            x.Add((40.0 * random.NextDouble()) - 20.0);
        }

        x.AddRange([0.0, -0.0, 0.5, -0.5, Math.BitDecrement(0.5), 354.0, 355.0, 700.0, 710.0, 1e300]);
        return [.. x];
    }

    [Fact]
    public void TanhIsWithinFourUlpOfMathTanh()
    {
        double[] x = Sample(1);
        var y = new double[x.Length];
        new Tanh().Forward(x, y, x.Length);
        double worst = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            double expected = Math.Tanh(x[i]);
            Assert.Equal(double.IsNegative(expected), double.IsNegative(y[i]));
            worst = Math.Max(worst, Ulps(y[i], expected));
        }

        // Measured: 3 ulp (Math.Tanh is within about 1.5 ulp itself); the bound leaves one for other vector widths.
        Assert.True(worst <= 4.0, $"{worst} ulp");
    }

    [Fact]
    public void DerivativesAreWithinSixUlpOfTheirDefinitionWithMathExp()
    {
        double[] x = Sample(2);
        double[] dy = [.. x.Select((_, i) => 1.0 + (i % 7 * 0.125))];
        var dTanh = new double[x.Length];
        var dSigmoid = new double[x.Length];
        new Tanh().Backward(x, new double[x.Length], dy, dTanh, x.Length);
        new Sigmoid().Backward(x, new double[x.Length], dy, dSigmoid, x.Length);
        double worstTanh = 0.0, worstSigmoid = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            // sech²(x) = 4e/(1 + e)² with e = e^{−2|x|}; σ'(x) = e/(1 + e)² with e = e^{−|x|}.
            double e2 = Math.Exp(-2.0 * Math.Abs(x[i])), e1 = Math.Exp(-Math.Abs(x[i]));
            double tanhPrime = dy[i] * (4.0 * e2 / ((1.0 + e2) * (1.0 + e2)));
            double sigmoidPrime = dy[i] * (e1 / ((1.0 + e1) * (1.0 + e1)));
            if (tanhPrime >= 1e-300)
            {
                worstTanh = Math.Max(worstTanh, Ulps(dTanh[i], tanhPrime));
            }
            else
            {
                Assert.True(Math.Abs(dTanh[i] - tanhPrime) <= 1e-300, $"tanh'({x[i]})");
            }

            if (sigmoidPrime >= 1e-300)
            {
                worstSigmoid = Math.Max(worstSigmoid, Ulps(dSigmoid[i], sigmoidPrime));
            }
            else
            {
                Assert.True(Math.Abs(dSigmoid[i] - sigmoidPrime) <= 1e-300, $"σ'({x[i]})");
            }
        }

        // Measured: 4 ulp (exp's 2 ulp and four roundings on each side).
        Assert.True(worstTanh <= 6.0 && worstSigmoid <= 6.0, $"tanh' {worstTanh} ulp, σ' {worstSigmoid} ulp");
    }

    [Fact]
    public void SpecialValuesAreThoseOfMathTanh()
    {
        double[] x = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 0.0, double.Epsilon, -double.Epsilon];
        var y = new double[x.Length];
        new Tanh().Forward(x, y, x.Length);
        Assert.Equal(x.Select(Math.Tanh), y);
        Assert.True(double.IsNegative(y[3]));
    }

    [Fact]
    public void AValueGetsTheSameResultWhateverItsNeighboursAndPosition()
    {
        // Huge or NaN padding values next to real ones (a masked step's garbage) and any span length or offset.
        var random = new Random(3);
        double[] values = [.. Enumerable.Range(0, 37).Select(_ => (6.0 * random.NextDouble()) - 3.0)];
        var alone = new double[values.Length];
        var dAlone = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            new Tanh().Forward(values.AsSpan(i, 1), alone.AsSpan(i, 1), 1);
            new Sigmoid().Backward(values.AsSpan(i, 1), new double[1], [1.0], dAlone.AsSpan(i, 1), 1);
        }

        foreach (double garbage in new[] { 1e6, -1e6, double.NaN, 400.0 })
        {
            double[] mixed = [.. values.SelectMany((v, i) => i % 3 == 0 ? new[] { garbage, v } : [v])];
            var y = new double[mixed.Length];
            var d = new double[mixed.Length];
            new Tanh().Forward(mixed, y, mixed.Length);
            new Sigmoid().Backward(mixed, new double[mixed.Length], [.. Enumerable.Repeat(1.0, mixed.Length)], d, mixed.Length);
            double[] kept = [.. y.Where((_, j) => !IsGarbage(mixed, j, garbage))];
            double[] dKept = [.. d.Where((_, j) => !IsGarbage(mixed, j, garbage))];
            Assert.Equal(alone, kept);
            Assert.Equal(dAlone, dKept);
        }
    }

    private static bool IsGarbage(double[] mixed, int j, double garbage)
        => double.IsNaN(garbage) ? double.IsNaN(mixed[j]) : mixed[j] == garbage;
}

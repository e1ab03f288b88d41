namespace NeuralNet.Tests.Helpers;

/// <summary>Bounded random tensors for tests.</summary>
internal static class TestRandom
{
    public static double Uniform(Random random, double low, double high) => low + ((high - low) * random.NextDouble());

    public static DoubleTensor DoubleTensor(Random random, double scale, params int[] shape)
    {
        var t = new NeuralNet.DoubleTensor(shape);
        for (int i = 0; i < t.Length; i++)
        {
            t.Data[i] = Uniform(random, -scale, scale);
        }

        return t;
    }

    /// <summary>Replaces every weight of a layer with U(−scale, scale) values.</summary>
    public static void RandomizeWeights(Layer layer, Random random, double scale = 0.7)
    {
        foreach (Parameter p in layer.Parameters)
        {
            var values = new double[p.Length];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = Uniform(random, -scale, scale);
            }

            p.SetValue(values);
        }
    }
}

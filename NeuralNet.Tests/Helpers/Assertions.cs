namespace NeuralNet.Tests.Helpers;

internal static class Assertions
{
    public static void AllClose(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double tolerance, string what = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double scale = Math.Max(1.0, Math.Abs(expected[i]));
            if (!(Math.Abs(expected[i] - actual[i]) <= tolerance * scale))
            {
                Assert.Fail($"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
            }
        }
    }
}

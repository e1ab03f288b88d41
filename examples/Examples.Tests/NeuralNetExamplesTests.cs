using System.Globalization;

namespace Examples.Tests;

/// <summary>Runs every example of examples/NeuralNet.Examples in-process and checks what it prints.</summary>
public class NeuralNetExamplesTests
{
    private static string Run(params string[] args)
    {
        var output = new StringWriter(CultureInfo.InvariantCulture);
        int code = global::Program.Run(args, output);
        string text = output.ToString();
        Assert.True(code == 0, text);
        return text;
    }

    [Fact]
    public void SimpleRnnHasKerasWeightLayout()
    {
        string text = Run("4");
        Assert.Contains("=== Example 4 ===", text);
        Assert.Contains("SimpleRNN(3) with input dim 1 has 3 weight arrays:", text);
        Assert.Matches(@"kernel\s+shape \[1, 3\]", text);
        Assert.Matches(@"recurrent_kernel\s+shape \[3, 3\]", text);
        Assert.Contains("bias             shape [3]: [0.0000, 0.0000, 0.0000]", text);
    }

    [Fact]
    public void SharedConvLstmTrainsOverFiveInputs()
    {
        string text = Run("5");
        Assert.Contains("4 distinct layers, 699 weights (conv and LSTM shared by 5 inputs)", text);
        Assert.Contains("valid acc", text);
        // Eight epochs; the validation accuracy of the last one is printed in its row.
        double[] accuracies = Check.Numbers(text, @"\n\s+[1-8]\s+[0-9.]+\s+[0-9.]+\s+[0-9.]+\s+([0-9.]+)\s");
        Assert.Equal(8, accuracies.Length);
        Assert.True(accuracies[^1] >= 0.8, $"final validation accuracy {accuracies[^1]}");
    }

    [Fact]
    public void ReluDerivativeAtZeroMattersOnlyAtExactZeros()
    {
        string text = Run("6");
        int split = text.IndexOf("Data with an exactly zero pre-activation:", StringComparison.Ordinal);
        Assert.True(split > 0, text);
        double[] random = Check.Numbers(text[..split], @"\|\s+= ([0-9.E+-]+)");
        double[] zero = Check.Numbers(text[split..], @"\|\s+= ([0-9.E+-]+)");
        Assert.Equal(new[] { 0.0, 0.0 }, random);
        Assert.Equal(2, zero.Length);
        Assert.All(zero, d => Assert.True(d > 0, "the convention changes the weights when a pre-activation is exactly zero"));
    }

    [Fact]
    public void MaskedWeightsStayExactlyZero()
    {
        string text = Run("7");
        foreach (string optimizer in new[] { "SGD", "momentum", "Adam" })
        {
            Assert.Matches(optimizer + @"\s+max \|masked weight\| = 0, diagonal = \[", text);
        }
    }

    [Fact]
    public void LetterRegressionRecoversTheLetters()
    {
        string text = Run("8");
        double recovered = Check.Number(text, @"Letters recovered by arg-max of the 26 regressed outputs: ([0-9.]+) %");
        Assert.InRange(recovered, 90, 100);
    }

    [Fact]
    public void UnknownExampleFails()
    {
        var output = new StringWriter(CultureInfo.InvariantCulture);
        Assert.Equal(1, global::Program.Run(["99"], output));
    }
}

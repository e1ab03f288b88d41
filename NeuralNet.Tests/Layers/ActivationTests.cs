using NeuralNet.Activations;

namespace NeuralNet.Tests.Layers;

public class ActivationTests
{
    [Fact]
    public void SoftmaxOfLargeEqualLogitsIsUniform()
    {
        var y = new double[2];
        new Softmax().Forward([1000.0, 1000.0], y, 2);
        Assert.Equal([0.5, 0.5], y);
    }

    [Fact]
    public void SoftmaxOfVeryNegativeLogitsIsFinite()
    {
        var y = new double[3];
        new Softmax().Forward([-1000.0, -1001.0, -1000.0], y, 3);
        double e = Math.Exp(-1.0);
        Assert.Equal(1.0 / (2.0 + e), y[0], 15);
        Assert.Equal(e / (2.0 + e), y[1], 15);
    }

    [Theory]
    [InlineData(30.0)]
    [InlineData(-30.0)]
    [InlineData(40.0)]
    public void SigmoidDerivativeKeepsRelativeAccuracyInTheTails(double x)
    {
        // σ'(x) = e^{-|x|} / (1 + e^{-|x|})² = e^{-|x|}(1 − 2e^{-|x|} + …); the correction is below 1e-12 here.
        double expected = Math.Exp(-Math.Abs(x));
        var sigmoid = new Sigmoid();
        double actual = sigmoid.Derivative(x, sigmoid.Value(x));
        Assert.True(Math.Abs(actual - expected) <= 1e-12 * expected, $"σ'({x}) = {actual:R}, expected {expected:R}");
    }

    [Theory]
    [InlineData(30.0)]
    [InlineData(-30.0)]
    public void TanhDerivativeKeepsRelativeAccuracyInTheTails(double x)
    {
        // tanh'(x) = sech²(x) = 4e^{-2|x|}(1 − 2e^{-2|x|} + …) whereas 1 − tanh² is exactly 0 in double precision.
        double expected = 4.0 * Math.Exp(-2.0 * Math.Abs(x));
        var tanh = new Tanh();
        double actual = tanh.Derivative(x, tanh.Value(x));
        Assert.Equal(0.0, 1.0 - (Math.Tanh(x) * Math.Tanh(x)));
        Assert.True(Math.Abs(actual - expected) <= 1e-12 * expected, $"tanh'({x}) = {actual:R}, expected {expected:R}");
    }

    [Fact]
    public void SigmoidAndSoftplusDoNotOverflow()
    {
        Assert.Equal(1.0, new Sigmoid().Value(1000.0));
        Assert.Equal(0.0, new Sigmoid().Value(-1000.0));
        Assert.Equal(1000.0, new Softplus().Value(1000.0));
        double tail = new Softplus().Value(-30.0);
        Assert.True(Math.Abs(tail - Math.Exp(-30.0)) <= 1e-12 * Math.Exp(-30.0));
    }

    [Theory]
    [InlineData("sigmoid")]
    [InlineData("tanh")]
    [InlineData("softplus")]
    [InlineData("elu")]
    public void SpanForwardAgreesWithTheScalarDefinitionIncludingExtremes(string name)
    {
        var activation = (ElementwiseActivation)Activation.FromName(name);
        double[] x = [-1000, -745, -30, -1, -1e-8, 0, 1e-8, 0.5, 3, 30, 710, 1000];
        var y = new double[x.Length];
        activation.Forward(x, y, x.Length);
        for (int i = 0; i < x.Length; i++)
        {
            double expected = name switch
            {
                "sigmoid" => x[i] >= 0 ? 1.0 / (1.0 + Math.Exp(-x[i])) : Math.Exp(x[i]) / (1.0 + Math.Exp(x[i])),
                "tanh" => Math.Tanh(x[i]),
                // log(1 + e^x) = e^x (1 − e^x/2 + …) in the far left tail.
                "softplus" => x[i] > 30 ? x[i] : x[i] < -20 ? Math.Exp(x[i]) : Math.Log(1.0 + Math.Exp(x[i])),

                // e^x − 1 = x + x²/2 + … near zero, where the subtraction itself would lose digits.
                _ => x[i] > 0 ? x[i] : x[i] > -1e-6 ? x[i] + (x[i] * x[i] / 2.0) : Math.Exp(x[i]) - 1.0,
            };
            // Relative accuracy everywhere (with a floor for subnormal results).
            double tolerance = (1e-13 * Math.Abs(expected)) + 1e-320;

            Assert.True(Math.Abs(y[i] - expected) <= tolerance, $"{name}({x[i]}) = {y[i]:R}, expected {expected:R}");
        }
    }

    [Fact]
    public void EluIsAccurateNearZero()
    {
        // α(e^x − 1) for tiny x is x + x²/2: naive exp(x) − 1 loses most digits at x = 1e-10.
        double x = -1e-10;
        double expected = x + (x * x / 2.0);
        Assert.True(Math.Abs(new Elu().Value(x) - expected) <= 1e-15 * Math.Abs(expected));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void ReluDerivativeAtZeroIsTheChosenConvention(double atZero)
    {
        var relu = new Relu(atZero);
        Assert.Equal(atZero, relu.Derivative(0.0, 0.0));
        Assert.Equal(1.0, relu.Derivative(1e-300, 1e-300));
        Assert.Equal(0.0, relu.Derivative(-1e-300, 0.0));
    }

    [Fact]
    public void ReluDerivativeAtZeroDefaultsToZero() => Assert.Equal(0.0, new Relu().Derivative(0.0, 0.0));

    [Fact]
    public void FromNameKnowsAllKerasNames()
    {
        string[] names = ["linear", "relu", "leaky_relu", "elu", "sigmoid", "tanh", "softplus", "softmax"];
        Assert.Equal(names, names.Select(n => Activation.FromName(n).Name));
        Assert.Throws<ArgumentException>(() => Activation.FromName("swishy"));
    }

    [Fact]
    public void LeakyReluUsesKerasSlope()
    {
        Assert.Equal(-0.6, new LeakyRelu().Value(-2.0), 15);
        Assert.Equal(0.3, new LeakyRelu().Derivative(-2.0, -0.6));
    }
}

namespace NeuralNet.Activations;

/// <summary>
/// An activation function applied to the last axis of a tensor. Elementwise activations
/// ignore the row length; softmax normalizes each row.
/// </summary>
public abstract class Activation
{
    /// <summary>The Keras name, e.g. <c>relu</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Computes <paramref name="output"/> = f(<paramref name="input"/>).</summary>
    /// <param name="input">Pre-activations.</param>
    /// <param name="output">Activations (may alias <paramref name="input"/> only when <see cref="NeedsInputForBackward"/> is false).</param>
    /// <param name="rowLength">The size of the last axis.</param>
    public abstract void Forward(ReadOnlySpan<double> input, Span<double> output, int rowLength);

    /// <summary>
    /// Computes the gradient with respect to the pre-activations given the gradient with
    /// respect to the activations.
    /// </summary>
    /// <param name="input">The pre-activations passed to <see cref="Forward"/>.</param>
    /// <param name="output">The activations produced by <see cref="Forward"/>.</param>
    /// <param name="outputGradient">dL/d output.</param>
    /// <param name="inputGradient">Receives dL/d input.</param>
    /// <param name="rowLength">The size of the last axis.</param>
    public abstract void Backward(ReadOnlySpan<double> input, ReadOnlySpan<double> output, ReadOnlySpan<double> outputGradient, Span<double> inputGradient, int rowLength);

    /// <summary>True when <see cref="Backward"/> reads the pre-activations.</summary>
    public virtual bool NeedsInputForBackward => true;

    /// <summary>Looks an activation up by its Keras name.</summary>
    /// <param name="name">One of linear, relu, leaky_relu, elu, sigmoid, tanh, softplus, softmax.</param>
    /// <returns>A new activation with default parameters.</returns>
    public static Activation FromName(string name) => name switch
    {
        "linear" or "" => new Linear(),
        "relu" => new Relu(),
        "leaky_relu" => new LeakyRelu(),
        "elu" => new Elu(),
        "sigmoid" => new Sigmoid(),
        "tanh" => new Tanh(),
        "softplus" => new Softplus(),
        "softmax" => new Softmax(),
        _ => throw new ArgumentException($"Unknown activation '{name}'.", nameof(name)),
    };

    /// <summary>Converts a Keras name to an activation.</summary>
    /// <param name="name">The name.</param>
    public static implicit operator Activation(string name) => FromName(name);

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>A pointwise activation: f and f' act on each value separately.</summary>
public abstract class ElementwiseActivation : Activation
{
    /// <summary>f(x).</summary>
    /// <param name="x">Pre-activation.</param>
    /// <returns>The activation.</returns>
    public abstract double Value(double x);

    /// <summary>f'(x), computed from x (and f(x) when cheaper) without losing relative accuracy.</summary>
    /// <param name="x">Pre-activation.</param>
    /// <param name="y">f(x).</param>
    /// <returns>The derivative.</returns>
    public abstract double Derivative(double x, double y);

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<double> input, Span<double> output, int rowLength)
    {
        for (int i = 0; i < input.Length; i++)
        {
            output[i] = Value(input[i]);
        }
    }

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<double> input, ReadOnlySpan<double> output, ReadOnlySpan<double> outputGradient, Span<double> inputGradient, int rowLength)
    {
        for (int i = 0; i < input.Length; i++)
        {
            inputGradient[i] = outputGradient[i] * Derivative(input[i], output[i]);
        }
    }
}

/// <summary>The identity, f(x) = x.</summary>
public sealed class Linear : ElementwiseActivation
{
    /// <inheritdoc/>
    public override string Name => "linear";

    /// <inheritdoc/>
    public override bool NeedsInputForBackward => false;

    /// <inheritdoc/>
    public override double Value(double x) => x;

    /// <inheritdoc/>
    public override double Derivative(double x, double y) => 1.0;

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<double> input, Span<double> output, int rowLength) => input.CopyTo(output);

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<double> input, ReadOnlySpan<double> output, ReadOnlySpan<double> outputGradient, Span<double> inputGradient, int rowLength)
        => outputGradient.CopyTo(inputGradient);
}

/// <summary>
/// The rectifier max(x, 0). Its derivative at exactly 0 is a convention chosen here
/// (0 as in TensorFlow and PyTorch by default; 0.5 or 1 selectable).
/// </summary>
/// <param name="derivativeAtZero">The value used for f'(0).</param>
public sealed class Relu(double derivativeAtZero = 0.0) : ElementwiseActivation
{
    /// <summary>The value used for f'(0).</summary>
    public double DerivativeAtZero { get; } = derivativeAtZero;

    /// <inheritdoc/>
    public override string Name => "relu";

    /// <inheritdoc/>
    public override double Value(double x) => x > 0.0 ? x : 0.0;

    /// <inheritdoc/>
    public override double Derivative(double x, double y) => x > 0.0 ? 1.0 : x < 0.0 ? 0.0 : DerivativeAtZero;

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<double> input, Span<double> output, int rowLength)
        => System.Numerics.Tensors.TensorPrimitives.Max(input, 0.0, output);

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<double> input, ReadOnlySpan<double> output, ReadOnlySpan<double> outputGradient, Span<double> inputGradient, int rowLength)
    {
        // The loop of the base class without its virtual call per value.
        double atZero = DerivativeAtZero;
        for (int i = 0; i < input.Length; i++)
        {
            double x = input[i];
            inputGradient[i] = outputGradient[i] * (x > 0.0 ? 1.0 : x < 0.0 ? 0.0 : atZero);
        }
    }
}

/// <summary>Leaky rectifier: x for x &gt; 0, αx otherwise (Keras' default α = 0.3).</summary>
/// <param name="alpha">Slope for negative inputs.</param>
public sealed class LeakyRelu(double alpha = 0.3) : ElementwiseActivation
{
    /// <summary>Slope for negative inputs.</summary>
    public double Alpha { get; } = alpha;

    /// <inheritdoc/>
    public override string Name => "leaky_relu";

    /// <inheritdoc/>
    public override double Value(double x) => x > 0.0 ? x : Alpha * x;

    /// <inheritdoc/>
    public override double Derivative(double x, double y) => x > 0.0 ? 1.0 : Alpha;
}

/// <summary>Exponential linear unit: x for x &gt; 0, α(eˣ − 1) otherwise.</summary>
/// <param name="alpha">Scale for negative inputs.</param>
public sealed class Elu(double alpha = 1.0) : ElementwiseActivation
{
    /// <summary>Scale for negative inputs.</summary>
    public double Alpha { get; } = alpha;

    /// <inheritdoc/>
    public override string Name => "elu";

    /// <inheritdoc/>
    public override double Value(double x) => x > 0.0 ? x : Alpha * Kernels.ExpM1(x);

    /// <inheritdoc/>
    public override double Derivative(double x, double y) => x > 0.0 ? 1.0 : Alpha * Math.Exp(x);
}

/// <summary>The logistic function 1 / (1 + e⁻ˣ), evaluated without overflow.</summary>
public sealed class Sigmoid : ElementwiseActivation
{
    /// <inheritdoc/>
    public override string Name => "sigmoid";

    /// <summary>A stable logistic function.</summary>
    /// <param name="x">Argument.</param>
    /// <returns>σ(x).</returns>
    public static double Logistic(double x)
    {
        if (x >= 0.0)
        {
            return 1.0 / (1.0 + Math.Exp(-x));
        }

        double e = Math.Exp(x);
        return e / (1.0 + e);
    }

    /// <summary>σ'(x) = e^{−|x|} / (1 + e^{−|x|})², accurate for large |x|.</summary>
    /// <param name="x">Argument.</param>
    /// <returns>σ'(x).</returns>
    public static double LogisticDerivative(double x)
    {
        double e = Math.Exp(-Math.Abs(x));
        double d = 1.0 + e;
        return e / (d * d);
    }

    /// <inheritdoc/>
    public override double Value(double x) => Logistic(x);

    /// <inheritdoc/>
    public override double Derivative(double x, double y) => LogisticDerivative(x);

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<double> input, Span<double> output, int rowLength)
        => System.Numerics.Tensors.TensorPrimitives.Sigmoid(input, output);

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<double> input, ReadOnlySpan<double> output, ReadOnlySpan<double> outputGradient, Span<double> inputGradient, int rowLength)
        => Kernels.MultiplyLogisticDerivative(input, outputGradient, inputGradient);
}

/// <summary>The hyperbolic tangent; its derivative sech²(x) keeps relative accuracy for large |x|.</summary>
public sealed class Tanh : ElementwiseActivation
{
    /// <inheritdoc/>
    public override string Name => "tanh";

    /// <summary>tanh'(x) = 4e^{−2|x|} / (1 + e^{−2|x|})².</summary>
    /// <param name="x">Argument.</param>
    /// <returns>tanh'(x).</returns>
    public static double TanhDerivative(double x)
    {
        double e = Math.Exp(-2.0 * Math.Abs(x));
        double d = 1.0 + e;
        return 4.0 * e / (d * d);
    }

    /// <inheritdoc/>
    public override double Value(double x) => Math.Tanh(x);

    /// <inheritdoc/>
    public override double Derivative(double x, double y) => TanhDerivative(x);

    /// <summary>
    /// Vectorized, within 3 ulp of <see cref="Math.Tanh"/> (a Taylor series near zero, where TensorPrimitives.Tanh loses
    /// relative accuracy, and the vectorized exp beyond): per gate value Math.Tanh dominated recurrent layers' time.
    /// </summary>
    /// <param name="input">Pre-activations.</param>
    /// <param name="output">Activations.</param>
    /// <param name="rowLength">Unused.</param>
    public override void Forward(ReadOnlySpan<double> input, Span<double> output, int rowLength) => Kernels.Tanh(input, output);

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<double> input, ReadOnlySpan<double> output, ReadOnlySpan<double> outputGradient, Span<double> inputGradient, int rowLength)
        => Kernels.MultiplyTanhDerivative(input, outputGradient, inputGradient);
}

/// <summary>log(1 + eˣ), evaluated as max(x, 0) + log1p(e^{−|x|}).</summary>
public sealed class Softplus : ElementwiseActivation
{
    /// <inheritdoc/>
    public override string Name => "softplus";

    /// <inheritdoc/>
    public override double Value(double x) => Math.Max(x, 0.0) + Kernels.Log1P(Math.Exp(-Math.Abs(x)));

    /// <inheritdoc/>
    public override double Derivative(double x, double y) => Sigmoid.Logistic(x);
}

/// <summary>Softmax over the last axis, shifted by the row maximum for stability.</summary>
public sealed class Softmax : Activation
{
    /// <inheritdoc/>
    public override string Name => "softmax";

    /// <inheritdoc/>
    public override bool NeedsInputForBackward => false;

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<double> input, Span<double> output, int rowLength)
    {
        for (int start = 0; start < input.Length; start += rowLength)
        {
            ReadOnlySpan<double> x = input.Slice(start, rowLength);
            Span<double> y = output.Slice(start, rowLength);
            double max = System.Numerics.Tensors.TensorPrimitives.Max(x);
            System.Numerics.Tensors.TensorPrimitives.Subtract(x, max, y);
            System.Numerics.Tensors.TensorPrimitives.Exp(y, y);
            double sum = System.Numerics.Tensors.TensorPrimitives.Sum(y);
            System.Numerics.Tensors.TensorPrimitives.Divide(y, sum, y);
        }
    }

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<double> input, ReadOnlySpan<double> output, ReadOnlySpan<double> outputGradient, Span<double> inputGradient, int rowLength)
    {
        for (int start = 0; start < output.Length; start += rowLength)
        {
            ReadOnlySpan<double> y = output.Slice(start, rowLength);
            ReadOnlySpan<double> dy = outputGradient.Slice(start, rowLength);
            Span<double> dx = inputGradient.Slice(start, rowLength);
            double dot = System.Numerics.Tensors.TensorPrimitives.Dot(y, dy);
            for (int j = 0; j < rowLength; j++)
            {
                dx[j] = y[j] * (dy[j] - dot);
            }
        }
    }
}

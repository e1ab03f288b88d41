using NeuralNet.Activations;

namespace NeuralNet.Losses;

/// <summary>How a loss reduces its per-value (or per-row) terms to one number, as PyTorch's <c>reduction</c>.</summary>
public enum LossReduction
{
    /// <summary>The mean: over all values, or over rows for categorical cross-entropy (Keras' and PyTorch's default).</summary>
    Mean,

    /// <summary>The sum of the terms (PyTorch's <c>reduction='sum'</c>, Keras' <c>Reduction.SUM</c>); the gradient is not divided by the batch size.</summary>
    Sum,
}

/// <summary>
/// A loss between predictions and targets of the same shape, averaged as Keras does
/// (over all values, or over rows for categorical cross-entropy), or summed with <see cref="Reduction"/> = <see cref="LossReduction.Sum"/>.
/// </summary>
public abstract class Loss
{
    /// <summary>The Keras name.</summary>
    public abstract string Name { get; }

    /// <summary>Mean (default) or sum of the terms.</summary>
    public LossReduction Reduction { get; init; } = LossReduction.Mean;

    /// <summary>Computes the loss and, optionally, its gradient with respect to the predictions.</summary>
    /// <param name="predicted">Network outputs.</param>
    /// <param name="target">Targets, same shape.</param>
    /// <param name="gradient">When not null, receives dL/d predicted (same shape).</param>
    /// <returns>The loss, reduced as <see cref="Reduction"/> says.</returns>
    public double Compute(DoubleTensor predicted, DoubleTensor target, DoubleTensor? gradient = null) => Compute(predicted, target, gradient, null);

    /// <summary>
    /// Computes the loss over the unmasked rows only, as Keras does with the mask of an output (a sequence output of a
    /// masked recurrent layer): masked time steps contribute nothing, and the mean divides by the number of terms in
    /// unmasked rows (Keras' <c>sum_over_batch_size</c> with the mask as sample weights rescaled by total / valid).
    /// With no unmasked row the loss and gradient are zero (Keras' <c>divide_no_nan</c>).
    /// </summary>
    /// <param name="predicted">Network outputs, e.g. [batch, time, features].</param>
    /// <param name="target">Targets, same shape.</param>
    /// <param name="gradient">When not null, receives dL/d predicted (same shape; zero in masked rows).</param>
    /// <param name="rowMask">
    /// One entry per row (per position of all axes but the last, row-major: [batch·time] for a sequence output), true
    /// where the row counts; null counts every row.
    /// </param>
    /// <returns>The loss, reduced as <see cref="Reduction"/> says.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the mask does not have one entry per row.</exception>
    public double Compute(DoubleTensor predicted, DoubleTensor target, DoubleTensor? gradient, IReadOnlyList<bool>? rowMask)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(target);
        if (!predicted.SameShape(target))
        {
            throw new ArgumentException($"Prediction {predicted} and target {target} differ in shape.", nameof(target));
        }

        if (gradient is not null && !gradient.SameShape(predicted))
        {
            throw new ArgumentException("The gradient tensor must have the prediction's shape.", nameof(gradient));
        }

        Span<double> g = gradient is null ? Span<double>.Empty : gradient.Span;
        int rowLength = predicted.Shape[^1];
        int rows = rowLength == 0 ? 0 : predicted.Length / rowLength;
        double sum;
        int counted = predicted.Length;
        if (rowMask is null)
        {
            sum = ComputeCore(predicted.Span, target.Span, g, rowLength);
        }
        else
        {
            if (rowMask.Count != rows)
            {
                throw new ArgumentException($"The mask has {rowMask.Count} entries; prediction {predicted} has {rows} rows (one entry per row of its last axis).", nameof(rowMask));
            }

            // Runs of unmasked rows go to ComputeCore as one block; masked rows get a zero gradient.
            sum = 0.0;
            counted = 0;
            for (int r = 0; r < rows;)
            {
                int start = r;
                bool on = rowMask[r];
                while (r < rows && rowMask[r] == on)
                {
                    r++;
                }

                int offset = start * rowLength, length = (r - start) * rowLength;
                Span<double> gBlock = g.IsEmpty ? Span<double>.Empty : g.Slice(offset, length);
                if (on)
                {
                    sum += ComputeCore(predicted.Span.Slice(offset, length), target.Span.Slice(offset, length), gBlock, rowLength);
                    counted += length;
                }
                else
                {
                    gBlock.Clear();
                }
            }
        }

        if (Reduction == LossReduction.Sum)
        {
            return sum;
        }

        double count = MeanCount(counted, rowLength);
        if (count == 0.0 && rowMask is not null)
        {
            return 0.0;
        }

        if (!g.IsEmpty)
        {
            System.Numerics.Tensors.TensorPrimitives.Divide(g, count, g);
        }

        return sum / count;
    }

    /// <summary>The number of terms the mean divides by: every value by default.</summary>
    /// <param name="length">Number of values.</param>
    /// <param name="rowLength">Size of the last axis.</param>
    /// <returns>The divisor of <see cref="LossReduction.Mean"/>.</returns>
    protected virtual double MeanCount(int length, int rowLength) => length;

    /// <summary>The summed loss on spans.</summary>
    /// <param name="predicted">Predictions.</param>
    /// <param name="target">Targets.</param>
    /// <param name="gradient">Receives the gradient of the sum; empty when not wanted.</param>
    /// <param name="rowLength">Size of the last axis.</param>
    /// <returns>The sum of the terms.</returns>
    protected abstract double ComputeCore(ReadOnlySpan<double> predicted, ReadOnlySpan<double> target, Span<double> gradient, int rowLength);

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>Mean squared error.</summary>
public sealed class MeanSquaredError : Loss
{
    /// <inheritdoc/>
    public override string Name => "mean_squared_error";

    /// <inheritdoc/>
    protected override double ComputeCore(ReadOnlySpan<double> predicted, ReadOnlySpan<double> target, Span<double> gradient, int rowLength)
    {
        double sum = 0.0;
        for (int i = 0; i < predicted.Length; i++)
        {
            double e = predicted[i] - target[i];
            sum += e * e;
            if (!gradient.IsEmpty)
            {
                gradient[i] = 2.0 * e;
            }
        }

        return sum;
    }
}

/// <summary>Mean absolute error (the gradient at a zero error is 0).</summary>
public sealed class MeanAbsoluteError : Loss
{
    /// <inheritdoc/>
    public override string Name => "mean_absolute_error";

    /// <inheritdoc/>
    protected override double ComputeCore(ReadOnlySpan<double> predicted, ReadOnlySpan<double> target, Span<double> gradient, int rowLength)
    {
        double sum = 0.0;
        for (int i = 0; i < predicted.Length; i++)
        {
            double e = predicted[i] - target[i];
            sum += Math.Abs(e);
            if (!gradient.IsEmpty)
            {
                gradient[i] = Math.Sign(e);
            }
        }

        return sum;
    }
}

/// <summary>Huber loss: ½e² for |e| ≤ δ, δ(|e| − ½δ) beyond.</summary>
/// <param name="delta">The threshold δ (Keras' default 1).</param>
public sealed class Huber(double delta = 1.0) : Loss
{
    /// <summary>The threshold δ.</summary>
    public double Delta { get; } = delta;

    /// <inheritdoc/>
    public override string Name => "huber";

    /// <inheritdoc/>
    protected override double ComputeCore(ReadOnlySpan<double> predicted, ReadOnlySpan<double> target, Span<double> gradient, int rowLength)
    {
        double sum = 0.0;
        for (int i = 0; i < predicted.Length; i++)
        {
            double e = predicted[i] - target[i];
            double a = Math.Abs(e);
            sum += a <= Delta ? 0.5 * e * e : Delta * (a - (0.5 * Delta));
            if (!gradient.IsEmpty)
            {
                gradient[i] = a <= Delta ? e : Delta * Math.Sign(e);
            }
        }

        return sum;
    }
}

/// <summary>
/// Binary cross-entropy averaged over all values. From probabilities they are clipped to
/// [ε, 1 − ε] (ε = 1e−7, as Keras); from logits it is computed stably as
/// max(x, 0) − x·t + log(1 + e^{−|x|}).
/// </summary>
/// <param name="fromLogits">Whether predictions are logits rather than probabilities.</param>
public sealed class BinaryCrossEntropy(bool fromLogits = false) : Loss
{
    /// <summary>Clipping bound for probabilities.</summary>
    public const double Epsilon = 1e-7;

    /// <summary>Whether predictions are logits.</summary>
    public bool FromLogits { get; } = fromLogits;

    /// <inheritdoc/>
    public override string Name => "binary_crossentropy";

    /// <inheritdoc/>
    protected override double ComputeCore(ReadOnlySpan<double> predicted, ReadOnlySpan<double> target, Span<double> gradient, int rowLength)
    {
        double sum = 0.0;
        for (int i = 0; i < predicted.Length; i++)
        {
            double t = target[i];
            if (FromLogits)
            {
                double x = predicted[i];
                sum += Math.Max(x, 0.0) - (x * t) + Kernels.Log1P(Math.Exp(-Math.Abs(x)));
                if (!gradient.IsEmpty)
                {
                    gradient[i] = Sigmoid.Logistic(x) - t;
                }
            }
            else
            {
                double p = Math.Clamp(predicted[i], Epsilon, 1.0 - Epsilon);
                sum -= (t * Math.Log(p)) + ((1.0 - t) * Math.Log(1.0 - p));
                if (!gradient.IsEmpty)
                {
                    bool clipped = predicted[i] != p;
                    gradient[i] = clipped ? 0.0 : ((1.0 - t) / (1.0 - p)) - (t / p);
                }
            }
        }

        return sum;
    }
}

/// <summary>
/// Categorical cross-entropy −Σ t·log p over the last axis, averaged over rows. From probabilities
/// they are clipped to [ε, 1 − ε]; from logits it uses a stable log-sum-exp.
/// </summary>
/// <param name="fromLogits">Whether predictions are logits rather than probabilities.</param>
public sealed class CategoricalCrossEntropy(bool fromLogits = false) : Loss
{
    /// <summary>Whether predictions are logits.</summary>
    public bool FromLogits { get; } = fromLogits;

    /// <inheritdoc/>
    public override string Name => "categorical_crossentropy";

    /// <summary>The mean is over rows (samples), as Keras and PyTorch's <c>CrossEntropyLoss</c>.</summary>
    /// <param name="length">Number of values.</param>
    /// <param name="rowLength">Size of the last axis.</param>
    /// <returns>The number of rows.</returns>
    protected override double MeanCount(int length, int rowLength) => length / rowLength;

    /// <inheritdoc/>
    protected override double ComputeCore(ReadOnlySpan<double> predicted, ReadOnlySpan<double> target, Span<double> gradient, int rowLength)
    {
        int rows = predicted.Length / rowLength;
        double sum = 0.0;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<double> x = predicted.Slice(r * rowLength, rowLength);
            ReadOnlySpan<double> t = target.Slice(r * rowLength, rowLength);
            if (FromLogits)
            {
                double max = System.Numerics.Tensors.TensorPrimitives.Max(x);
                double z = 0.0;
                for (int j = 0; j < rowLength; j++)
                {
                    z += Math.Exp(x[j] - max);
                }

                double lse = max + Math.Log(z);
                double tSum = System.Numerics.Tensors.TensorPrimitives.Sum(t);
                sum += (tSum * lse) - System.Numerics.Tensors.TensorPrimitives.Dot(t, x);
                if (!gradient.IsEmpty)
                {
                    for (int j = 0; j < rowLength; j++)
                    {
                        gradient[(r * rowLength) + j] = (tSum * Math.Exp(x[j] - lse)) - t[j];
                    }
                }
            }
            else
            {
                for (int j = 0; j < rowLength; j++)
                {
                    double p = Math.Clamp(x[j], BinaryCrossEntropy.Epsilon, 1.0 - BinaryCrossEntropy.Epsilon);
                    sum -= t[j] * Math.Log(p);
                    if (!gradient.IsEmpty)
                    {
                        gradient[(r * rowLength) + j] = x[j] != p ? 0.0 : -t[j] / p;
                    }
                }
            }
        }

        return sum;
    }
}

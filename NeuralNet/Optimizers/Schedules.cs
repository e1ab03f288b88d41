namespace NeuralNet.Optimizers;

/// <summary>A value (learning rate or momentum) that changes per epoch.</summary>
public abstract class Schedule
{
    /// <summary>The value for an epoch.</summary>
    /// <param name="epoch">Zero-based epoch.</param>
    /// <param name="maxEpochs">Total number of epochs planned.</param>
    /// <returns>The value to use during that epoch.</returns>
    public abstract double ValueAt(int epoch, int maxEpochs);
}

/// <summary>The same value every epoch.</summary>
/// <param name="value">The value.</param>
public sealed class ConstantSchedule(double value) : Schedule
{
    /// <inheritdoc/>
    public override double ValueAt(int epoch, int maxEpochs) => value;
}

/// <summary>
/// Linear from <paramref name="start"/> at the first epoch to <paramref name="stop"/> at the last
/// (nolearn's <c>AdjustVariable</c>: <c>linspace(start, stop, max_epochs)</c>).
/// </summary>
/// <param name="start">Value at epoch 0.</param>
/// <param name="stop">Value at epoch maxEpochs − 1.</param>
public sealed class LinearSchedule(double start, double stop) : Schedule
{
    /// <summary>Value at the first epoch.</summary>
    public double Start { get; } = start;

    /// <summary>Value at the last epoch.</summary>
    public double Stop { get; } = stop;

    /// <inheritdoc/>
    public override double ValueAt(int epoch, int maxEpochs)
        => maxEpochs <= 1 ? Start : Start + ((Stop - Start) * Math.Min(epoch, maxEpochs - 1) / (maxEpochs - 1));
}

/// <summary>Step decay: initial · factor^⌊epoch / stepSize⌋.</summary>
/// <param name="initial">Value at epoch 0.</param>
/// <param name="factor">Multiplier applied every <paramref name="stepSize"/> epochs.</param>
/// <param name="stepSize">Epochs between drops.</param>
public sealed class StepSchedule(double initial, double factor, int stepSize) : Schedule
{
    /// <inheritdoc/>
    public override double ValueAt(int epoch, int maxEpochs) => initial * Math.Pow(factor, epoch / Math.Max(1, stepSize));
}

/// <summary>Exponential decay: initial · rate^(epoch / decayEpochs).</summary>
/// <param name="initial">Value at epoch 0.</param>
/// <param name="rate">Decay rate per <paramref name="decayEpochs"/> epochs.</param>
/// <param name="decayEpochs">Epochs per factor of <paramref name="rate"/>.</param>
public sealed class ExponentialSchedule(double initial, double rate, double decayEpochs = 1.0) : Schedule
{
    /// <inheritdoc/>
    public override double ValueAt(int epoch, int maxEpochs) => initial * Math.Pow(rate, epoch / decayEpochs);
}

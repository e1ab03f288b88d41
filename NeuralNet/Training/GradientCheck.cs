using NeuralNet.Losses;

namespace NeuralNet.Training;

/// <summary>Options of <see cref="GradientCheck"/>.</summary>
public sealed record GradientCheckOptions
{
    /// <summary>Finite-difference step h (the extrapolation also uses h/2).</summary>
    public double Step { get; init; } = 1e-5;

    /// <summary>Relative tolerance: an entry passes when |a − n| ≤ RelativeTolerance·(|a| + |n|) + AbsoluteTolerance.</summary>
    public double RelativeTolerance { get; init; } = 1e-6;

    /// <summary>Absolute tolerance for gradients near zero.</summary>
    public double AbsoluteTolerance { get; init; } = 1e-9;

    /// <summary>Also check the gradients with respect to the model inputs.</summary>
    public bool CheckInputs { get; init; } = true;
}

/// <summary>One compared gradient entry.</summary>
/// <param name="Layer">Layer name, or <c>input k</c> for a model input.</param>
/// <param name="Parameter">Parameter name (kernel, bias …), or empty for an input.</param>
/// <param name="Index">Flat (row-major) index in the parameter or input.</param>
/// <param name="Analytic">The back-propagated gradient.</param>
/// <param name="Numeric">The finite-difference gradient.</param>
public sealed record GradientCheckEntry(string Layer, string Parameter, int Index, double Analytic, double Numeric)
{
    /// <summary>|a − n| / (|a| + |n|), 0 when both are 0.</summary>
    public double RelativeError => Analytic == Numeric ? 0.0 : Math.Abs(Analytic - Numeric) / (Math.Abs(Analytic) + Math.Abs(Numeric));

    /// <inheritdoc/>
    public override string ToString()
        => $"{Layer}{(Parameter.Length > 0 ? "." + Parameter : string.Empty)}[{Index}]: analytic {Analytic:R}, numeric {Numeric:R}";
}

/// <summary>The outcome of <see cref="GradientCheck"/>.</summary>
/// <param name="Checked">Number of entries compared.</param>
/// <param name="MaxAbsoluteError">Largest |a − n|.</param>
/// <param name="Worst">The entry with the largest |a − n| / (RelativeTolerance·(|a| + |n|) + AbsoluteTolerance), or null when nothing was checked.</param>
/// <param name="Failures">Every entry outside the tolerance.</param>
public sealed record GradientCheckResult(int Checked, double MaxAbsoluteError, GradientCheckEntry? Worst, IReadOnlyList<GradientCheckEntry> Failures)
{
    /// <summary>True when every entry is within the tolerance.</summary>
    public bool Passed => Failures.Count == 0;

    /// <inheritdoc/>
    public override string ToString()
        => Passed ? $"Gradient check passed: {Checked} entries, max |a − n| {MaxAbsoluteError:G3}." : $"Gradient check failed for {Failures.Count} of {Checked} entries; first {Failures[0]}.";
}

/// <summary>
/// Compares a model's back-propagated gradients with finite differences of the loss, for users who port
/// hand-written backpropagation or write their own layers. The numeric gradient is the central difference
/// with Richardson extrapolation, (4·D(h/2) − D(h))/3, whose error is O(h⁴). The model runs in inference mode
/// (no dropout) and stateful layers are reset before every evaluation. Each entry costs four forward passes,
/// so check small models and batches.
/// </summary>
/// <example>
/// <code>
/// GradientCheckResult r = GradientCheck.Check(model, x, y, new MeanSquaredError());
/// if (!r.Passed) Console.WriteLine(r);   // names the layer, parameter and index
/// </code>
/// </example>
public static class GradientCheck
{
    /// <summary>Checks a single-input, single-output model.</summary>
    /// <param name="network">The model (its weights are restored afterwards; its gradients hold the analytic values).</param>
    /// <param name="x">Input batch.</param>
    /// <param name="y">Target batch.</param>
    /// <param name="loss">The loss (mean squared error when null).</param>
    /// <param name="options">Step and tolerances.</param>
    /// <returns>The comparison.</returns>
    public static GradientCheckResult Check(Network network, DoubleTensor x, DoubleTensor y, Loss? loss = null, GradientCheckOptions? options = null)
        => Check(network, [x], [y], loss, options);

    /// <summary>Checks a model with several inputs and outputs (the loss is summed over outputs, as in training).</summary>
    /// <param name="network">The model (its weights are restored afterwards; its gradients hold the analytic values).</param>
    /// <param name="inputs">One batch per model input.</param>
    /// <param name="targets">One batch per model output.</param>
    /// <param name="loss">The loss (mean squared error when null).</param>
    /// <param name="options">Step and tolerances.</param>
    /// <param name="masks">Optional time-step masks, one per input (see <see cref="Network.Forward(IReadOnlyList{DoubleTensor}, IReadOnlyList{bool[]}, bool)"/>).</param>
    /// <returns>The comparison.</returns>
    public static GradientCheckResult Check(Network network, DoubleTensor[] inputs, DoubleTensor[] targets, Loss? loss = null, GradientCheckOptions? options = null, IReadOnlyList<bool[]?>? masks = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Length != network.Outputs.Count)
        {
            throw new ArgumentException($"The network has {network.Outputs.Count} output(s), got {targets.Length} target(s).", nameof(targets));
        }

        loss ??= new MeanSquaredError();
        options ??= new GradientCheckOptions();
        DoubleTensor[] work = [.. inputs.Select(t => t.Clone())];
        double Objective(DoubleTensor[]? gradients)
        {
            network.ResetStates();
            DoubleTensor[] outputs = network.Forward(work, masks, training: false);
            double sum = 0.0;
            for (int k = 0; k < outputs.Length; k++)
            {
                sum += loss.Compute(outputs[k], targets[k], gradients?[k]);
            }

            return sum;
        }

        network.ZeroGradients();
        DoubleTensor[] outputGradients = [.. network.Outputs.Select((_, k) => new DoubleTensor(targets[k].Shape))];
        Objective(outputGradients);
        DoubleTensor[] inputGradients = network.Backward(outputGradients);

        var failures = new List<GradientCheckEntry>();
        int count = 0;
        double maxAbs = 0.0, worstScore = -1.0;
        GradientCheckEntry? worst = null;
        void Compare(string layer, string parameter, double[] values, double[] analytic, ReadOnlySpan<double> mask)
        {
            for (int j = 0; j < values.Length; j++)
            {
                if (!mask.IsEmpty && mask[j] == 0.0)
                {
                    continue;
                }

                double saved = values[j];
                double Central(double h)
                {
                    values[j] = saved + h;
                    double plus = Objective(null);
                    values[j] = saved - h;
                    double minus = Objective(null);
                    values[j] = saved;
                    return (plus - minus) / (2 * h);
                }

                double numeric = ((4 * Central(options.Step / 2)) - Central(options.Step)) / 3;
                var entry = new GradientCheckEntry(layer, parameter, j, analytic[j], numeric);
                double diff = Math.Abs(analytic[j] - numeric);
                double allowed = (options.RelativeTolerance * (Math.Abs(analytic[j]) + Math.Abs(numeric))) + options.AbsoluteTolerance;
                count++;
                maxAbs = Math.Max(maxAbs, double.IsNaN(diff) ? double.PositiveInfinity : diff);
                double score = double.IsNaN(diff) ? double.PositiveInfinity : diff / allowed;
                if (score > worstScore)
                {
                    worstScore = score;
                    worst = entry;
                }

                if (!(diff <= allowed))
                {
                    failures.Add(entry);
                }
            }
        }

        foreach (Layer layer in network.Layers)
        {
            foreach (Parameter p in layer.Parameters)
            {
                Compare(layer.Name, p.Name, p.Value.Data, (double[])p.Gradient.Data.Clone(), p.Mask);
            }
        }

        if (options.CheckInputs)
        {
            for (int i = 0; i < work.Length; i++)
            {
                Compare($"input {i}", string.Empty, work[i].Data, inputGradients[i].Data, ReadOnlySpan<double>.Empty);
            }
        }

        network.ResetStates();
        return new GradientCheckResult(count, maxAbs, worst, failures);
    }
}

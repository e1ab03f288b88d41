using NeuralNet.Losses;

namespace NeuralNet.Tests.Helpers;

/// <summary>Compares back-propagated gradients with Richardson-extrapolated central differences.</summary>
internal static class NumericGradient
{
    public const double Step = 1e-5;

    /// <summary>|a − n| ≤ rel·(|a| + |n|) + abs.</summary>
    public static bool Close(double analytic, double numeric, double relative = 1e-6, double absolute = 1e-9)
        => Math.Abs(analytic - numeric) <= (relative * (Math.Abs(analytic) + Math.Abs(numeric))) + absolute;

    /// <summary>
    /// Checks dL/dinput and dL/dparameter for L = Σ_k Σ upstream_k ⊙ output_k of a layer.
    /// Returns null on success or a description of the first mismatch. Masked parameter entries are skipped
    /// (their gradient is zero by definition and tested separately).
    /// </summary>
    public static string? CheckLayer(Layer layer, DoubleTensor[] inputs, Random random)
    {
        ForwardPass pass = layer.Forward(inputs);
        DoubleTensor[] upstream = [.. pass.Outputs.Select(o => TestRandom.DoubleTensor(random, 1.0, o.Shape))];
        layer.ZeroGradients();
        DoubleTensor[] inputGrads = layer.Backward(pass, upstream);
        double Objective()
        {
            IReadOnlyList<DoubleTensor> outs = layer.Forward(inputs).Outputs;
            double sum = 0.0;
            for (int k = 0; k < outs.Count; k++)
            {
                sum += System.Numerics.Tensors.TensorPrimitives.Dot(outs[k].Span, upstream[k].Span);
            }

            return sum;
        }

        for (int i = 0; i < inputs.Length; i++)
        {
            string? error = Compare($"input {i}", inputs[i].Data, inputGrads[i].Data, null, Objective);
            if (error is not null)
            {
                return error;
            }
        }

        foreach (Parameter p in layer.Parameters)
        {
            string? error = Compare(p.Name, p.Value.Data, (double[])p.Gradient.Data.Clone(), p.IsMasked ? p.Mask.ToArray() : null, Objective);
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    /// <summary>Checks a whole model with L = Σ upstream ⊙ outputs.</summary>
    public static string? CheckModel(Network model, DoubleTensor[] inputs, Random random)
    {
        DoubleTensor[] outputs = model.Forward(inputs);
        DoubleTensor[] upstream = [.. outputs.Select(o => TestRandom.DoubleTensor(random, 1.0, o.Shape))];
        model.ZeroGradients();
        DoubleTensor[] inputGrads = model.Backward(upstream);
        double Objective()
        {
            DoubleTensor[] outs = model.Forward(inputs);
            return outs.Select((o, k) => System.Numerics.Tensors.TensorPrimitives.Dot(o.Span, upstream[k].Span)).Sum();
        }

        for (int i = 0; i < inputs.Length; i++)
        {
            string? error = Compare($"model input {i}", inputs[i].Data, inputGrads[i].Data, null, Objective);
            if (error is not null)
            {
                return error;
            }
        }

        foreach (Parameter p in model.Parameters)
        {
            string? error = Compare(p.Name, p.Value.Data, (double[])p.Gradient.Data.Clone(), p.IsMasked ? p.Mask.ToArray() : null, Objective);
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    /// <summary>Checks a loss gradient with respect to the predictions.</summary>
    public static string? CheckLoss(Loss loss, DoubleTensor predicted, DoubleTensor target)
    {
        var grad = new DoubleTensor(predicted.Shape);
        loss.Compute(predicted, target, grad);
        return Compare(loss.Name, predicted.Data, grad.Data, null, () => loss.Compute(predicted, target));
    }

    private static string? Compare(string what, double[] values, double[] analytic, double[]? mask, Func<double> objective)
    {
        for (int j = 0; j < values.Length; j++)
        {
            if (mask is not null && mask[j] == 0.0)
            {
                continue;
            }

            double saved = values[j];
            double Central(double step)
            {
                values[j] = saved + step;
                double plus = objective();
                values[j] = saved - step;
                double minus = objective();
                values[j] = saved;
                return (plus - minus) / (2 * step);
            }

            // Richardson's extrapolation cancels the central difference's h² term, which near the
            // ends of a cross entropy's range (third derivative ~ 1/p³) reached the 1e-9 tolerance.
            double numeric = ((4 * Central(Step / 2)) - Central(Step)) / 3;
            if (!Close(analytic[j], numeric))
            {
                return $"{what}[{j}]: analytic {analytic[j]:R}, numeric {numeric:R}";
            }
        }

        return null;
    }
}

using NeuralNet.Initializers;

namespace NeuralNet.Layers;

/// <summary>
/// Keras' GRU with gates in the order z, r, h and h' = z·h + (1 − z)·h̃.
/// With <c>resetAfter</c> (default, as Keras 2+/PyTorch) h̃ = tanh(x·W_h + b_h + r·(h·U_h + b'_h)) and the bias is [2, 3u]
/// (input bias, recurrent bias); otherwise h̃ = tanh(x·W_h + (r·h)·U_h + b_h) and the bias is [3u].
/// kernel [in, 3u], recurrent_kernel [u, 3u].
/// </summary>
/// <param name="units">Number of units.</param>
/// <param name="options">Recurrent options.</param>
/// <param name="resetAfter">Apply the reset gate after the recurrent matrix product (Keras' default).</param>
public sealed class Gru(int units, RecurrentOptions? options = null, bool resetAfter = true) : RecurrentLayer(units, options)
{
    private Parameter _kernel = null!;
    private Parameter _recurrent = null!;
    private Parameter _bias = null!;

    /// <summary>Whether the reset gate is applied after the recurrent product.</summary>
    public bool ResetAfter { get; } = resetAfter;

    /// <inheritdoc/>
    public override int StateCount => 1;

    /// <inheritdoc/>
    protected override void CreateWeights()
    {
        _kernel = AddParameter("kernel", InputDim, 3 * Units);
        _recurrent = AddParameter("recurrent_kernel", Units, 3 * Units);
        _bias = ResetAfter ? AddParameter("bias", 2, 3 * Units) : AddParameter("bias", 3 * Units);
    }

    /// <inheritdoc/>
    protected override void InitializeCore(Random random)
    {
        WeightInitializers.GlorotUniform(_kernel.Value.Span, InputDim, 3 * Units, random);
        WeightInitializers.Orthogonal(_recurrent.Value.Span, Units, 3 * Units, random);
        _bias.Value.Span.Clear();
    }

    // Per step, all [batch, 3u]: xw = x·W + b_in; hu = h·U (+ b_rec); a = activated gates (z, r, h̃);
    // pre = pre-activations (z, r, h̃).
    private sealed record Cache(double[] Xw, double[] Hu, double[] Pre, double[] Gates);

    /// <inheritdoc/>
    protected override object RunForward(double[] x, int batch, int time, double[][] initialStates, double[] hidden, double[][] finalStates)
    {
        int u = Units, g3 = 3 * u, block = batch * u, gblock = batch * g3;
        double[] xw = NewArray(time * gblock);
        double[] hu = NewArray(time * gblock);
        double[] pre = NewArray(time * gblock);
        double[] gates = NewArray(time * gblock);
        ReadOnlySpan<double> biasIn = _bias.Value.Span[..g3];
        Kernels.AddRowVector(xw, biasIn, time * batch);
        Kernels.MatMulAdd(x, _kernel.Value.Span, xw, time * batch, InputDim, g3);
        double[] rh = NewArray(block);
        var act = Options.Activation;
        var rec = Options.RecurrentActivation;
        for (int t = 0; t < time; t++)
        {
            ReadOnlySpan<double> hPrev = t == 0 ? initialStates[0] : hidden.AsSpan((t - 1) * block, block);
            ReadOnlySpan<double> xs = xw.AsSpan(t * gblock, gblock);
            Span<double> hs = hu.AsSpan(t * gblock, gblock);
            Span<double> p = pre.AsSpan(t * gblock, gblock);
            Span<double> a = gates.AsSpan(t * gblock, gblock);
            Span<double> h = hidden.AsSpan(t * block, block);
            if (ResetAfter)
            {
                Kernels.AddRowVector(hs, _bias.Value.Span.Slice(g3, g3), batch);
            }

            Kernels.MatMulAdd(hPrev, _recurrent.Value.Span, hs, batch, u, g3);
            for (int b = 0; b < batch; b++)
            {
                int r = b * g3;
                System.Numerics.Tensors.TensorPrimitives.Add(xs.Slice(r, 2 * u), hs.Slice(r, 2 * u), p.Slice(r, 2 * u));
                rec.Forward(p.Slice(r, 2 * u), a.Slice(r, 2 * u), u);
            }

            if (!ResetAfter)
            {
                // h̃ uses (r·h)·U_h: recompute the product with the reset-scaled state.
                for (int b = 0; b < batch; b++)
                {
                    for (int j = 0; j < u; j++)
                    {
                        rh[(b * u) + j] = a[(b * g3) + u + j] * hPrev[(b * u) + j];
                    }
                }

                for (int b = 0; b < batch; b++)
                {
                    int r = b * g3;
                    for (int j = 0; j < u; j++)
                    {
                        double sum = 0.0;
                        for (int k = 0; k < u; k++)
                        {
                            sum += rh[(b * u) + k] * _recurrent.Value.Data[(k * g3) + (2 * u) + j];
                        }

                        hs[r + (2 * u) + j] = sum;
                    }
                }
            }

            for (int b = 0; b < batch; b++)
            {
                int r = b * g3;
                for (int j = 0; j < u; j++)
                {
                    int k = r + (2 * u) + j;
                    p[k] = ResetAfter ? xs[k] + (a[r + u + j] * hs[k]) : xs[k] + hs[k];
                }

                act.Forward(p.Slice(r + (2 * u), u), a.Slice(r + (2 * u), u), u);
                for (int j = 0; j < u; j++)
                {
                    double z = a[r + j];
                    h[(b * u) + j] = (z * hPrev[(b * u) + j]) + ((1.0 - z) * a[r + (2 * u) + j]);
                }
            }
        }

        hidden.AsSpan((time - 1) * block, block).CopyTo(finalStates[0]);
        return new Cache(xw, hu, pre, gates);
    }

    /// <inheritdoc/>
    protected override void RunBackward(object cache, double[] x, int batch, int time, double[][] initialStates, double[] hidden, double[] hiddenGradient, double[]?[] finalStateGradients, double[] inputGradient, double[][] initialStateGradients)
    {
        var (_, hu, pre, gates) = (Cache)cache;
        int u = Units, g3 = 3 * u, block = batch * u, gblock = batch * g3;
        double[] dXw = NewArray(time * gblock);
        double[] dHu = NewArray(gblock);
        double[] dHuCandidate = NewArray(gblock);
        double[] dh = NewArray(block);
        double[] dhNext = NewArray(block);
        double[] rh = NewArray(block);
        double[] drh = NewArray(block);
        var act = Options.Activation;
        var rec = Options.RecurrentActivation;
        Span<double> recGrad = _recurrent.Gradient.Span;
        for (int t = time - 1; t >= 0; t--)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(dh, hiddenGradient.AsSpan(t * block, block), dh);
            ReadOnlySpan<double> hPrev = t == 0 ? initialStates[0] : hidden.AsSpan((t - 1) * block, block);
            ReadOnlySpan<double> hs = hu.AsSpan(t * gblock, gblock);
            ReadOnlySpan<double> p = pre.AsSpan(t * gblock, gblock);
            ReadOnlySpan<double> a = gates.AsSpan(t * gblock, gblock);
            Span<double> dx = dXw.AsSpan(t * gblock, gblock);
            Array.Clear(dHu);
            Array.Clear(dHuCandidate);
            for (int b = 0; b < batch; b++)
            {
                int r = b * g3;
                for (int j = 0; j < u; j++)
                {
                    int s = (b * u) + j;
                    double z = a[r + j], hh = a[r + (2 * u) + j];
                    double dz = dh[s] * (hPrev[s] - hh);
                    double dCand = dh[s] * (1.0 - z) * act.Derivative(p[r + (2 * u) + j], hh);
                    dhNext[s] = dh[s] * z;
                    dx[r + j] = dz * rec.Derivative(p[r + j], z);
                    dx[r + (2 * u) + j] = dCand;
                    dHu[r + j] = dx[r + j];
                    if (ResetAfter)
                    {
                        double rg = a[r + u + j];
                        double dr = dCand * hs[r + (2 * u) + j];
                        dx[r + u + j] = dr * rec.Derivative(p[r + u + j], rg);
                        dHu[r + u + j] = dx[r + u + j];
                        dHu[r + (2 * u) + j] = dCand * rg;
                    }
                    else
                    {
                        dHuCandidate[r + (2 * u) + j] = dCand;
                    }
                }
            }

            if (!ResetAfter)
            {
                // d(r·h) = dCand·U_hᵀ; dr = d(r·h)·h; the z/r part of dHu is completed afterwards.
                Array.Clear(drh);
                Kernels.MatMulTransposedBAdd(dHuCandidate, _recurrent.Value.Span, drh, batch, g3, u);
                for (int b = 0; b < batch; b++)
                {
                    int r = b * g3;
                    for (int j = 0; j < u; j++)
                    {
                        int s = (b * u) + j;
                        double rg = a[r + u + j];
                        rh[s] = rg * hPrev[s];
                        dx[r + u + j] = drh[s] * hPrev[s] * rec.Derivative(p[r + u + j], rg);
                        dHu[r + u + j] = dx[r + u + j];
                        dhNext[s] += drh[s] * rg;
                    }
                }

                Kernels.MatMulTransposedAAdd(rh, dHuCandidate, recGrad, batch, u, g3);
            }
            else
            {
                Kernels.AddColumnSums(dHu, _bias.Gradient.Span.Slice(g3, g3), batch);
            }

            Kernels.MatMulTransposedAAdd(hPrev, dHu, recGrad, batch, u, g3);
            Kernels.MatMulTransposedBAdd(dHu, _recurrent.Value.Span, dhNext, batch, g3, u);
            (dh, dhNext) = (dhNext, dh);
            Array.Clear(dhNext);
        }

        dh.CopyTo(initialStateGradients[0], 0);
        Kernels.MatMulTransposedAAdd(x, dXw, _kernel.Gradient.Span, time * batch, InputDim, g3);
        Kernels.AddColumnSums(dXw, _bias.Gradient.Span[..g3], time * batch);
        if (InputGradientWanted(0))
        {
            Kernels.MatMulTransposedBAdd(dXw, _kernel.Value.Span, inputGradient, time * batch, g3, InputDim);
        }
    }

    /// <summary>
    /// PyTorch nn.GRU layout (gates r, z, n): weight_ih [3u, in], weight_hh [3u, u], bias_ih [3u], bias_hh [3u].
    /// Only defined for <see cref="ResetAfter"/> = true, which is what nn.GRU computes.
    /// </summary>
    /// <returns>The PyTorch arrays.</returns>
    public override DoubleTensor[] GetTorchWeights()
    {
        RequireResetAfter();
        int g3 = 3 * Units;
        var biasIn = new DoubleTensor(_bias.Value.Data[..g3], g3);
        var biasRec = new DoubleTensor(_bias.Value.Data[g3..], g3);
        return
        [
            WeightLayout.Transpose(WeightLayout.ReorderGates(_kernel.Value, 1, 0, 2)),
            WeightLayout.Transpose(WeightLayout.ReorderGates(_recurrent.Value, 1, 0, 2)),
            WeightLayout.ReorderGates(biasIn, 1, 0, 2),
            WeightLayout.ReorderGates(biasRec, 1, 0, 2),
        ];
    }

    /// <summary>Sets weights from PyTorch's nn.GRU layout: weight_ih, weight_hh, bias_ih, bias_hh (gates r, z, n).</summary>
    /// <param name="weights">The four PyTorch arrays.</param>
    public override void SetTorchWeights(params DoubleTensor[] weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        RequireResetAfter();
        int g3 = 3 * Units;
        var bias = new DoubleTensor(2, g3);
        WeightLayout.ReorderGates(weights[2], 1, 0, 2).Data.CopyTo(bias.Data, 0);
        WeightLayout.ReorderGates(weights[3], 1, 0, 2).Data.CopyTo(bias.Data, g3);
        SetWeights(
            WeightLayout.ReorderGates(WeightLayout.Transpose(weights[0]), 1, 0, 2),
            WeightLayout.ReorderGates(WeightLayout.Transpose(weights[1]), 1, 0, 2),
            bias);
    }

    private void RequireResetAfter()
    {
        if (!ResetAfter)
        {
            throw new NotSupportedException("PyTorch's nn.GRU corresponds to reset_after = true only.");
        }
    }
}

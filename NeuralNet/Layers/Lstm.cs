using NeuralNet.Initializers;

namespace NeuralNet.Layers;

/// <summary>
/// Keras' LSTM with gates in the order i, f, c, o:
/// z = x·W + h·U + b; i = σ(z_i), f = σ(z_f), g = tanh(z_c), o = σ(z_o); c' = f·c + i·g; h' = o·tanh(c').
/// Weights in Keras layout: kernel [in, 4u], recurrent_kernel [u, 4u], bias [4u] (forget bias initialized to 1).
/// States are h and c.
/// </summary>
/// <param name="units">Number of units.</param>
/// <param name="options">Recurrent options.</param>
/// <param name="unitForgetBias">Initialize the forget-gate bias to 1 (Keras' default).</param>
public sealed class Lstm(int units, RecurrentOptions? options = null, bool unitForgetBias = true) : RecurrentLayer(units, options)
{
    private Parameter _kernel = null!;
    private Parameter _recurrent = null!;
    private Parameter _bias = null!;

    /// <summary>Whether the forget-gate bias starts at 1.</summary>
    public bool UnitForgetBias { get; } = unitForgetBias;

    /// <inheritdoc/>
    public override int StateCount => 2;

    /// <inheritdoc/>
    protected override void CreateWeights()
    {
        _kernel = AddParameter("kernel", InputDim, 4 * Units);
        _recurrent = AddParameter("recurrent_kernel", Units, 4 * Units);
        _bias = AddParameter("bias", 4 * Units);
    }

    /// <inheritdoc/>
    protected override void InitializeCore(Random random)
    {
        WeightInitializers.GlorotUniform(_kernel.Value.Span, InputDim, 4 * Units, random);
        WeightInitializers.Orthogonal(_recurrent.Value.Span, Units, 4 * Units, random);
        _bias.Value.Span.Clear();
        if (UnitForgetBias)
        {
            _bias.Value.Span.Slice(Units, Units).Fill(1.0);
        }
    }

    // Per step: Pre = z (pre-activations) and Gates = (i, f, g, o), both [batch, 4u]; Cells = c and TanhCells = tanh(c), [batch, u].
    private sealed record Cache(double[] Pre, double[] Gates, double[] Cells, double[] TanhCells);

    /// <inheritdoc/>
    protected override object RunForward(double[] x, int batch, int time, double[][] initialStates, double[] hidden, double[][] finalStates)
    {
        int u = Units, g4 = 4 * u, block = batch * u, gblock = batch * g4;
        double[] pre = NewArray(time * gblock);
        double[] gates = NewArray(time * gblock);
        double[] cells = NewArray(time * block);
        double[] tanhCells = NewArray(time * block);
        Kernels.AddRowVector(pre, _bias.Value.Span, time * batch);
        Kernels.MatMulAdd(x, _kernel.Value.Span, pre, time * batch, InputDim, g4);
        var act = Options.Activation;
        var rec = Options.RecurrentActivation;

        // The candidate gates g of all rows, gathered: each activation is then one call per step on a whole block
        // (per row, the calls on 10-20 values cost more than their arithmetic).
        double[] gz = NewArray(block), ga = NewArray(block);
        for (int t = 0; t < time; t++)
        {
            ReadOnlySpan<double> hPrev = t == 0 ? initialStates[0] : hidden.AsSpan((t - 1) * block, block);
            ReadOnlySpan<double> cPrev = t == 0 ? initialStates[1] : cells.AsSpan((t - 1) * block, block);
            Span<double> z = pre.AsSpan(t * gblock, gblock);
            Span<double> a = gates.AsSpan(t * gblock, gblock);
            Span<double> c = cells.AsSpan(t * block, block);
            Span<double> tc = tanhCells.AsSpan(t * block, block);
            Span<double> h = hidden.AsSpan(t * block, block);
            Kernels.MatMulAdd(hPrev, _recurrent.Value.Span, z, batch, u, g4);
            rec.Forward(z, a, g4); // i, f, o (and g, overwritten below)
            for (int b = 0; b < batch; b++)
            {
                z.Slice((b * g4) + (2 * u), u).CopyTo(gz.AsSpan(b * u, u));
            }

            act.Forward(gz, ga, u);
            for (int b = 0; b < batch; b++)
            {
                int r = b * g4;
                ga.AsSpan(b * u, u).CopyTo(a.Slice(r + (2 * u), u));
                for (int j = 0; j < u; j++)
                {
                    c[(b * u) + j] = (a[r + u + j] * cPrev[(b * u) + j]) + (a[r + j] * a[r + (2 * u) + j]);
                }
            }

            act.Forward(c, tc, u);
            for (int b = 0; b < batch; b++)
            {
                int r = b * g4;
                for (int j = 0; j < u; j++)
                {
                    h[(b * u) + j] = a[r + (3 * u) + j] * tc[(b * u) + j];
                }
            }
        }

        hidden.AsSpan((time - 1) * block, block).CopyTo(finalStates[0]);
        cells.AsSpan((time - 1) * block, block).CopyTo(finalStates[1]);
        return new Cache(pre, gates, cells, tanhCells);
    }

    /// <inheritdoc/>
    protected override void RunBackward(object cache, double[] x, int batch, int time, double[][] initialStates, double[] hidden, double[] hiddenGradient, double[]?[] finalStateGradients, double[] inputGradient, double[][] initialStateGradients)
    {
        var (pre, gates, cells, tanhCells) = (Cache)cache;
        int u = Units, g4 = 4 * u, block = batch * u, gblock = batch * g4;
        double[] dPre = NewArray(time * gblock);
        double[] dh = NewArray(block);
        double[] dc = NewArray(block);
        double[] dTanhCell = NewArray(block);
        if (finalStateGradients[1] is { } dcFinal)
        {
            dcFinal.CopyTo(dc, 0);
        }

        var act = Options.Activation;
        var rec = Options.RecurrentActivation;
        double[] gz = NewArray(block), ga = NewArray(block), dg = NewArray(block);
        for (int t = time - 1; t >= 0; t--)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(dh, hiddenGradient.AsSpan(t * block, block), dh);
            ReadOnlySpan<double> hPrev = t == 0 ? initialStates[0] : hidden.AsSpan((t - 1) * block, block);
            ReadOnlySpan<double> cPrev = t == 0 ? initialStates[1] : cells.AsSpan((t - 1) * block, block);
            ReadOnlySpan<double> z = pre.AsSpan(t * gblock, gblock);
            ReadOnlySpan<double> a = gates.AsSpan(t * gblock, gblock);
            ReadOnlySpan<double> c = cells.AsSpan(t * block, block);
            ReadOnlySpan<double> tc = tanhCells.AsSpan(t * block, block);
            Span<double> dz = dPre.AsSpan(t * gblock, gblock);

            // dL/dc from h = o·tanh(c), then the gradients of the gate activations, then through the activations.
            for (int b = 0; b < batch; b++)
            {
                for (int j = 0; j < u; j++)
                {
                    dTanhCell[(b * u) + j] = dh[(b * u) + j] * a[(b * g4) + (3 * u) + j];
                }
            }

            act.Backward(c, tc, dTanhCell, dTanhCell, u);
            for (int b = 0; b < batch; b++)
            {
                int r = b * g4;
                for (int j = 0; j < u; j++)
                {
                    int s = (b * u) + j;
                    double dcs = dc[s] + dTanhCell[s];
                    dz[r + j] = dcs * a[r + (2 * u) + j];
                    dz[r + u + j] = dcs * cPrev[s];
                    dz[r + (2 * u) + j] = dcs * a[r + j];
                    dz[r + (3 * u) + j] = dh[s] * tc[s];
                    dc[s] = dcs * a[r + u + j];
                }

                z.Slice(r + (2 * u), u).CopyTo(gz.AsSpan(b * u, u));
                a.Slice(r + (2 * u), u).CopyTo(ga.AsSpan(b * u, u));
                dz.Slice(r + (2 * u), u).CopyTo(dg.AsSpan(b * u, u));
            }

            // Through the activations, one call each on the whole step (g's entries of the first are overwritten).
            rec.Backward(z, a, dz, dz, g4);
            act.Backward(gz, ga, dg, dg, u);
            for (int b = 0; b < batch; b++)
            {
                dg.AsSpan(b * u, u).CopyTo(dz.Slice((b * g4) + (2 * u), u));
            }

            Kernels.MatMulTransposedAAdd(hPrev, dz, _recurrent.Gradient.Span, batch, u, g4);
            Array.Clear(dh);
            Kernels.MatMulTransposedBAdd(dz, _recurrent.Value.Span, dh, batch, g4, u);
        }

        dh.CopyTo(initialStateGradients[0], 0);
        dc.CopyTo(initialStateGradients[1], 0);
        Kernels.MatMulTransposedAAdd(x, dPre, _kernel.Gradient.Span, time * batch, InputDim, g4);
        Kernels.AddColumnSums(dPre, _bias.Gradient.Span, time * batch);
        if (InputGradientWanted(0))
        {
            Kernels.MatMulTransposedBAdd(dPre, _kernel.Value.Span, inputGradient, time * batch, g4, InputDim);
        }
    }

    /// <summary>PyTorch nn.LSTM layout (gates i, f, g, o): weight_ih [4u, in], weight_hh [4u, u], bias_ih [4u], bias_hh [4u] (zero on export).</summary>
    /// <returns>The PyTorch arrays.</returns>
    public override DoubleTensor[] GetTorchWeights()
        => [WeightLayout.Transpose(_kernel.Value), WeightLayout.Transpose(_recurrent.Value), _bias.Value.Clone(), new DoubleTensor(4 * Units)];

    /// <summary>Sets weights from PyTorch's nn.LSTM layout: weight_ih, weight_hh, bias_ih, bias_hh.</summary>
    /// <param name="weights">The four PyTorch arrays.</param>
    public override void SetTorchWeights(params DoubleTensor[] weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        SetWeights(WeightLayout.Transpose(weights[0]), WeightLayout.Transpose(weights[1]), AddBiases(weights[2], weights[3]));
    }
}

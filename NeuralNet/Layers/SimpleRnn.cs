using NeuralNet.Initializers;

namespace NeuralNet.Layers;

/// <summary>
/// Keras' SimpleRNN: h_t = f(x_t·W + h_{t−1}·U + b). Weights in Keras layout:
/// kernel [in, units], recurrent_kernel [units, units], bias [units].
/// </summary>
/// <param name="units">Number of units.</param>
/// <param name="options">Recurrent options.</param>
public sealed class SimpleRnn(int units, RecurrentOptions? options = null) : RecurrentLayer(units, options)
{
    private Parameter _kernel = null!;
    private Parameter _recurrent = null!;
    private Parameter _bias = null!;

    /// <inheritdoc/>
    public override int StateCount => 1;

    /// <inheritdoc/>
    protected override void CreateWeights()
    {
        _kernel = AddParameter("kernel", InputDim, Units);
        _recurrent = AddParameter("recurrent_kernel", Units, Units);
        _bias = AddParameter("bias", Units);
    }

    /// <inheritdoc/>
    protected override void InitializeCore(Random random)
    {
        WeightInitializers.GlorotUniform(_kernel.Value.Span, InputDim, Units, random);
        WeightInitializers.Orthogonal(_recurrent.Value.Span, Units, Units, random);
        _bias.Value.Span.Clear();
    }

    /// <inheritdoc/>
    protected override object RunForward(double[] x, int batch, int time, double[][] initialStates, double[] hidden, double[][] finalStates)
    {
        int block = batch * Units;
        double[] pre = NewArray(time * block);
        Kernels.AddRowVector(pre, _bias.Value.Span, time * batch);
        Kernels.MatMulAdd(x, _kernel.Value.Span, pre, time * batch, InputDim, Units);
        for (int t = 0; t < time; t++)
        {
            ReadOnlySpan<double> hPrev = t == 0 ? initialStates[0] : hidden.AsSpan((t - 1) * block, block);
            Span<double> a = pre.AsSpan(t * block, block);
            Kernels.MatMulAdd(hPrev, _recurrent.Value.Span, a, batch, Units, Units);
            Options.Activation.Forward(a, hidden.AsSpan(t * block, block), Units);
        }

        hidden.AsSpan((time - 1) * block, block).CopyTo(finalStates[0]);
        return pre;
    }

    /// <inheritdoc/>
    protected override void RunBackward(object cache, double[] x, int batch, int time, double[][] initialStates, double[] hidden, double[] hiddenGradient, double[]?[] finalStateGradients, double[] inputGradient, double[][] initialStateGradients)
    {
        var pre = (double[])cache;
        int block = batch * Units;
        double[] dPre = NewArray(time * block);
        double[] dh = NewArray(block);
        for (int t = time - 1; t >= 0; t--)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(dh, hiddenGradient.AsSpan(t * block, block), dh);
            Span<double> da = dPre.AsSpan(t * block, block);
            Options.Activation.Backward(pre.AsSpan(t * block, block), hidden.AsSpan(t * block, block), dh, da, Units);
            ReadOnlySpan<double> hPrev = t == 0 ? initialStates[0] : hidden.AsSpan((t - 1) * block, block);
            Kernels.MatMulTransposedAAdd(hPrev, da, _recurrent.Gradient.Span, batch, Units, Units);
            Array.Clear(dh);
            Kernels.MatMulTransposedBAdd(da, _recurrent.Value.Span, dh, batch, Units, Units);
        }

        dh.CopyTo(initialStateGradients[0], 0);
        Kernels.MatMulTransposedAAdd(x, dPre, _kernel.Gradient.Span, time * batch, InputDim, Units);
        Kernels.AddColumnSums(dPre, _bias.Gradient.Span, time * batch);
        if (InputGradientWanted(0))
        {
            Kernels.MatMulTransposedBAdd(dPre, _kernel.Value.Span, inputGradient, time * batch, Units, InputDim);
        }
    }

    /// <summary>PyTorch layout: weight_ih [u, in], weight_hh [u, u], bias_ih [u], bias_hh [u] (zero on export).</summary>
    /// <returns>The PyTorch arrays.</returns>
    public override DoubleTensor[] GetTorchWeights()
        => [WeightLayout.Transpose(_kernel.Value), WeightLayout.Transpose(_recurrent.Value), _bias.Value.Clone(), new DoubleTensor(Units)];

    /// <summary>Sets weights from PyTorch's nn.RNN (tanh) layout: weight_ih, weight_hh, bias_ih, bias_hh.</summary>
    /// <param name="weights">The four PyTorch arrays.</param>
    public override void SetTorchWeights(params DoubleTensor[] weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        SetWeights(WeightLayout.Transpose(weights[0]), WeightLayout.Transpose(weights[1]), AddBiases(weights[2], weights[3]));
    }
}

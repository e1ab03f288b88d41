using NeuralNet.Activations;
using NeuralNet.Initializers;

namespace NeuralNet.Layers;

/// <summary>Padding modes of <see cref="Conv1D"/>, as in Keras.</summary>
public enum Padding
{
    /// <summary>No padding: only full windows.</summary>
    Valid,

    /// <summary>Output length ⌈L / stride⌉, padding split as TensorFlow does (the extra zero goes on the right).</summary>
    Same,

    /// <summary>(k − 1)·dilation zeros on the left, so output t only sees inputs up to t.</summary>
    Causal,
}

/// <summary>
/// A 1-D convolution over [batch, length, channels] (Keras' Conv1D, channels last).
/// Kernel in Keras layout [kernel_size, in_channels, filters], bias [filters].
/// An optional fixed 0/1 kernel mask gives a masked (sparse) convolution.
/// </summary>
public sealed class Conv1D : Layer
{
    private readonly double[]? _kernelMask;
    private Parameter _kernel = null!;
    private Parameter? _bias;
    private int _inChannels;

    /// <summary>Creates a 1-D convolution.</summary>
    /// <param name="filters">Number of output channels.</param>
    /// <param name="kernelSize">Window length.</param>
    /// <param name="strides">Step between windows.</param>
    /// <param name="padding">Padding mode.</param>
    /// <param name="dilationRate">Spacing between kernel taps.</param>
    /// <param name="activation">Activation (default linear).</param>
    /// <param name="useBias">Whether to add a bias.</param>
    /// <param name="kernelMask">Optional fixed 0/1 mask in kernel layout [k, in, filters].</param>
    /// <param name="name">Optional name.</param>
    /// <param name="seed">Initializer seed.</param>
    public Conv1D(int filters, int kernelSize, int strides = 1, Padding padding = Padding.Valid, int dilationRate = 1, Activation? activation = null, bool useBias = true, double[]? kernelMask = null, string? name = null, int? seed = null)
        : base(name, seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(filters, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(strides, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dilationRate, 1);
        Filters = filters;
        KernelSize = kernelSize;
        Strides = strides;
        Padding = padding;
        DilationRate = dilationRate;
        Activation = activation ?? new Linear();
        UseBias = useBias;
        _kernelMask = kernelMask is null ? null : (double[])kernelMask.Clone();
    }

    /// <summary>Creates a masked (sparse) 1-D convolution from a 3-D mask.</summary>
    /// <param name="filters">Number of output channels (the mask's last axis).</param>
    /// <param name="kernelSize">Window length (the mask's first axis).</param>
    /// <param name="kernelMask">Fixed 0/1 mask [k, in, filters]: entry [t, c, f] = 0 cuts tap t of input channel c from filter f.</param>
    /// <param name="strides">Step between windows.</param>
    /// <param name="padding">Padding mode.</param>
    /// <param name="dilationRate">Spacing between kernel taps.</param>
    /// <param name="activation">Activation (default linear).</param>
    /// <param name="useBias">Whether to add a bias.</param>
    /// <param name="name">Optional name.</param>
    /// <param name="seed">Initializer seed.</param>
    public Conv1D(int filters, int kernelSize, double[,,] kernelMask, int strides = 1, Padding padding = Padding.Valid, int dilationRate = 1, Activation? activation = null, bool useBias = true, string? name = null, int? seed = null)
        : this(filters, kernelSize, strides, padding, dilationRate, activation, useBias, MaskLayout.Flatten(kernelMask, kernelSize, filters), name, seed)
    {
    }

    /// <summary>Number of output channels.</summary>
    public int Filters { get; }

    /// <summary>Window length.</summary>
    public int KernelSize { get; }

    /// <summary>Step between windows.</summary>
    public int Strides { get; }

    /// <summary>Padding mode.</summary>
    public Padding Padding { get; }

    /// <summary>Spacing between kernel taps.</summary>
    public int DilationRate { get; }

    /// <summary>The activation.</summary>
    public Activation Activation { get; }

    /// <summary>Whether a bias is added.</summary>
    public bool UseBias { get; }

    /// <summary>The kernel [k, in, filters].</summary>
    public Parameter Kernel => _kernel;

    /// <summary>Output length and left padding for an input length.</summary>
    /// <param name="length">Input length.</param>
    /// <returns>The output length and the number of zeros padded on the left.</returns>
    public (int OutputLength, int PadLeft) Geometry(int length)
    {
        int span = ((KernelSize - 1) * DilationRate) + 1;
        switch (Padding)
        {
            case Padding.Valid:
                return (length < span ? 0 : ((length - span) / Strides) + 1, 0);
            case Padding.Same:
                int outLength = (length + Strides - 1) / Strides;
                int padTotal = Math.Max(((outLength - 1) * Strides) + span - length, 0);
                return (outLength, padTotal / 2);
            default:
                int left = (KernelSize - 1) * DilationRate;
                return (((length + left - span) / Strides) + 1, left);
        }
    }

    /// <inheritdoc/>
    protected override void CreateParameters(int[][] inputShapes)
    {
        _inChannels = inputShapes[0][1];
        _kernel = AddParameter("kernel", KernelSize, _inChannels, Filters);
        _kernel.SetMask(_kernelMask);
        _bias = UseBias ? AddParameter("bias", Filters) : null;
    }

    /// <inheritdoc/>
    protected override int[][] ComputeOutputShapes(int[][] inputShapes)
    {
        int[] shape = inputShapes[0];
        if (inputShapes.Length != 1 || shape.Length != 2)
        {
            throw new ArgumentException("Conv1D expects one input [length, channels].");
        }

        int outLength = shape[0] < 0 ? -1 : Geometry(shape[0]).OutputLength;
        if (outLength == 0)
        {
            throw new ArgumentException($"Input length {shape[0]} is shorter than the dilated kernel of {Name}.");
        }

        return [[outLength, Filters]];
    }

    /// <inheritdoc/>
    protected override void InitializeCore(Random random)
    {
        WeightInitializers.GlorotUniform(_kernel.Value.Span, KernelSize * _inChannels, KernelSize * Filters, random);
        _bias?.Value.Span.Clear();
    }

    /// <inheritdoc/>
    protected override DoubleTensor[] ForwardCore(DoubleTensor[] inputs, bool training, out object? cache)
    {
        DoubleTensor x = inputs[0];
        bool[]? mask = CurrentMasks.Count > 0 ? CurrentMasks[0] : null;
        if (mask is not null)
        {
            x = ZeroMaskedSteps(x, mask);
        }

        int batch = x.Shape[0], length = x.Shape[1];
        (int outLength, int padLeft) = Geometry(length);
        if (outLength < 1)
        {
            throw new ArgumentException($"Input length {length} is shorter than the dilated kernel of {Name}.");
        }

        // One product over all output positions: row (b, o) of the windows holds the input steps its taps read
        // ([kernel, in], zero outside the input). The products skip zero terms and add the rest in index order, so
        // this sums the same terms in the same order as a product per tap.
        int rows = batch * outLength, width = KernelSize * _inChannels;
        double[] windows = NewArray(rows * width);
        Gather(x.Data, windows, batch, length, outLength, padLeft);
        DoubleTensor z = NewTensor([batch, outLength, Filters]);
        if (_bias is not null)
        {
            Kernels.AddRowVector(z.Span, _bias.Value.Span, rows);
        }

        Kernels.MatMulAdd(windows, _kernel.Value.Span, z.Span, rows, width, Filters);
        if (Activation is Linear)
        {
            cache = new ConvCache(null, x, windows, mask);
            return [z];
        }

        DoubleTensor y = NewTensor(z.Shape);
        Activation.Forward(z.Span, y.Span, Filters);
        cache = new ConvCache(z, x, windows, mask);
        return [y];
    }

    /// <summary>windows[(b, o), tap, :] = x[b, pos(o, tap), :] for every tap inside the input (the rest stay zero).</summary>
    private void Gather(double[] x, double[] windows, int batch, int length, int outLength, int padLeft)
    {
        int ci = _inChannels;
        for (int b = 0; b < batch; b++)
        {
            for (int o = 0; o < outLength; o++)
            {
                for (int kk = 0; kk < KernelSize; kk++)
                {
                    int pos = (o * Strides) + (kk * DilationRate) - padLeft;
                    if (pos >= 0 && pos < length)
                    {
                        Array.Copy(x, ((b * length) + pos) * ci, windows, ((((b * outLength) + o) * KernelSize) + kk) * ci, ci);
                    }
                }
            }
        }
    }

    /// <summary>dx[b, pos(o, tap), :] += dWindows[(b, o), tap, :] in (b, o, tap) order, as a product per tap adds them.</summary>
    private void ScatterAdd(double[] dWindows, double[] dx, int batch, int length, int outLength, int padLeft)
    {
        int ci = _inChannels;
        for (int b = 0; b < batch; b++)
        {
            for (int o = 0; o < outLength; o++)
            {
                for (int kk = 0; kk < KernelSize; kk++)
                {
                    int pos = (o * Strides) + (kk * DilationRate) - padLeft;
                    if (pos >= 0 && pos < length)
                    {
                        int to = ((b * length) + pos) * ci, from = ((((b * outLength) + o) * KernelSize) + kk) * ci;
                        for (int j = 0; j < ci; j++)
                        {
                            dx[to + j] += dWindows[from + j];
                        }
                    }
                }
            }
        }
    }

    // Z: pre-activations (null for a linear activation); X: the input as convolved (masked steps zeroed); Windows: the
    // input steps each output position reads, [batch·out, kernel·in].
    private sealed record ConvCache(DoubleTensor? Z, DoubleTensor X, double[] Windows, bool[]? Mask);

    /// <summary>
    /// With a mask, masked input steps are read as zeros, so with stride 1 and <see cref="Padding.Causal"/> or
    /// <see cref="Padding.Same"/> padding the outputs at the steps that hold data of a post-padded sequence equal those
    /// of the unpadded sequence; the output keeps the input's mask. Layouts that change the time axis
    /// (valid padding with a kernel longer than one step, or strides) cannot carry a mask and are refused.
    /// </summary>
    /// <param name="inputs">The inputs.</param>
    /// <param name="masks">Their masks.</param>
    /// <param name="outputs">The outputs.</param>
    /// <returns>The input mask, or null.</returns>
    protected override bool[]?[] ComputeOutputMasks(DoubleTensor[] inputs, bool[]?[] masks, DoubleTensor[] outputs)
    {
        ArgumentNullException.ThrowIfNull(masks);
        return [masks[0]];
    }

    private DoubleTensor ZeroMaskedSteps(DoubleTensor x, bool[] mask)
    {
        if (Strides != 1 || Geometry(x.Shape[1]).OutputLength != x.Shape[1])
        {
            throw new InvalidOperationException($"{Name} changes the time axis (padding {Padding}, strides {Strides}), so the mask of its input cannot follow it: use Causal or Same padding with stride 1, or mask after the convolution.");
        }

        DoubleTensor copy = NewTensor(x.Shape);
        x.Data.CopyTo(copy.Data, 0);
        int width = _inChannels;
        for (int s = 0; s < mask.Length; s++)
        {
            if (!mask[s])
            {
                copy.Span.Slice(s * width, width).Clear();
            }
        }

        return copy;
    }

    /// <inheritdoc/>
    protected override DoubleTensor[] BackwardCore(ForwardPass pass, IReadOnlyList<DoubleTensor?> outputGradients)
    {
        var c = (ConvCache)pass.Cache!;
        DoubleTensor x = c.X;
        DoubleTensor dx = NewTensor(x.Shape);
        if (outputGradients[0] is not { } dy)
        {
            return [dx];
        }

        DoubleTensor dz = dy;
        if (c.Z is DoubleTensor z)
        {
            dz = NewTensor(z.Shape);
            Activation.Backward(z.Span, pass.Outputs[0].Span, dy.Span, dz.Span, Filters);
        }

        int batch = x.Shape[0], length = x.Shape[1];
        (int outLength, int padLeft) = Geometry(length);
        int rows = batch * outLength, width = KernelSize * _inChannels;
        Kernels.MatMulTransposedAAdd(c.Windows, dz.Span, _kernel.Gradient.Span, rows, width, Filters);
        if (InputGradientWanted(0))
        {
            // dL/d window entries (each a dot product over the filters), added to the input steps they were read from
            // in (b, o, tap) order, as a product per tap would.
            double[] dWindows = NewArray(rows * width);
            Kernels.MatMulTransposedBAdd(dz.Span, _kernel.Value.Span, dWindows, rows, Filters, width);
            ScatterAdd(dWindows, dx.Data, batch, length, outLength, padLeft);
        }

        if (_bias is not null)
        {
            Kernels.AddColumnSums(dz.Span, _bias.Gradient.Span, batch * outLength);
        }

        if (c.Mask is { } mask)
        {
            Span<double> dxs = dx.Span;
            for (int s = 0; s < mask.Length; s++)
            {
                if (!mask[s])
                {
                    dxs.Slice(s * _inChannels, _inChannels).Clear();
                }
            }
        }

        return [dx];
    }

    /// <summary>PyTorch nn.Conv1d layout: weight [filters, in, k], bias [filters].</summary>
    /// <returns>The PyTorch arrays.</returns>
    public override DoubleTensor[] GetTorchWeights()
    {
        DoubleTensor[] w = GetWeights();
        w[0] = Permute(w[0], toTorch: true);
        return w;
    }

    /// <summary>Sets weights from PyTorch's nn.Conv1d layout: weight [filters, in, k], bias [filters].</summary>
    /// <param name="weights">The PyTorch arrays.</param>
    public override void SetTorchWeights(params DoubleTensor[] weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        DoubleTensor[] w = [.. weights];
        w[0] = Permute(weights[0], toTorch: false);
        SetWeights(w);
    }

    private DoubleTensor Permute(DoubleTensor t, bool toTorch)
    {
        var result = toTorch ? new DoubleTensor(Filters, _inChannels, KernelSize) : new DoubleTensor(KernelSize, _inChannels, Filters);
        for (int kk = 0; kk < KernelSize; kk++)
        {
            for (int c = 0; c < _inChannels; c++)
            {
                for (int f = 0; f < Filters; f++)
                {
                    int keras = (((kk * _inChannels) + c) * Filters) + f;
                    int torch = (((f * _inChannels) + c) * KernelSize) + kk;
                    if (toTorch)
                    {
                        result.Data[torch] = t.Data[keras];
                    }
                    else
                    {
                        result.Data[keras] = t.Data[torch];
                    }
                }
            }
        }

        return result;
    }
}

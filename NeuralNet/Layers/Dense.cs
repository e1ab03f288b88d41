using NeuralNet.Activations;
using NeuralNet.Initializers;

namespace NeuralNet.Layers;

/// <summary>
/// A fully connected layer y = f(x·W + b) on the last axis. The kernel W has Keras' layout
/// [in, units]. An optional fixed 0/1 mask of the kernel's shape makes a sparse (masked) layer.
/// </summary>
public sealed class Dense : Layer
{
    private readonly double[]? _kernelMask;
    private Parameter _kernel = null!;
    private Parameter? _bias;

    /// <summary>Creates a dense layer.</summary>
    /// <param name="units">Number of outputs.</param>
    /// <param name="activation">Activation (default linear).</param>
    /// <param name="useBias">Whether to add a bias.</param>
    /// <param name="kernelMask">Optional fixed 0/1 mask in kernel layout [in, units], row-major.</param>
    /// <param name="name">Optional name.</param>
    /// <param name="seed">Initializer seed.</param>
    public Dense(int units, Activation? activation = null, bool useBias = true, double[]? kernelMask = null, string? name = null, int? seed = null)
        : base(name, seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(units, 1);
        Units = units;
        Activation = activation ?? new Linear();
        UseBias = useBias;
        _kernelMask = kernelMask is null ? null : (double[])kernelMask.Clone();
    }

    /// <summary>Creates a masked (sparse) dense layer from a 2-D mask.</summary>
    /// <param name="units">Number of outputs (the mask's column count).</param>
    /// <param name="kernelMask">Fixed 0/1 mask [in, units]: entry [i, j] = 0 cuts input i from output j.</param>
    /// <param name="activation">Activation (default linear).</param>
    /// <param name="useBias">Whether to add a bias.</param>
    /// <param name="name">Optional name.</param>
    /// <param name="seed">Initializer seed.</param>
    public Dense(int units, double[,] kernelMask, Activation? activation = null, bool useBias = true, string? name = null, int? seed = null)
        : this(units, activation, useBias, MaskLayout.Flatten(kernelMask, units), name, seed)
    {
    }

    /// <summary>Number of outputs.</summary>
    public int Units { get; }

    /// <summary>The activation.</summary>
    public Activation Activation { get; }

    /// <summary>Whether a bias is added.</summary>
    public bool UseBias { get; }

    /// <summary>The kernel [in, units].</summary>
    public Parameter Kernel => _kernel;

    /// <summary>The bias [units], or null.</summary>
    public Parameter? Bias => _bias;

    /// <inheritdoc/>
    protected override void CreateParameters(int[][] inputShapes)
    {
        int inputDim = inputShapes[0][^1];
        _kernel = AddParameter("kernel", inputDim, Units);
        _kernel.SetMask(_kernelMask);
        _bias = UseBias ? AddParameter("bias", Units) : null;
    }

    /// <summary>Any rank is accepted as long as the last axis has the built size.</summary>
    /// <param name="built">The shapes the layer was built for.</param>
    /// <param name="actual">The new shapes.</param>
    /// <returns>True when compatible.</returns>
    protected override bool InputsCompatible(int[][] built, int[][] actual)
    {
        ArgumentNullException.ThrowIfNull(built);
        ArgumentNullException.ThrowIfNull(actual);
        return actual.Length == 1 && actual[0].Length >= 1 && actual[0][^1] == built[0][^1];
    }

    /// <inheritdoc/>
    protected override int[][] ComputeOutputShapes(int[][] inputShapes)
    {
        if (inputShapes.Length != 1 || inputShapes[0].Length == 0)
        {
            throw new ArgumentException("Dense takes one input with at least one axis.");
        }

        int[] output = (int[])inputShapes[0].Clone();
        output[^1] = Units;
        return [output];
    }

    /// <inheritdoc/>
    protected override void InitializeCore(Random random)
    {
        WeightInitializers.GlorotUniform(_kernel.Value.Span, _kernel.Shape[0], Units, random);
        _bias?.Value.Span.Clear();
    }

    /// <inheritdoc/>
    protected override DoubleTensor[] ForwardCore(DoubleTensor[] inputs, bool training, out object? cache)
    {
        DoubleTensor x = inputs[0];
        int inputDim = _kernel.Shape[0];
        int rows = x.Length / inputDim;
        Span<int> shape = stackalloc int[x.Rank];
        x.Shape.CopyTo(shape);
        shape[^1] = Units;
        DoubleTensor z = NewTensor(shape);
        if (_bias is not null)
        {
            Kernels.AddRowVector(z.Span, _bias.Value.Span, rows);
        }

        Kernels.MatMulAdd(x.Span, _kernel.Value.Span, z.Span, rows, inputDim, Units);
        if (Activation is Linear)
        {
            cache = null;
            return [z];
        }

        DoubleTensor y = NewTensor(shape);
        Activation.Forward(z.Span, y.Span, Units);
        cache = z;
        return [y];
    }

    /// <inheritdoc/>
    protected override DoubleTensor[] BackwardCore(ForwardPass pass, IReadOnlyList<DoubleTensor?> outputGradients)
    {
        DoubleTensor x = pass.Inputs[0];
        DoubleTensor dx = NewTensor(x.Shape);
        DoubleTensor? dy = outputGradients[0];
        if (dy is null)
        {
            return [dx];
        }

        int inputDim = _kernel.Shape[0];
        int rows = x.Length / inputDim;
        DoubleTensor dz = dy;
        if (pass.Cache is DoubleTensor z)
        {
            dz = NewTensor(z.Shape);
            Activation.Backward(z.Span, pass.Outputs[0].Span, dy.Span, dz.Span, Units);
        }

        Kernels.MatMulTransposedAAdd(x.Span, dz.Span, _kernel.Gradient.Span, rows, inputDim, Units);
        if (_bias is not null)
        {
            Kernels.AddColumnSums(dz.Span, _bias.Gradient.Span, rows);
        }

        if (InputGradientWanted(0))
        {
            Kernels.MatMulTransposedBAdd(dz.Span, _kernel.Value.Span, dx.Span, rows, Units, inputDim);
        }

        return [dx];
    }

    /// <summary>PyTorch layout: <c>weight</c> [units, in], <c>bias</c> [units].</summary>
    /// <returns>The PyTorch arrays.</returns>
    public override DoubleTensor[] GetTorchWeights()
    {
        DoubleTensor[] keras = GetWeights();
        keras[0] = WeightLayout.Transpose(keras[0]);
        return keras;
    }

    /// <summary>Sets weights from PyTorch's layout: <c>weight</c> [units, in], <c>bias</c> [units].</summary>
    /// <param name="weights">The PyTorch arrays.</param>
    public override void SetTorchWeights(params DoubleTensor[] weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        DoubleTensor[] keras = [.. weights];
        keras[0] = WeightLayout.Transpose(weights[0]);
        SetWeights(keras);
    }
}

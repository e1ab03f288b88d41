namespace NeuralNet;

/// <summary>
/// The record of one forward call of a layer: its inputs, outputs and whatever the layer
/// keeps for the backward pass. A layer shared by several graph nodes gets one record per call,
/// and parameter gradients of all calls are summed.
/// </summary>
public sealed class ForwardPass
{
    internal ForwardPass(DoubleTensor[] inputs, DoubleTensor[] outputs, object? cache, bool[]?[] inputMasks, bool[]?[] outputMasks)
    {
        Inputs = inputs;
        Outputs = outputs;
        Cache = cache;
        InputMasks = inputMasks;
        OutputMasks = outputMasks;
    }

    /// <summary>
    /// The time-step mask of each input: [batch·time] row-major, true where the step holds data; null for none.
    /// </summary>
    public IReadOnlyList<bool[]?> InputMasks { get; }

    /// <summary>The time-step mask of each output, as <see cref="InputMasks"/>.</summary>
    public IReadOnlyList<bool[]?> OutputMasks { get; }

    /// <summary>The inputs of the call.</summary>
    public IReadOnlyList<DoubleTensor> Inputs { get; }

    /// <summary>The outputs of the call.</summary>
    public IReadOnlyList<DoubleTensor> Outputs { get; }

    /// <summary>Layer-specific intermediate values for the backward pass.</summary>
    public object? Cache { get; }
}

/// <summary>
/// The base of all layers. A layer is built for the shapes of its inputs (batch axis excluded),
/// owns its <see cref="Parameters"/> in Keras layout and computes forward and backward passes.
/// </summary>
public abstract class Layer
{
    private readonly List<Parameter> _parameters = [];
    private int[][]? _inputShapes;
    private int[][]? _outputShapes;
    private bool[]?[]? _currentMasks;
    private BufferPool? _pool;
    private bool[]? _inputGradientsWanted;

    /// <summary>Creates a layer.</summary>
    /// <param name="name">An optional name.</param>
    /// <param name="seed">Seed of the weight initializers; null lets a <see cref="Network"/> choose one.</param>
    protected Layer(string? name, int? seed)
    {
        Name = name ?? GetType().Name;
        Seed = seed;
    }

    /// <summary>The layer's name.</summary>
    public string Name { get; }

    /// <summary>Seed of the weight initializers, or null when a <see cref="Network"/> chooses one.</summary>
    public int? Seed { get; }

    /// <summary>True once the weights exist.</summary>
    public bool IsBuilt => _outputShapes is not null;

    /// <summary>
    /// True once the weights are the layer's own: drawn with the layer's <see cref="Seed"/>, by a <see cref="Network"/>,
    /// by <see cref="Initialize"/>, or set with <see cref="SetWeights"/> (and then trained). A <see cref="Network"/>
    /// initializes only layers where this is false, so a second model built over trained layers (Keras'
    /// feature-extractor idiom) keeps their weights.
    /// </summary>
    public bool WeightsAssigned { get; private set; }

    /// <summary>The trainable arrays in Keras order.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The input shapes (batch axis excluded; −1 marks an unknown length).</summary>
    public IReadOnlyList<int[]> InputShapes => _inputShapes ?? throw new InvalidOperationException($"Layer {Name} is not built.");

    /// <summary>The output shapes (batch axis excluded; −1 marks an unknown length).</summary>
    public IReadOnlyList<int[]> OutputShapes => _outputShapes ?? throw new InvalidOperationException($"Layer {Name} is not built.");

    /// <summary>Creates the weights for the given input shapes (batch axis excluded) and initializes them.</summary>
    /// <param name="inputShapes">One shape per input.</param>
    /// <returns>One shape per output.</returns>
    public IReadOnlyList<int[]> Build(params int[][] inputShapes)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        if (_outputShapes is not null)
        {
            CheckShapes(inputShapes);
            return ComputeOutputShapes(inputShapes);
        }

        int[][] outputs = ComputeOutputShapes(inputShapes);
        CreateParameters(inputShapes);
        _inputShapes = [.. inputShapes.Select(s => (int[])s.Clone())];
        _outputShapes = outputs;
        InitializeWeights(new Random(Seed ?? 0));

        // Without a seed of its own these are placeholder values until a Network (or the user) assigns weights.
        WeightsAssigned = Seed is not null;
        return outputs;
    }

    /// <summary>Re-draws all weights from their initializers.</summary>
    /// <param name="random">The source of randomness.</param>
    public void Initialize(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        InitializeWeights(random);
        WeightsAssigned = true;
    }

    private void InitializeWeights(Random random)
    {
        InitializeCore(random);
        foreach (Parameter p in _parameters)
        {
            p.ApplyMask(p.Value.Span);
        }
    }

    /// <summary>Records that the weights are now the layer's own (for overrides of <see cref="SetWeights"/> that do not call the base).</summary>
    protected void MarkWeightsAssigned() => WeightsAssigned = true;

    /// <summary>Creates the parameters for the first input shapes (layers without weights do nothing).</summary>
    /// <param name="inputShapes">One shape per input, batch axis excluded.</param>
    protected virtual void CreateParameters(int[][] inputShapes)
    {
    }

    /// <summary>The output shapes for given input shapes (validating them); must not depend on the weights' values.</summary>
    /// <param name="inputShapes">One shape per input, batch axis excluded.</param>
    /// <returns>One shape per output.</returns>
    protected abstract int[][] ComputeOutputShapes(int[][] inputShapes);

    /// <summary>Fills the parameters with initial values.</summary>
    /// <param name="random">The source of randomness.</param>
    protected virtual void InitializeCore(Random random)
    {
    }

    /// <summary>Adds a parameter (called from <see cref="CreateParameters"/>).</summary>
    /// <param name="name">Keras name of the weight.</param>
    /// <param name="shape">Keras shape.</param>
    /// <returns>The new parameter.</returns>
    protected Parameter AddParameter(string name, params int[] shape)
    {
        var p = new Parameter(name, shape);
        _parameters.Add(p);
        return p;
    }

    /// <summary>Registers the parameters of a wrapped layer as this layer's own.</summary>
    /// <param name="parameters">The parameters.</param>
    protected void AddParameters(IEnumerable<Parameter> parameters) => _parameters.AddRange(parameters);

    /// <summary>Runs the layer on a batch.</summary>
    /// <param name="inputs">One tensor per input, batch axis first.</param>
    /// <param name="training">True during training (enables dropout).</param>
    /// <returns>The record of the call; its outputs are in <see cref="ForwardPass.Outputs"/>.</returns>
    public ForwardPass Forward(IReadOnlyList<DoubleTensor> inputs, bool training = false) => Forward(inputs, null, training);

    /// <summary>Runs the layer on a batch of padded sequences with time-step masks (Keras' masking).</summary>
    /// <param name="inputs">One tensor per input, batch axis first.</param>
    /// <param name="masks">
    /// One mask per input (null entries, or null, for none): [batch·time] row-major, true where the step holds data.
    /// Recurrent layers skip masked steps as Keras does; other layers pass the mask on where the time axis survives.
    /// </param>
    /// <param name="training">True during training (enables dropout).</param>
    /// <returns>The record of the call, with the output masks in <see cref="ForwardPass.OutputMasks"/>.</returns>
    public ForwardPass Forward(IReadOnlyList<DoubleTensor> inputs, IReadOnlyList<bool[]?>? masks, bool training = false)
        => Forward(inputs, masks, training, null);

    /// <summary>A forward call whose working tensors come from <paramref name="pool"/> (a <see cref="Network"/> node's).</summary>
    internal ForwardPass Forward(IReadOnlyList<DoubleTensor> inputs, IReadOnlyList<bool[]?>? masks, bool training, BufferPool? pool)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        Build([.. inputs.Select(t => t.Shape[1..])]);
        DoubleTensor[] inputArray = [.. inputs];
        var maskArray = new bool[]?[inputArray.Length];
        if (masks is not null)
        {
            if (masks.Count != inputArray.Length)
            {
                throw new ArgumentException($"Layer {Name} got {masks.Count} masks for {inputArray.Length} inputs.", nameof(masks));
            }

            for (int i = 0; i < maskArray.Length; i++)
            {
                if (masks[i] is { } m)
                {
                    if (inputArray[i].Rank < 3 || m.Length != inputArray[i].Shape[0] * inputArray[i].Shape[1])
                    {
                        throw new ArgumentException($"The mask of input {i} of {Name} has {m.Length} entries; input {inputArray[i]} needs one per (sample, step).", nameof(masks));
                    }

                    maskArray[i] = m;
                }
            }
        }

        _currentMasks = maskArray;
        _pool = pool;
        try
        {
            DoubleTensor[] outputs = ForwardCore(inputArray, training, out object? cache);
            return new ForwardPass(inputArray, outputs, cache, maskArray, ComputeOutputMasks(inputArray, maskArray, outputs));
        }
        finally
        {
            _currentMasks = null;
            _pool = null;
        }
    }

    /// <summary>The masks of the inputs of the call in progress (valid inside <see cref="ForwardCore"/>).</summary>
    protected IReadOnlyList<bool[]?> CurrentMasks => _currentMasks ?? [];

    /// <summary>
    /// The output masks of a call. By default an output keeps the time axis of the inputs when it has rank 3 or more
    /// and the same batch and time sizes; it then gets the logical AND of those inputs' masks (Keras' Dense, Dropout,
    /// activations, TimeDistributed and last-axis Concatenate). Other outputs (Flatten's) have none.
    /// </summary>
    /// <param name="inputs">The inputs.</param>
    /// <param name="masks">Their masks (null entries for none).</param>
    /// <param name="outputs">The outputs.</param>
    /// <returns>One mask or null per output.</returns>
    protected virtual bool[]?[] ComputeOutputMasks(DoubleTensor[] inputs, bool[]?[] masks, DoubleTensor[] outputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(masks);
        ArgumentNullException.ThrowIfNull(outputs);
        var result = new bool[]?[outputs.Length];
        if (masks.All(m => m is null))
        {
            return result;
        }

        for (int k = 0; k < outputs.Length; k++)
        {
            if (outputs[k].Rank < 3)
            {
                continue;
            }

            bool[]? combined = null;
            for (int i = 0; i < inputs.Length; i++)
            {
                if (masks[i] is { } m && inputs[i].Shape[0] == outputs[k].Shape[0] && inputs[i].Shape[1] == outputs[k].Shape[1])
                {
                    combined = combined is null ? (bool[])m.Clone() : [.. combined.Zip(m, (a, b) => a && b)];
                }
            }

            result[k] = combined;
        }

        return result;
    }

    /// <summary>Runs a single-input, single-output layer.</summary>
    /// <param name="input">The input batch.</param>
    /// <param name="training">True during training.</param>
    /// <returns>The first output.</returns>
    public DoubleTensor Apply(DoubleTensor input, bool training = false) => Forward([input], training).Outputs[0];

    /// <summary>
    /// Back-propagates through one call: adds the parameter gradients to
    /// <see cref="Parameter.Gradient"/> and returns the gradient of each input.
    /// </summary>
    /// <param name="pass">The record returned by <see cref="Forward(IReadOnlyList{DoubleTensor}, bool)"/>.</param>
    /// <param name="outputGradients">dL/d output for each output; null means zero.</param>
    /// <returns>dL/d input for each input.</returns>
    public DoubleTensor[] Backward(ForwardPass pass, IReadOnlyList<DoubleTensor?> outputGradients) => Backward(pass, outputGradients, null);

    /// <summary>A backward call whose working tensors come from <paramref name="pool"/> (a <see cref="Network"/> node's).</summary>
    /// <param name="pass">The forward record.</param>
    /// <param name="outputGradients">dL/d output, null for zero.</param>
    /// <param name="pool">The node's working tensors, or null.</param>
    /// <param name="inputGradientsWanted">Per input, whether its gradient is used; null for all. Layers may skip the others.</param>
    internal DoubleTensor[] Backward(ForwardPass pass, IReadOnlyList<DoubleTensor?> outputGradients, BufferPool? pool, bool[]? inputGradientsWanted = null)
    {
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentNullException.ThrowIfNull(outputGradients);
        DoubleTensor[] grads;
        _pool = pool;
        _inputGradientsWanted = inputGradientsWanted;
        try
        {
            grads = BackwardCore(pass, outputGradients);
        }
        finally
        {
            _pool = null;
            _inputGradientsWanted = null;
        }

        foreach (Parameter p in _parameters)
        {
            p.ApplyMask(p.Gradient.Span);
        }

        return grads;
    }

    /// <summary>
    /// A zero-filled tensor for a value of the call in progress (inside <see cref="ForwardCore"/> or
    /// <see cref="BackwardCore"/>). Inside a <see cref="Network"/> it is reused by the same graph node's next call in
    /// the same phase, so it must not be kept beyond that (stored states are allocated with <c>new</c>).
    /// </summary>
    /// <param name="shape">The shape.</param>
    /// <returns>The tensor.</returns>
    private protected DoubleTensor NewTensor(ReadOnlySpan<int> shape) => _pool?.Tensor(shape) ?? new DoubleTensor(shape.ToArray());

    /// <summary>A zero-filled working array for the call in progress, reused as <see cref="NewTensor"/>.</summary>
    /// <param name="length">The length.</param>
    /// <returns>The array.</returns>
    private protected double[] NewArray(int length) => _pool?.Values(length) ?? new double[length];

    /// <summary>
    /// Whether the gradient of input <paramref name="index"/> is used by the caller of the backward call in progress;
    /// when false, <see cref="BackwardCore"/> may return zeros for it instead of computing it.
    /// </summary>
    /// <param name="index">The input.</param>
    /// <returns>True unless the caller said it does not need it.</returns>
    private protected bool InputGradientWanted(int index) => _inputGradientsWanted is null || _inputGradientsWanted[index];

    /// <summary>The layer's forward computation.</summary>
    /// <param name="inputs">Input batches.</param>
    /// <param name="training">True during training.</param>
    /// <param name="cache">Receives what <see cref="BackwardCore"/> needs.</param>
    /// <returns>The outputs.</returns>
    protected abstract DoubleTensor[] ForwardCore(DoubleTensor[] inputs, bool training, out object? cache);

    /// <summary>The layer's backward computation; adds to parameter gradients.</summary>
    /// <param name="pass">The forward record.</param>
    /// <param name="outputGradients">dL/d output, null for zero.</param>
    /// <returns>dL/d input.</returns>
    protected abstract DoubleTensor[] BackwardCore(ForwardPass pass, IReadOnlyList<DoubleTensor?> outputGradients);

    /// <summary>Sets all parameter gradients to zero.</summary>
    public void ZeroGradients()
    {
        foreach (Parameter p in _parameters)
        {
            p.ZeroGradient();
        }
    }

    /// <summary>Returns copies of the weights in Keras' layout and order.</summary>
    /// <returns>One tensor per Keras weight array.</returns>
    public virtual DoubleTensor[] GetWeights() => [.. _parameters.Select(p => p.Value.Clone())];

    /// <summary>Sets the weights from arrays in Keras' layout and order.</summary>
    /// <param name="weights">One tensor per Keras weight array, shapes as <see cref="GetWeights"/>.</param>
    public virtual void SetWeights(params DoubleTensor[] weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Length != _parameters.Count)
        {
            throw new ArgumentException($"Layer {Name} has {_parameters.Count} weight arrays, got {weights.Length}.", nameof(weights));
        }

        for (int i = 0; i < weights.Length; i++)
        {
            if (!weights[i].Shape.AsSpan().SequenceEqual(_parameters[i].Shape))
            {
                throw new ArgumentException($"Weight {_parameters[i].Name} of {Name} has shape [{string.Join(", ", _parameters[i].Shape)}], got [{string.Join(", ", weights[i].Shape)}].", nameof(weights));
            }
        }

        for (int i = 0; i < weights.Length; i++)
        {
            _parameters[i].SetValue(weights[i].Data);
        }

        WeightsAssigned = true;
    }

    /// <summary>Returns the weights in PyTorch's layout (e.g. <c>weight</c> as [out, in]).</summary>
    /// <returns>One tensor per PyTorch parameter, in the order of <c>named_parameters()</c>.</returns>
    public virtual DoubleTensor[] GetTorchWeights() => GetWeights();

    /// <summary>Sets the weights from PyTorch's layout, in the order of <c>named_parameters()</c>.</summary>
    /// <param name="weights">The PyTorch arrays.</param>
    public virtual void SetTorchWeights(params DoubleTensor[] weights) => SetWeights(weights);

    /// <summary>Applies the layer to symbolic inputs, adding a node to a functional graph.</summary>
    /// <param name="inputs">The symbolic inputs.</param>
    /// <returns>The first symbolic output.</returns>
    public GraphTensor Call(params GraphTensor[] inputs) => CallMany(inputs)[0];

    /// <summary>Applies the layer to symbolic inputs and returns all its outputs (e.g. sequence and states).</summary>
    /// <param name="inputs">The symbolic inputs.</param>
    /// <returns>All symbolic outputs.</returns>
    public GraphTensor[] CallMany(params GraphTensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        IReadOnlyList<int[]> outputShapes = Build([.. inputs.Select(i => i.Shape)]);
        var node = new GraphNode(this, inputs);
        node.Outputs = [.. outputShapes.Select((s, k) => new GraphTensor(s, node, k))];
        return node.Outputs;
    }

    private void CheckShapes(int[][] inputShapes)
    {
        if (!InputsCompatible(_inputShapes!, inputShapes))
        {
            throw new ArgumentException($"Layer {Name} was built for inputs {Describe(_inputShapes!)} but got {Describe(inputShapes)}.");
        }
    }

    /// <summary>
    /// Whether later inputs fit the ones the layer was built for: by default the same number of inputs,
    /// each passing <see cref="ShapesCompatible"/>.
    /// </summary>
    /// <param name="built">The shapes the layer was built for.</param>
    /// <param name="actual">The new shapes.</param>
    /// <returns>True when compatible.</returns>
    protected virtual bool InputsCompatible(int[][] built, int[][] actual)
    {
        ArgumentNullException.ThrowIfNull(built);
        ArgumentNullException.ThrowIfNull(actual);
        bool ok = built.Length == actual.Length;
        for (int i = 0; ok && i < built.Length; i++)
        {
            ok = built[i].Length == actual[i].Length && ShapesCompatible(built[i], actual[i]);
        }

        return ok;
    }

    /// <summary>
    /// Whether a later input shape fits the built one. By default only the last axis (features) must match,
    /// so sequence layers accept sequences of any length.
    /// </summary>
    /// <param name="built">The shape the layer was built for.</param>
    /// <param name="actual">The new shape.</param>
    /// <returns>True when compatible.</returns>
    protected virtual bool ShapesCompatible(int[] built, int[] actual) => built.Length == 0 || built[^1] == actual[^1];

    private static string Describe(int[][] shapes) => string.Join(", ", shapes.Select(s => $"[{string.Join(", ", s)}]"));

    /// <inheritdoc/>
    public override string ToString() => Name;
}

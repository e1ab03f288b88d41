namespace NeuralNet;

/// <summary>
/// A functional model: a graph of layer calls from one or more inputs to one or more outputs.
/// A layer instance may be called several times (shared layer); its parameter gradients
/// from all calls are summed.
/// </summary>
/// <example>
/// <code>
/// var a = Network.Input(10, 1);
/// var b = Network.Input(7, 1);
/// var conv = new Conv1D(4, 3, padding: Padding.Causal);  // shared
/// var lstm = new Lstm(8);
/// var merged = new Concatenate().Call(lstm.Call(conv.Call(a)), lstm.Call(conv.Call(b)));
/// var model = new Network([a, b], [new Dense(3, "softmax").Call(merged)]);
/// </code>
/// </example>
public sealed class Network
{
    private readonly GraphNode[] _nodes;

    // The graph as slot numbers: every symbolic tensor (model inputs first) has a slot in the value arrays,
    // so a call looks values up by index rather than by hashing.
    private readonly int _slotCount;
    private readonly int[] _inputSlots;
    private readonly int[] _outputSlots;
    private readonly int[][] _nodeInputSlots;
    private readonly int[][] _nodeOutputSlots;

    // Per node and input, whether the input is computed by a layer (false for a model input, whose gradient a
    // training step does not need).
    private readonly bool[][] _nodeInputWanted;

    // Per node, the working tensors of its forward and of its backward call, reused from one step to the next.
    private readonly BufferPool[] _forwardPools;
    private readonly BufferPool[] _backwardPools;
    private ForwardPass[]? _passes;
    private DoubleTensor[]? _lastInputs;

    /// <summary>Creates a model from symbolic inputs to symbolic outputs.</summary>
    /// <param name="inputs">Tensors created by <see cref="Input(int[])"/>.</param>
    /// <param name="outputs">Tensors returned by layer calls.</param>
    /// <param name="seed">
    /// Seed for the initializers of layers that have no seed of their own and no weights yet
    /// (<see cref="Layer.WeightsAssigned"/> false), drawn in graph order. Layers that already have weights
    /// (set, trained in another model, or seeded) keep them.
    /// </param>
    public Network(IReadOnlyList<GraphTensor> inputs, IReadOnlyList<GraphTensor> outputs, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        Inputs = [.. inputs];
        Outputs = [.. outputs];
        foreach (GraphTensor input in Inputs)
        {
            if (input.Producer is not null)
            {
                throw new ArgumentException("Network inputs must come from Network.Input.", nameof(inputs));
            }
        }

        _nodes = TopologicalOrder(Outputs);
        foreach (GraphNode node in _nodes)
        {
            foreach (GraphTensor t in node.Inputs)
            {
                if (t.Producer is null && !Inputs.Contains(t))
                {
                    throw new ArgumentException("The outputs depend on an input that is not listed in the model inputs.", nameof(inputs));
                }
            }
        }

        var slots = new Dictionary<GraphTensor, int>();
        foreach (GraphTensor input in Inputs)
        {
            slots.TryAdd(input, slots.Count);
        }

        foreach (GraphNode node in _nodes)
        {
            foreach (GraphTensor t in node.Outputs)
            {
                slots.Add(t, slots.Count);
            }
        }

        _slotCount = slots.Count;
        _inputSlots = [.. Inputs.Select(t => slots[t])];
        _outputSlots = [.. Outputs.Select(t => slots.TryGetValue(t, out int s) ? s : throw new ArgumentException("A model output is not computed from the model inputs.", nameof(outputs)))];
        _nodeInputSlots = [.. _nodes.Select(n => n.Inputs.Select(t => slots[t]).ToArray())];
        _nodeOutputSlots = [.. _nodes.Select(n => n.Outputs.Select(t => slots[t]).ToArray())];
        _nodeInputWanted = [.. _nodes.Select(n => n.Inputs.Select(t => t.Producer is not null).ToArray())];
        _forwardPools = [.. _nodes.Select(_ => new BufferPool())];
        _backwardPools = [.. _nodes.Select(_ => new BufferPool())];

        Layers = [.. _nodes.Select(n => n.Layer).Distinct()];
        Parameters = [.. Layers.SelectMany(l => l.Parameters)];
        for (int i = 0; i < Layers.Count; i++)
        {
            if (!Layers[i].WeightsAssigned)
            {
                Layers[i].Initialize(new Random(unchecked((seed * 1_000_003) + i + 1)));
            }
        }
    }

    /// <summary>Creates a single-input, single-output model.</summary>
    /// <param name="input">The symbolic input.</param>
    /// <param name="output">The symbolic output.</param>
    /// <param name="seed">Initializer seed for unseeded layers.</param>
    public Network(GraphTensor input, GraphTensor output, int seed = 0)
        : this([input], [output], seed)
    {
    }

    /// <summary>Creates a symbolic model input.</summary>
    /// <param name="shape">Shape without the batch axis, e.g. (features) or (time, features).</param>
    /// <returns>The input tensor.</returns>
    public static GraphTensor Input(params int[] shape) => new((int[])shape.Clone(), null, 0, "input");

    /// <summary>Creates a named symbolic model input.</summary>
    /// <param name="name">Name.</param>
    /// <param name="shape">Shape without the batch axis.</param>
    /// <returns>The input tensor.</returns>
    public static GraphTensor Input(string name, params int[] shape) => new((int[])shape.Clone(), null, 0, name);

    /// <summary>Chains layers one after the other (Keras' Sequential).</summary>
    /// <param name="inputShape">Input shape without the batch axis.</param>
    /// <param name="layers">The layers, first to last.</param>
    /// <returns>The model.</returns>
    public static Network Sequential(int[] inputShape, params Layer[] layers) => Sequential(inputShape, 0, layers);

    /// <summary>Chains layers one after the other with a given initializer seed.</summary>
    /// <param name="inputShape">Input shape without the batch axis.</param>
    /// <param name="seed">Initializer seed for unseeded layers.</param>
    /// <param name="layers">The layers, first to last.</param>
    /// <returns>The model.</returns>
    public static Network Sequential(int[] inputShape, int seed, params Layer[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        GraphTensor input = Input(inputShape);
        GraphTensor x = input;
        foreach (Layer layer in layers)
        {
            x = layer.Call(x);
        }

        return new Network([input], [x], seed);
    }

    /// <summary>The symbolic inputs.</summary>
    public IReadOnlyList<GraphTensor> Inputs { get; }

    /// <summary>The symbolic outputs.</summary>
    public IReadOnlyList<GraphTensor> Outputs { get; }

    /// <summary>The distinct layers in graph order.</summary>
    public IReadOnlyList<Layer> Layers { get; }

    /// <summary>
    /// The time-step masks of the outputs of the last <see cref="Forward(IReadOnlyList{DoubleTensor}, IReadOnlyList{bool[]}, bool)"/>
    /// call ([batch·time] row-major, true where the step holds data), null for an output without one (no masked
    /// input, or the time axis did not survive). Keras leaves masked steps out of the loss: pass the mask to
    /// <see cref="Losses.Loss.Compute(DoubleTensor, DoubleTensor, DoubleTensor, IReadOnlyList{bool})"/>.
    /// </summary>
    public IReadOnlyList<bool[]?> OutputMasks { get; private set; } = [];

    /// <summary>All trainable parameters (each shared layer once).</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Runs the graph; the call is remembered for <see cref="Backward"/>.</summary>
    /// <param name="inputs">One batch per model input.</param>
    /// <param name="training">True during training (enables dropout).</param>
    /// <returns>One batch per model output.</returns>
    public DoubleTensor[] Forward(IReadOnlyList<DoubleTensor> inputs, bool training = false) => Forward(inputs, null, training);

    /// <summary>Runs the graph on padded sequences with time-step masks; the call is remembered for <see cref="Backward"/>.</summary>
    /// <param name="inputs">One batch per model input.</param>
    /// <param name="masks">
    /// One mask per model input (null entries, or null, for none): [batch·time] row-major, true where the step holds
    /// data. Masks follow the graph as in Keras (see <see cref="Layer.Forward(IReadOnlyList{DoubleTensor}, IReadOnlyList{bool[]}, bool)"/>);
    /// <see cref="Layers.Masking"/> layers add their own.
    /// </param>
    /// <param name="training">True during training (enables dropout).</param>
    /// <returns>One batch per model output.</returns>
    public DoubleTensor[] Forward(IReadOnlyList<DoubleTensor> inputs, IReadOnlyList<bool[]?>? masks, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != Inputs.Count)
        {
            throw new ArgumentException($"The model has {Inputs.Count} inputs, got {inputs.Count}.", nameof(inputs));
        }

        if (masks is not null && masks.Count != Inputs.Count)
        {
            throw new ArgumentException($"The model has {Inputs.Count} inputs, got {masks.Count} masks.", nameof(masks));
        }

        var values = new DoubleTensor[_slotCount];
        var maskOf = new bool[]?[_slotCount];
        for (int i = 0; i < inputs.Count; i++)
        {
            values[_inputSlots[i]] = inputs[i];
            maskOf[_inputSlots[i]] = masks?[i];
        }

        var passes = new ForwardPass[_nodes.Length];
        for (int n = 0; n < _nodes.Length; n++)
        {
            int[] ins = _nodeInputSlots[n], outs = _nodeOutputSlots[n];
            var nodeInputs = new DoubleTensor[ins.Length];
            bool[]?[]? nodeMasks = null;
            for (int k = 0; k < ins.Length; k++)
            {
                nodeInputs[k] = values[ins[k]];
                if (maskOf[ins[k]] is { } m)
                {
                    nodeMasks ??= new bool[]?[ins.Length];
                    nodeMasks[k] = m;
                }
            }

            _forwardPools[n].Reset();
            ForwardPass pass = _nodes[n].Layer.Forward(nodeInputs, nodeMasks, training, _forwardPools[n]);
            passes[n] = pass;
            for (int k = 0; k < outs.Length; k++)
            {
                values[outs[k]] = pass.Outputs[k];
                maskOf[outs[k]] = pass.OutputMasks[k];
            }
        }

        _passes = passes;
        _lastInputs = [.. inputs];
        var outputMasks = new bool[]?[_outputSlots.Length];
        for (int k = 0; k < outputMasks.Length; k++)
        {
            outputMasks[k] = maskOf[_outputSlots[k]];
        }

        OutputMasks = outputMasks;

        // The layers' working tensors are overwritten by the next call: the caller gets copies.
        var result = new DoubleTensor[_outputSlots.Length];
        for (int k = 0; k < result.Length; k++)
        {
            result[k] = values[_outputSlots[k]].Clone();
        }

        return result;
    }

    /// <summary>
    /// Back-propagates through the last <see cref="Forward(IReadOnlyList{DoubleTensor}, bool)"/> call, adding to every parameter's gradient.
    /// </summary>
    /// <param name="outputGradients">dL/d output for each model output (null for zero).</param>
    /// <returns>dL/d input for each model input.</returns>
    public DoubleTensor[] Backward(IReadOnlyList<DoubleTensor?> outputGradients)
    {
        DoubleTensor?[] grads = BackPropagate(outputGradients, inputGradients: true);

        // The layers' working tensors are overwritten by the next call: the caller gets copies.
        DoubleTensor[] inputs = _lastInputs!;
        var result = new DoubleTensor[_inputSlots.Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = grads[_inputSlots[i]]?.Clone() ?? new DoubleTensor(inputs[i].Shape);
        }

        return result;
    }

    /// <summary>
    /// Back-propagates through the last <see cref="Forward(IReadOnlyList{DoubleTensor}, bool)"/> call, adding to every
    /// parameter's gradient, as <see cref="Backward"/> but without the gradients with respect to the model inputs
    /// (what a training step needs: layers fed by a model input skip computing that gradient).
    /// </summary>
    /// <param name="outputGradients">dL/d output for each model output (null for zero).</param>
    public void AccumulateGradients(IReadOnlyList<DoubleTensor?> outputGradients) => BackPropagate(outputGradients, inputGradients: false);

    private DoubleTensor?[] BackPropagate(IReadOnlyList<DoubleTensor?> outputGradients, bool inputGradients)
    {
        ArgumentNullException.ThrowIfNull(outputGradients);
        ForwardPass[] passes = _passes ?? throw new InvalidOperationException("Call Forward before Backward.");
        if (outputGradients.Count != Outputs.Count)
        {
            throw new ArgumentException($"The model has {Outputs.Count} outputs, got {outputGradients.Count} gradients.", nameof(outputGradients));
        }

        var grads = new DoubleTensor?[_slotCount];
        for (int i = 0; i < Outputs.Count; i++)
        {
            if (outputGradients[i] is { } g)
            {
                Accumulate(grads, _outputSlots[i], g);
            }
        }

        for (int n = _nodes.Length - 1; n >= 0; n--)
        {
            int[] ins = _nodeInputSlots[n], outs = _nodeOutputSlots[n];
            var outGrads = new DoubleTensor?[outs.Length];
            bool any = false;
            for (int k = 0; k < outs.Length; k++)
            {
                outGrads[k] = grads[outs[k]];
                any |= outGrads[k] is not null;
            }

            if (!any)
            {
                continue;
            }

            _backwardPools[n].Reset();
            bool[]? wanted = inputGradients ? null : _nodeInputWanted[n];
            DoubleTensor[] inGrads = _nodes[n].Layer.Backward(passes[n], outGrads, _backwardPools[n], wanted);
            for (int k = 0; k < ins.Length; k++)
            {
                if (wanted is null || wanted[k])
                {
                    Accumulate(grads, ins[k], inGrads[k]);
                }
            }
        }

        return grads;
    }

    /// <summary>Runs the model in inference mode.</summary>
    /// <param name="inputs">One batch per model input.</param>
    /// <returns>One batch per model output.</returns>
    public DoubleTensor[] Predict(params DoubleTensor[] inputs) => Forward(inputs, training: false);

    /// <summary>Sets every parameter gradient to zero.</summary>
    public void ZeroGradients()
    {
        foreach (Parameter p in Parameters)
        {
            p.ZeroGradient();
        }
    }

    /// <summary>Resets the carried states of all stateful recurrent layers.</summary>
    public void ResetStates()
    {
        foreach (Layer layer in Layers)
        {
            if (layer is Layers.RecurrentLayer r)
            {
                r.ResetState();
            }
        }
    }

    /// <summary>All weights in Keras order (layer by layer).</summary>
    /// <returns>Copies of the weight arrays.</returns>
    public DoubleTensor[] GetWeights() => [.. Layers.SelectMany(l => l.GetWeights())];

    /// <summary>Sets all weights from arrays in the order of <see cref="GetWeights"/>.</summary>
    /// <param name="weights">The weight arrays.</param>
    public void SetWeights(IReadOnlyList<DoubleTensor> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        int at = 0;
        foreach (Layer layer in Layers)
        {
            int n = layer.GetWeights().Length;
            layer.SetWeights([.. weights.Skip(at).Take(n)]);
            at += n;
        }

        if (at != weights.Count)
        {
            throw new ArgumentException($"Expected {at} weight arrays, got {weights.Count}.", nameof(weights));
        }
    }

    private static void Accumulate(DoubleTensor?[] grads, int slot, DoubleTensor g)
    {
        if (grads[slot] is { } existing)
        {
            var sum = new DoubleTensor(existing.Shape);
            System.Numerics.Tensors.TensorPrimitives.Add(existing.Span, g.Span, sum.Span);
            grads[slot] = sum;
        }
        else
        {
            grads[slot] = g;
        }
    }

    private static GraphNode[] TopologicalOrder(IReadOnlyList<GraphTensor> outputs)
    {
        var order = new List<GraphNode>();
        var visited = new HashSet<GraphNode>();
        void Visit(GraphNode node)
        {
            if (!visited.Add(node))
            {
                return;
            }

            foreach (GraphTensor t in node.Inputs)
            {
                if (t.Producer is { } p)
                {
                    Visit(p);
                }
            }

            order.Add(node);
        }

        foreach (GraphTensor o in outputs)
        {
            if (o.Producer is { } p)
            {
                Visit(p);
            }
        }

        return [.. order];
    }
}

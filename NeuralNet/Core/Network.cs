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

        var values = new Dictionary<GraphTensor, DoubleTensor>();
        var maskOf = new Dictionary<GraphTensor, bool[]?>();
        for (int i = 0; i < inputs.Count; i++)
        {
            values[Inputs[i]] = inputs[i];
            maskOf[Inputs[i]] = masks?[i];
        }

        var passes = new ForwardPass[_nodes.Length];
        for (int n = 0; n < _nodes.Length; n++)
        {
            GraphNode node = _nodes[n];
            bool[]?[] nodeMasks = [.. node.Inputs.Select(t => maskOf[t])];
            ForwardPass pass = node.Layer.Forward([.. node.Inputs.Select(t => values[t])], nodeMasks.Any(m => m is not null) ? nodeMasks : null, training);
            passes[n] = pass;
            for (int k = 0; k < node.Outputs.Length; k++)
            {
                values[node.Outputs[k]] = pass.Outputs[k];
                maskOf[node.Outputs[k]] = pass.OutputMasks[k];
            }
        }

        _passes = passes;
        _lastInputs = [.. inputs];
        return [.. Outputs.Select(o => values[o])];
    }

    /// <summary>
    /// Back-propagates through the last <see cref="Forward(IReadOnlyList{DoubleTensor}, bool)"/> call, adding to every parameter's gradient.
    /// </summary>
    /// <param name="outputGradients">dL/d output for each model output (null for zero).</param>
    /// <returns>dL/d input for each model input.</returns>
    public DoubleTensor[] Backward(IReadOnlyList<DoubleTensor?> outputGradients)
    {
        ArgumentNullException.ThrowIfNull(outputGradients);
        ForwardPass[] passes = _passes ?? throw new InvalidOperationException("Call Forward before Backward.");
        var grads = new Dictionary<GraphTensor, DoubleTensor>();
        for (int i = 0; i < Outputs.Count; i++)
        {
            if (outputGradients[i] is { } g)
            {
                Accumulate(grads, Outputs[i], g);
            }
        }

        for (int n = _nodes.Length - 1; n >= 0; n--)
        {
            GraphNode node = _nodes[n];
            DoubleTensor?[] outGrads = [.. node.Outputs.Select(t => grads.GetValueOrDefault(t))];
            if (outGrads.All(g => g is null))
            {
                continue;
            }

            DoubleTensor[] inGrads = node.Layer.Backward(passes[n], outGrads);
            for (int k = 0; k < node.Inputs.Length; k++)
            {
                Accumulate(grads, node.Inputs[k], inGrads[k]);
            }
        }

        DoubleTensor[] inputs = _lastInputs!;
        return [.. Inputs.Select((t, i) => grads.GetValueOrDefault(t) ?? new DoubleTensor(inputs[i].Shape))];
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

    private static void Accumulate(Dictionary<GraphTensor, DoubleTensor> grads, GraphTensor t, DoubleTensor g)
    {
        if (grads.TryGetValue(t, out DoubleTensor? existing))
        {
            var sum = new DoubleTensor(existing.Shape);
            System.Numerics.Tensors.TensorPrimitives.Add(existing.Span, g.Span, sum.Span);
            grads[t] = sum;
        }
        else
        {
            grads[t] = g;
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

namespace NeuralNet.Layers;

/// <summary>
/// Applies an inner layer to every time step of [batch, time, ...] independently, with shared weights
/// (the time axis is folded into the batch axis).
/// </summary>
/// <param name="inner">The layer applied at each step.</param>
/// <param name="name">Optional name.</param>
public sealed class TimeDistributed(Layer inner, string? name = null) : Layer(name, inner?.Seed)
{
    /// <summary>The wrapped layer.</summary>
    public Layer Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <inheritdoc/>
    protected override void CreateParameters(int[][] inputShapes)
    {
        Inner.Build(inputShapes[0][1..]);
        AddParameters(Inner.Parameters);
    }

    /// <inheritdoc/>
    protected override int[][] ComputeOutputShapes(int[][] inputShapes)
    {
        int[] shape = inputShapes[0];
        if (inputShapes.Length != 1 || shape.Length < 2)
        {
            throw new ArgumentException("TimeDistributed expects one input [time, ...].");
        }

        IReadOnlyList<int[]> inner = Inner.Build(shape[1..]);
        return [[shape[0], .. inner[0]]];
    }

    /// <inheritdoc/>
    protected override void InitializeCore(Random random) => Inner.Initialize(random);

    /// <inheritdoc/>
    public override Tensor[] GetWeights() => Inner.GetWeights();

    /// <inheritdoc/>
    public override void SetWeights(params Tensor[] weights)
    {
        Inner.SetWeights(weights);
        MarkWeightsAssigned();
    }

    /// <inheritdoc/>
    public override Tensor[] GetTorchWeights() => Inner.GetTorchWeights();

    /// <inheritdoc/>
    public override void SetTorchWeights(params Tensor[] weights) => Inner.SetTorchWeights(weights);

    /// <inheritdoc/>
    protected override Tensor[] ForwardCore(Tensor[] inputs, bool training, out object? cache)
    {
        Tensor x = inputs[0];
        int batch = x.Shape[0], time = x.Shape[1];
        ForwardPass inner = Inner.Forward([x.Reshape([batch * time, .. x.Shape[2..]])], training);
        Tensor y = inner.Outputs[0];
        cache = inner;
        return [y.Reshape([batch, time, .. y.Shape[1..]])];
    }

    /// <inheritdoc/>
    protected override Tensor[] BackwardCore(ForwardPass pass, IReadOnlyList<Tensor?> outputGradients)
    {
        Tensor x = pass.Inputs[0];
        var inner = (ForwardPass)pass.Cache!;
        if (outputGradients[0] is not { } dy)
        {
            return [new Tensor(x.Shape)];
        }

        Tensor[] dx = Inner.Backward(inner, [dy.Reshape(inner.Outputs[0].Shape)]);
        return [dx[0].Reshape(x.Shape)];
    }
}

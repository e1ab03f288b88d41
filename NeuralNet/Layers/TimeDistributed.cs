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
    public override DoubleTensor[] GetWeights() => Inner.GetWeights();

    /// <inheritdoc/>
    public override void SetWeights(params DoubleTensor[] weights)
    {
        Inner.SetWeights(weights);
        MarkWeightsAssigned();
    }

    /// <inheritdoc/>
    public override DoubleTensor[] GetTorchWeights() => Inner.GetTorchWeights();

    /// <inheritdoc/>
    public override void SetTorchWeights(params DoubleTensor[] weights) => Inner.SetTorchWeights(weights);

    /// <inheritdoc/>
    protected override DoubleTensor[] ForwardCore(DoubleTensor[] inputs, bool training, out object? cache)
    {
        DoubleTensor x = inputs[0];
        int batch = x.Shape[0], time = x.Shape[1];
        ForwardPass inner = Inner.Forward([x.Reshape([batch * time, .. x.Shape[2..]])], training);
        DoubleTensor y = inner.Outputs[0];
        cache = inner;
        return [y.Reshape([batch, time, .. y.Shape[1..]])];
    }

    /// <inheritdoc/>
    protected override DoubleTensor[] BackwardCore(ForwardPass pass, IReadOnlyList<DoubleTensor?> outputGradients)
    {
        DoubleTensor x = pass.Inputs[0];
        var inner = (ForwardPass)pass.Cache!;
        if (outputGradients[0] is not { } dy)
        {
            return [new DoubleTensor(x.Shape)];
        }

        DoubleTensor[] dx = Inner.Backward(inner, [dy.Reshape(inner.Outputs[0].Shape)]);
        return [dx[0].Reshape(x.Shape)];
    }
}

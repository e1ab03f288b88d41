namespace NeuralNet.Layers;

/// <summary>
/// Inverted dropout: during training each value is zeroed with probability <see cref="Rate"/>
/// and the others are scaled by 1 / (1 − rate); at inference it is the identity.
/// </summary>
public sealed class Dropout : Layer
{
    private readonly Random _random;

    /// <summary>Creates a dropout layer.</summary>
    /// <param name="rate">Probability of dropping a value, in [0, 1).</param>
    /// <param name="seed">Seed of the dropout masks.</param>
    /// <param name="name">Optional name.</param>
    public Dropout(double rate, int seed = 0, string? name = null)
        : base(name, seed)
    {
        if (rate is < 0.0 or >= 1.0)
        {
            throw new ArgumentOutOfRangeException(nameof(rate), "Rate must be in [0, 1).");
        }

        Rate = rate;
        _random = new Random(seed);
    }

    /// <summary>Probability of dropping a value.</summary>
    public double Rate { get; }

    /// <inheritdoc/>
    protected override int[][] ComputeOutputShapes(int[][] inputShapes) => [(int[])inputShapes[0].Clone()];

    /// <inheritdoc/>
    protected override bool ShapesCompatible(int[] built, int[] actual) => true;

    /// <inheritdoc/>
    protected override DoubleTensor[] ForwardCore(DoubleTensor[] inputs, bool training, out object? cache)
    {
        DoubleTensor x = inputs[0];
        if (!training || Rate == 0.0)
        {
            cache = null;
            return [x.Clone()];
        }

        var mask = new double[x.Length];
        double scale = 1.0 / (1.0 - Rate);
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] = _random.NextDouble() < Rate ? 0.0 : scale;
        }

        var y = new DoubleTensor(x.Shape);
        System.Numerics.Tensors.TensorPrimitives.Multiply(x.Span, mask, y.Span);
        cache = mask;
        return [y];
    }

    /// <inheritdoc/>
    protected override DoubleTensor[] BackwardCore(ForwardPass pass, IReadOnlyList<DoubleTensor?> outputGradients)
    {
        DoubleTensor x = pass.Inputs[0];
        if (outputGradients[0] is not { } dy)
        {
            return [new DoubleTensor(x.Shape)];
        }

        if (pass.Cache is not double[] mask)
        {
            return [dy.Clone()];
        }

        var dx = new DoubleTensor(x.Shape);
        System.Numerics.Tensors.TensorPrimitives.Multiply(dy.Span, mask, dx.Span);
        return [dx];
    }
}

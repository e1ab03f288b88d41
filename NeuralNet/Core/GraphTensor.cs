namespace NeuralNet;

/// <summary>A symbolic tensor in a functional <see cref="Network"/>: an input or the output of a layer call.</summary>
public sealed class GraphTensor
{
    internal GraphTensor(int[] shape, GraphNode? producer, int outputIndex, string? name = null)
    {
        Shape = shape;
        Producer = producer;
        OutputIndex = outputIndex;
        Name = name;
    }

    /// <summary>The shape without the batch axis (−1 marks an unknown length).</summary>
    public int[] Shape { get; }

    /// <summary>An optional name (inputs).</summary>
    public string? Name { get; }

    /// <summary>The layer that produced this tensor, or null for a model input.</summary>
    public Layer? Layer => Producer?.Layer;

    internal GraphNode? Producer { get; }

    internal int OutputIndex { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name ?? Layer?.Name ?? "input"}[{string.Join(", ", Shape)}]";
}

/// <summary>One application of a layer to symbolic inputs.</summary>
internal sealed class GraphNode(Layer layer, GraphTensor[] inputs)
{
    public Layer Layer { get; } = layer;

    public GraphTensor[] Inputs { get; } = inputs;

    public GraphTensor[] Outputs { get; set; } = [];
}

namespace NeuralNet;

/// <summary>
/// The working arrays of one graph node for one phase (forward or backward) of a <see cref="Network"/> call,
/// kept from one training step to the next so that a steady-state step allocates (almost) no tensors.
/// </summary>
/// <remarks>
/// A layer asks for its arrays in the same order on every call, so the k-th request of a call gets the k-th array of
/// the previous call when its size (and shape) match, and a new one otherwise. The arrays are overwritten by the
/// node's next call in the same phase: the <see cref="Network"/> uses a pool only for values that do not outlive that
/// (activations kept for the backward pass, gradients passed between nodes) and copies what it hands to the caller.
/// </remarks>
internal sealed class BufferPool
{
    private readonly List<DoubleTensor> _tensors = [];
    private readonly List<double[]> _arrays = [];
    private int _nextTensor;
    private int _nextArray;

    /// <summary>Starts a new call: the arrays of the previous one become free.</summary>
    public void Reset()
    {
        _nextTensor = 0;
        _nextArray = 0;
    }

    /// <summary>A zero-filled tensor of the given shape.</summary>
    /// <param name="shape">The shape.</param>
    /// <returns>The next pooled tensor, reused when its shape matches.</returns>
    public DoubleTensor Tensor(ReadOnlySpan<int> shape)
    {
        if (_nextTensor < _tensors.Count && _tensors[_nextTensor].Shape.AsSpan().SequenceEqual(shape))
        {
            DoubleTensor t = _tensors[_nextTensor++];
            Array.Clear(t.Data);
            return t;
        }

        var fresh = new DoubleTensor(shape.ToArray());
        if (_nextTensor < _tensors.Count)
        {
            _tensors[_nextTensor] = fresh;
        }
        else
        {
            _tensors.Add(fresh);
        }

        _nextTensor++;
        return fresh;
    }

    /// <summary>A zero-filled array of the given length.</summary>
    /// <param name="length">The length.</param>
    /// <returns>The next pooled array, reused when its length matches.</returns>
    public double[] Values(int length)
    {
        if (_nextArray < _arrays.Count && _arrays[_nextArray].Length == length)
        {
            double[] a = _arrays[_nextArray++];
            Array.Clear(a);
            return a;
        }

        var fresh = new double[length];
        if (_nextArray < _arrays.Count)
        {
            _arrays[_nextArray] = fresh;
        }
        else
        {
            _arrays.Add(fresh);
        }

        _nextArray++;
        return fresh;
    }
}

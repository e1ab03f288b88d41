using NeuralNet.Layers;
using NeuralNet.Tests.Helpers;

namespace NeuralNet.Tests.Layers;

public class NetworkTests
{
    [Fact]
    public void SharedLayerOnInputsOfDifferentLengthsHasPerCallShapes()
    {
        GraphTensor a = Network.Input(10, 2);
        GraphTensor b = Network.Input(7, 2);
        var conv = new Conv1D(4, 3);
        GraphTensor ca = conv.Call(a);
        GraphTensor cb = conv.Call(b);
        Assert.Equal([8, 4], ca.Shape);
        Assert.Equal([5, 4], cb.Shape);
        var lstm = new Lstm(3, new RecurrentOptions { ReturnSequences = true });
        Assert.Equal([5, 3], lstm.Call(cb).Shape);
        Assert.Equal([8, 3], lstm.Call(ca).Shape);
    }

    [Fact]
    public void SharedLayerGradientsAreTheSumOverItsCalls()
    {
        var random = new Random(2);
        DoubleTensor xa = TestRandom.DoubleTensor(random, 1.0, 3, 6, 2);
        DoubleTensor xb = TestRandom.DoubleTensor(random, 1.0, 3, 4, 2);

        // Shared: one GRU instance applied to both inputs.
        GraphTensor a = Network.Input(6, 2), b = Network.Input(4, 2);
        var shared = new Gru(3);
        var head = new Dense(1);
        var model = new Network([a, b], [head.Call(new Concatenate().Call(shared.Call(a), shared.Call(b)))], seed: 1);

        // Unshared: two GRU copies with the same weights.
        GraphTensor a2 = Network.Input(6, 2), b2 = Network.Input(4, 2);
        var left = new Gru(3);
        var right = new Gru(3);
        var head2 = new Dense(1);
        var copies = new Network([a2, b2], [head2.Call(new Concatenate().Call(left.Call(a2), right.Call(b2)))], seed: 5);
        left.SetWeights(shared.GetWeights());
        right.SetWeights(shared.GetWeights());
        head2.SetWeights(head.GetWeights());

        Assert.Equal(3 + 2, model.Parameters.Count);
        Assert.Equal(3 + 3 + 2, copies.Parameters.Count);

        DoubleTensor upstream = TestRandom.DoubleTensor(random, 1.0, 3, 1);
        model.ZeroGradients();
        DoubleTensor y = model.Forward([xa, xb])[0];
        model.Backward([upstream]);
        copies.ZeroGradients();
        DoubleTensor y2 = copies.Forward([xa, xb])[0];
        copies.Backward([upstream]);

        Assert.Equal(y2.Data, y.Data);
        for (int k = 0; k < 3; k++)
        {
            double[] sum = [.. left.Parameters[k].Gradient.Data.Zip(right.Parameters[k].Gradient.Data, (p, q) => p + q)];
            Assertions.AllClose(sum, shared.Parameters[k].Gradient.Span, 1e-14, shared.Parameters[k].Name);
        }
    }

    [Fact]
    public void TimeDistributedExposesAndTrainsTheInnerWeights()
    {
        var inner = new Dense(2);
        var wrapper = new TimeDistributed(inner);
        Network model = Network.Sequential([5, 3], wrapper);
        Assert.Equal(inner.Parameters, model.Parameters);
        Assert.Equal([[3, 2], [2]], wrapper.GetWeights().Select(w => w.Shape));
        Assert.Equal([5, 2], model.Outputs[0].Shape);

        // Same result as the Dense layer applied step by step.
        DoubleTensor x = TestRandom.DoubleTensor(new Random(1), 1.0, 2, 5, 3);
        DoubleTensor y = model.Predict(x)[0];
        DoubleTensor direct = inner.Apply(x);
        Assert.Equal(direct.Data, y.Data);
    }

    [Fact]
    public void SequentialBuildsInOrderAndRejectsWrongInputs()
    {
        Network model = Network.Sequential([4], new Dense(3, "relu"), new Dense(2));
        Assert.Equal(2, model.Layers.Count);
        Assert.Equal([2], model.Outputs[0].Shape);
        Assert.Throws<ArgumentException>(() => model.Forward([new DoubleTensor(2, 4), new DoubleTensor(2, 4)]));
        Assert.Throws<ArgumentException>(() => model.Forward([new DoubleTensor(2, 5)]));
        Assert.Throws<InvalidOperationException>(() => Network.Sequential([4], new Dense(1)).Backward([new DoubleTensor(1, 1)]));
    }

    [Fact]
    public void ModelWeightsRoundTrip()
    {
        Network a = Network.Sequential([3], 1, new Dense(4, "tanh"), new Dense(2));
        Network b = Network.Sequential([3], 2, new Dense(4, "tanh"), new Dense(2));
        DoubleTensor x = TestRandom.DoubleTensor(new Random(3), 1.0, 5, 3);
        Assert.NotEqual(a.Predict(x)[0].Data, b.Predict(x)[0].Data);
        b.SetWeights(a.GetWeights());
        Assert.Equal(a.Predict(x)[0].Data, b.Predict(x)[0].Data);
    }
}

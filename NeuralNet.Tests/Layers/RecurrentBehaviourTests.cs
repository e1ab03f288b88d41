using NeuralNet.Layers;
using NeuralNet.Tests.Helpers;

namespace NeuralNet.Tests.Layers;

public class RecurrentBehaviourTests
{
    public static TheoryData<string> Kinds => ["simple_rnn", "lstm", "gru", "gru_before"];

    private static RecurrentLayer Create(string kind, RecurrentOptions options) => kind switch
    {
        "simple_rnn" => new SimpleRnn(3, options),
        "lstm" => new Lstm(3, options),
        "gru" => new Gru(3, options),
        _ => new Gru(3, options, resetAfter: false),
    };

    private static DoubleTensor Slice(DoubleTensor x, int from, int to)
    {
        int batch = x.Shape[0], time = x.Shape[1], f = x.Shape[2];
        var r = new DoubleTensor(batch, to - from, f);
        for (int b = 0; b < batch; b++)
        {
            Array.Copy(x.Data, ((b * time) + from) * f, r.Data, b * (to - from) * f, (to - from) * f);
        }

        return r;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void StatefulCarriesStatesAcrossBatchesUntilReset(string kind)
    {
        var random = new Random(5);
        DoubleTensor x = TestRandom.DoubleTensor(random, 1.0, 2, 6, 2);
        RecurrentLayer whole = Create(kind, new RecurrentOptions { ReturnSequences = true, Seed = 1 });
        RecurrentLayer stateful = Create(kind, new RecurrentOptions { ReturnSequences = true, Stateful = true, Seed = 1 });
        whole.Build([6, 2]);
        stateful.Build([4, 2]);
        stateful.SetWeights(whole.GetWeights());

        DoubleTensor full = whole.Apply(x);
        DoubleTensor first = stateful.Apply(Slice(x, 0, 4));
        DoubleTensor second = stateful.Apply(Slice(x, 4, 6));
        Assertions.AllClose(Slice(full, 0, 4).Span, first.Span, 1e-14, "first chunk");
        Assertions.AllClose(Slice(full, 4, 6).Span, second.Span, 1e-14, "second chunk");

        stateful.ResetState();
        Assert.Null(stateful.GetStates());
        DoubleTensor fresh = stateful.Apply(Slice(x, 4, 6));
        DoubleTensor expectedFresh = whole.Apply(Slice(x, 4, 6));
        Assertions.AllClose(expectedFresh.Span, fresh.Span, 1e-14, "after reset");
        Assert.NotEqual(second.Data, fresh.Data);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ReturnStateGivesTheLastOutputAsHiddenState(string kind)
    {
        RecurrentLayer layer = Create(kind, new RecurrentOptions { ReturnState = true, Seed = 2 });
        DoubleTensor x = TestRandom.DoubleTensor(new Random(1), 1.0, 3, 4, 2);
        IReadOnlyList<DoubleTensor> outputs = layer.Forward([x]).Outputs;
        Assert.Equal(1 + layer.StateCount, outputs.Count);
        Assert.Equal([3, 3], outputs[0].Shape);
        Assert.Equal(outputs[0].Data, outputs[1].Data);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void InitialStateInputsContinueASequence(string kind)
    {
        var random = new Random(9);
        DoubleTensor x = TestRandom.DoubleTensor(random, 1.0, 2, 5, 2);
        RecurrentLayer layer = Create(kind, new RecurrentOptions { ReturnState = true, Seed = 4 });
        layer.Build([5, 2]);
        DoubleTensor whole = layer.Apply(x);
        IReadOnlyList<DoubleTensor> head = layer.Forward([Slice(x, 0, 3)]).Outputs;
        DoubleTensor tail = layer.Forward([Slice(x, 3, 5), .. head.Skip(1)]).Outputs[0];
        Assertions.AllClose(whole.Span, tail.Span, 1e-14, "continued");
    }

    [Fact]
    public void StatefulLayerRefusesAnotherBatchSize()
    {
        var rnn = new SimpleRnn(2, new RecurrentOptions { Stateful = true });
        rnn.Apply(new DoubleTensor(3, 4, 1));
        Assert.Throws<InvalidOperationException>(() => rnn.Apply(new DoubleTensor(2, 4, 1)));
        rnn.ResetState();
        Assert.Equal([2, 2], rnn.Apply(new DoubleTensor(2, 4, 1)).Shape);
    }
}

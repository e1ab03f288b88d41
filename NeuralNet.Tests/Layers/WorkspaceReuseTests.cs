using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Tests.Helpers;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// A <see cref="Network"/> reuses its layers' working tensors from one call to the next; what it hands out must not
/// change when it is called again.
/// </summary>
public class WorkspaceReuseTests
{
    private static Network Mlp() => Network.Sequential([4], 3, new Dense(5, "relu"), new Dense(3, "tanh"), new Dense(2));

    [Fact]
    public void OutputsOfAnEarlierForwardAreNotOverwritten()
    {
        var random = new Random(1);
        Network model = Mlp();
        DoubleTensor x1 = TestRandom.DoubleTensor(random, 1.0, 6, 4);
        DoubleTensor x2 = TestRandom.DoubleTensor(random, 1.0, 6, 4);
        DoubleTensor y1 = model.Forward([x1], training: true)[0];
        double[] kept = (double[])y1.Data.Clone();
        DoubleTensor y2 = model.Forward([x2], training: true)[0];

        Assert.Equal(kept, y1.Data);
        Assert.NotEqual(y1.Data, y2.Data);
        Assert.Equal(y1.Data, model.Forward([x1])[0].Data);
    }

    [Fact]
    public void InputGradientsOfAnEarlierBackwardAreNotOverwritten()
    {
        var random = new Random(2);
        Network model = Mlp();
        DoubleTensor x = TestRandom.DoubleTensor(random, 1.0, 6, 4);
        model.Forward([x], training: true);
        DoubleTensor dx1 = model.Backward([TestRandom.DoubleTensor(random, 1.0, 6, 2)])[0];
        double[] kept = (double[])dx1.Data.Clone();
        DoubleTensor dx2 = model.Backward([TestRandom.DoubleTensor(random, 1.0, 6, 2)])[0];

        Assert.Equal(kept, dx1.Data);
        Assert.NotEqual(dx1.Data, dx2.Data);
    }

    [Fact]
    public void AccumulateGradientsAddsTheSameParameterGradientsAsBackward()
    {
        var random = new Random(3);
        Network a = Mlp(), b = Mlp();
        DoubleTensor x = TestRandom.DoubleTensor(random, 1.0, 6, 4);
        DoubleTensor dy = TestRandom.DoubleTensor(random, 1.0, 6, 2);
        a.Forward([x], training: true);
        a.Backward([dy]);
        b.Forward([x], training: true);
        b.AccumulateGradients([dy]);

        for (int k = 0; k < a.Parameters.Count; k++)
        {
            Assert.Equal(a.Parameters[k].Gradient.Data, b.Parameters[k].Gradient.Data);
        }
    }

    [Fact]
    public void RepeatedStepsMatchLayersCalledOutsideANetwork()
    {
        // The same three training steps through the Network (pooled tensors) and by hand through Layer.Forward and
        // Layer.Backward (fresh tensors) must give the same weights.
        var random = new Random(4);
        Network model = Mlp();
        var copies = new Layer[] { new Dense(5, "relu", seed: 1), new Dense(3, "tanh", seed: 1), new Dense(2, seed: 1) };
        int[] inputSizes = [4, 5, 3];
        for (int l = 0; l < copies.Length; l++)
        {
            copies[l].Build([inputSizes[l]]);
            copies[l].SetWeights(model.Layers[l].GetWeights());
        }

        var loss = new MeanSquaredError();
        var sgdA = new Sgd(new SgdOptions { LearningRate = 0.1 });
        var sgdB = new Sgd(new SgdOptions { LearningRate = 0.1 });
        for (int step = 0; step < 3; step++)
        {
            DoubleTensor x = TestRandom.DoubleTensor(random, 1.0, 6, 4);
            DoubleTensor t = TestRandom.DoubleTensor(random, 1.0, 6, 2);

            model.ZeroGradients();
            DoubleTensor y = model.Forward([x], training: true)[0];
            var g = new DoubleTensor(y.Shape);
            loss.Compute(y, t, g);
            model.AccumulateGradients([g]);
            sgdA.Step(model.Parameters);

            var passes = new ForwardPass[copies.Length];
            DoubleTensor h = x;
            for (int l = 0; l < copies.Length; l++)
            {
                copies[l].ZeroGradients();
                passes[l] = copies[l].Forward([h], training: true);
                h = passes[l].Outputs[0];
            }

            var g2 = new DoubleTensor(h.Shape);
            loss.Compute(h, t, g2);
            DoubleTensor d = g2;
            for (int l = copies.Length - 1; l >= 0; l--)
            {
                d = copies[l].Backward(passes[l], [d])[0];
            }

            sgdB.Step([.. copies.SelectMany(c => c.Parameters)]);
        }

        DoubleTensor[] expected = [.. copies.SelectMany(c => c.GetWeights())];
        DoubleTensor[] actual = model.GetWeights();
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.Equal(expected[k].Data, actual[k].Data);
        }
    }

    [Fact]
    public void SteadyStateTrainingStepAllocatesLittle()
    {
        // Dense(30, relu), Dense(1) on a batch of 32 allocated 37 kB per step before its tensors were reused (mostly
        // activation and gradient tensors); what is left is graph bookkeeping and the copy of the output.
        var random = new Random(5);
        Network model = Network.Sequential([10], 1, new Dense(30, "relu"), new Dense(1));
        DoubleTensor x = TestRandom.DoubleTensor(random, 1.0, 32, 10);
        DoubleTensor t = TestRandom.DoubleTensor(random, 1.0, 32, 1);
        var loss = new MeanSquaredError();
        var sgd = new Sgd();
        var g = new DoubleTensor(32, 1);
        void Step()
        {
            model.ZeroGradients();
            DoubleTensor y = model.Forward([x], training: true)[0];
            loss.Compute(y, t, g);
            model.AccumulateGradients([g]);
            sgd.Step(model.Parameters);
        }

        for (int k = 0; k < 5; k++)
        {
            Step();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 10; k++)
        {
            Step();
        }

        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / 10;
        Assert.True(perStep < 8_000, $"{perStep} bytes per step");
    }

    public static TheoryData<string, bool> RecurrentModels => new()
    {
        { "simple_rnn", false },
        { "simple_rnn", true },
        { "lstm", false },
        { "lstm", true },
        { "gru", false },
        { "gru", true },
        { "gru_reset_before", true },
        { "conv_lstm", false },
        { "conv_lstm", true },
    };

    private static Network RecurrentModel(string kind, int seed)
    {
        var sequences = new RecurrentOptions { ReturnSequences = true };
        Layer[] layers = kind switch
        {
            "simple_rnn" => [new SimpleRnn(8, sequences), new Dense(2)],
            "lstm" => [new Lstm(8, sequences), new Dense(2)],
            "gru" => [new Gru(8, sequences), new Dense(2)],
            "gru_reset_before" => [new Gru(8, sequences, resetAfter: false), new Dense(2)],
            _ => [new Conv1D(6, 3, padding: Padding.Causal, activation: new NeuralNet.Activations.Relu()), new Lstm(8, sequences), new Dense(2)],
        };
        return Network.Sequential([-1, 3], seed, layers);
    }

    private static (DoubleTensor X, DoubleTensor T, bool[] Mask) RecurrentBatch(Random random, int batch, int time)
    {
        int[] lengths = [.. Enumerable.Range(0, batch).Select(_ => random.Next(1, time + 1))];
        return (TestRandom.DoubleTensor(random, 1.0, batch, time, 3), TestRandom.DoubleTensor(random, 1.0, batch, time, 2), Preprocessing.Sequences.MaskFromLengths(lengths, time));
    }

    private static void TrainingStep(Network model, DoubleTensor x, DoubleTensor t, bool[]? mask, Optimizer optimizer)
    {
        model.ZeroGradients();
        DoubleTensor y = model.Forward([x], mask is null ? null : [mask], training: true)[0];
        var g = new DoubleTensor(y.Shape);
        new MeanSquaredError().Compute(y, t, g, model.OutputMasks[0]);
        model.AccumulateGradients([g]);
        optimizer.Step(model.Parameters);
    }

    [Theory]
    [MemberData(nameof(RecurrentModels))]
    public void RecurrentStepsWithReusedArraysMatchFreshNetworks(string kind, bool masked)
    {
        // One network reuses its nodes' arrays from step to step; the other is rebuilt over the same layers every step
        // (fresh arrays). Batches of different sizes and masks: the weights must stay bit-identical.
        var random = new Random(6);
        Network reused = RecurrentModel(kind, 1);
        Network fresh = RecurrentModel(kind, 1);
        var sgdA = new Sgd(new SgdOptions { LearningRate = 0.1, Momentum = 0.9 });
        var sgdB = new Sgd(new SgdOptions { LearningRate = 0.1, Momentum = 0.9 });
        for (int step = 0; step < 4; step++)
        {
            (DoubleTensor x, DoubleTensor t, bool[] mask) = RecurrentBatch(random, step == 2 ? 3 : 5, 7);
            TrainingStep(reused, x, t, masked ? mask : null, sgdA);
            TrainingStep(Network.Sequential([-1, 3], 1, [.. fresh.Layers]), x, t, masked ? mask : null, sgdB);
        }

        DoubleTensor[] expected = fresh.GetWeights(), actual = reused.GetWeights();
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.Equal(expected[k].Data, actual[k].Data);
        }
    }

    [Theory]
    [MemberData(nameof(RecurrentModels))]
    public void SteadyStateRecurrentStepAllocatesLittle(string kind, bool masked)
    {
        // Before the recurrent layers and Conv1D took their working arrays from the node's pool, a step of these
        // models (batch 16, 50 steps, 8 units) allocated 0.33 to 1.8 MB, every gate, state and time-major array anew;
        // now 14.5 to 25.6 kB: the 12.8 kB copy of the output handed to the caller, per-call records and, with a mask,
        // per-step bookkeeping (arrays of references, not values).
        var random = new Random(7);
        Network model = RecurrentModel(kind, 2);
        (DoubleTensor x, DoubleTensor t, bool[] mask) = RecurrentBatch(random, 16, 50);
        var sgd = new Sgd();
        var loss = new MeanSquaredError();
        var g = new DoubleTensor(t.Shape);
        bool[][]? masks = masked ? [mask] : null;
        void Step()
        {
            model.ZeroGradients();
            DoubleTensor y = model.Forward([x], masks, training: true)[0];
            loss.Compute(y, t, g, model.OutputMasks[0]);
            model.AccumulateGradients([g]);
            sgd.Step(model.Parameters);
        }

        for (int k = 0; k < 3; k++)
        {
            Step();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 5; k++)
        {
            Step();
        }

        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / 5;
        Assert.True(perStep < 40_000, $"{perStep} bytes per step");
    }
}

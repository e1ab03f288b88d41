using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Tests.Helpers;

namespace NeuralNet.Tests.Gradients;

/// <summary>
/// Back-propagated gradients against central differences, for random shapes, weights and inputs.
/// Each property draws a seed; everything else comes from a System.Random with that seed.
/// </summary>
public class LayerGradientTests
{
    private static readonly string[] SmoothActivations = ["linear", "sigmoid", "tanh", "softplus", "softmax"];
    private static readonly string[] KinkedActivations = ["relu", "leaky_relu", "elu"];

    private static Arbitrary<int> Seeds => Arb.From(Gen.Choose(0, int.MaxValue - 1));

    private static Property Check(Func<Random, string?> check)
        => Prop.ForAll(Seeds, seed =>
        {
            string? error = check(new Random(seed));
            return error is null ? true.ToProperty() : false.Label(error);
        });

    [Property(MaxTest = 15)]
    public Property DenseWithSmoothActivations() => Check(random =>
    {
        string activation = SmoothActivations[random.Next(SmoothActivations.Length)];
        int batch = random.Next(1, 4), inDim = random.Next(1, 5), units = random.Next(1, 5);
        var layer = new Dense(units, Activation.FromName(activation));
        layer.Build([inDim]);
        TestRandom.RandomizeWeights(layer, random);
        return NumericGradient.CheckLayer(layer, [TestRandom.DoubleTensor(random, 1.5, batch, inDim)], random);
    });

    [Property(MaxTest = 15)]
    public Property DenseWithKinkedActivationsAwayFromTheKink() => Check(random =>
    {
        string activation = KinkedActivations[random.Next(KinkedActivations.Length)];
        int batch = random.Next(1, 4), inDim = random.Next(1, 5), units = random.Next(1, 5);
        var layer = new Dense(units, Activation.FromName(activation));
        layer.Build([inDim]);
        TestRandom.RandomizeWeights(layer, random);
        DoubleTensor x = TestRandom.DoubleTensor(random, 1.5, batch, inDim);

        // Exclude points whose pre-activation is within 1e-3 of the kink at zero.
        DoubleTensor z = PreActivation(layer, x);
        if (z.Data.Any(v => Math.Abs(v) < 1e-3))
        {
            return null;
        }

        return NumericGradient.CheckLayer(layer, [x], random);
    });

    [Property(MaxTest = 12)]
    public Property DenseOnSequencesAppliesToTheLastAxis() => Check(random =>
    {
        var layer = new Dense(random.Next(1, 4), new Tanh());
        int inDim = random.Next(1, 4);
        layer.Build([3, inDim]);
        TestRandom.RandomizeWeights(layer, random);
        return NumericGradient.CheckLayer(layer, [TestRandom.DoubleTensor(random, 1.0, 2, 3, inDim)], random);
    });

    [Property(MaxTest = 12)]
    public Property MaskedDense() => Check(random =>
    {
        int inDim = random.Next(1, 5), units = random.Next(1, 5);
        double[] mask = [.. Enumerable.Range(0, inDim * units).Select(_ => random.Next(2) == 0 ? 0.0 : 1.0)];
        var layer = new Dense(units, new Tanh(), kernelMask: mask);
        layer.Build([inDim]);
        TestRandom.RandomizeWeights(layer, random);
        string? error = NumericGradient.CheckLayer(layer, [TestRandom.DoubleTensor(random, 1.0, 3, inDim)], random);
        for (int i = 0; error is null && i < mask.Length; i++)
        {
            if (mask[i] == 0.0 && (layer.Kernel.Gradient.Data[i] != 0.0 || layer.Kernel.Value.Data[i] != 0.0))
            {
                error = $"masked kernel entry {i} has a non-zero value or gradient";
            }
        }

        return error;
    });

    [Property(MaxTest = 12)]
    public Property SimpleRnnThroughTime() => Check(random => CheckRecurrent(random, (u, o) => new SimpleRnn(u, o)));

    [Property(MaxTest = 12)]
    public Property LstmThroughTime() => Check(random => CheckRecurrent(random, (u, o) => new Lstm(u, o)));

    [Property(MaxTest = 12)]
    public Property GruResetAfterThroughTime() => Check(random => CheckRecurrent(random, (u, o) => new Gru(u, o, resetAfter: true)));

    [Property(MaxTest = 12)]
    public Property GruResetBeforeThroughTime() => Check(random => CheckRecurrent(random, (u, o) => new Gru(u, o, resetAfter: false)));

    [Property(MaxTest = 20)]
    public Property Conv1DAllPaddingsStridesDilations() => Check(random =>
    {
        var padding = (Padding)random.Next(3);
        int kernel = random.Next(1, 4), stride = random.Next(1, 4), dilation = random.Next(1, 3);
        int channels = random.Next(1, 4), filters = random.Next(1, 4);
        int length = ((kernel - 1) * dilation) + 1 + random.Next(0, 6);
        Activation act = random.Next(2) == 0 ? new Linear() : new Tanh();
        double[]? mask = random.Next(3) == 0 ? [.. Enumerable.Range(0, kernel * channels * filters).Select(_ => (double)random.Next(2))] : null;
        var layer = new Conv1D(filters, kernel, stride, padding, dilation, act, kernelMask: mask);
        layer.Build([length, channels]);
        TestRandom.RandomizeWeights(layer, random);
        return NumericGradient.CheckLayer(layer, [TestRandom.DoubleTensor(random, 1.0, 2, length, channels)], random);
    });

    [Property(MaxTest = 10)]
    public Property TimeDistributedDense() => Check(random =>
    {
        int time = random.Next(1, 5), features = random.Next(1, 4);
        var layer = new TimeDistributed(new Dense(random.Next(1, 4), new Sigmoid()));
        layer.Build([time, features]);
        TestRandom.RandomizeWeights(layer.Inner, random);
        return NumericGradient.CheckLayer(layer, [TestRandom.DoubleTensor(random, 1.0, 2, time, features)], random);
    });

    [Property(MaxTest = 10)]
    public Property ConcatenateSplitsTheGradient() => Check(random =>
    {
        int count = random.Next(1, 4), batch = random.Next(1, 4);
        DoubleTensor[] inputs = [.. Enumerable.Range(0, count).Select(_ => TestRandom.DoubleTensor(random, 1.0, batch, random.Next(1, 4)))];
        return NumericGradient.CheckLayer(new Concatenate(), inputs, random);
    });

    [Property(MaxTest = 10)]
    public Property ActivationLayerAllActivations() => Check(random =>
    {
        string[] names = [.. SmoothActivations, .. KinkedActivations];
        string name = names[random.Next(names.Length)];
        DoubleTensor x = TestRandom.DoubleTensor(random, 3.0, 2, random.Next(1, 5));
        if (KinkedActivations.Contains(name) && x.Data.Any(v => Math.Abs(v) < 1e-3))
        {
            return null;
        }

        return NumericGradient.CheckLayer(new ActivationLayer(Activation.FromName(name)), [x], random);
    });

    [Property(MaxTest = 8)]
    public Property FlattenAndDenseOnASequence() => Check(random =>
    {
        int time = random.Next(1, 4), features = random.Next(1, 3);
        GraphTensor input = Network.Input(time, features);
        var model = new Network(input, new Dense(2, new Tanh()).Call(new Flatten().Call(input)), seed: random.Next());
        return NumericGradient.CheckModel(model, [TestRandom.DoubleTensor(random, 1.0, 2, time, features)], random);
    });

    [Property(MaxTest = 8)]
    public Property FunctionalModelWithSharedLayersAndInputsOfDifferentLengths() => Check(random =>
    {
        var conv = new Conv1D(2, 2, padding: Padding.Causal, activation: new Tanh());
        var lstm = new Lstm(3);
        int[] lengths = [random.Next(2, 5), random.Next(2, 5), random.Next(2, 5)];
        GraphTensor[] inputs = [.. lengths.Select(l => Network.Input(l, 2))];
        GraphTensor merged = new Concatenate().Call([.. inputs.Select(i => lstm.Call(conv.Call(i)))]);
        GraphTensor probs = new Dense(3, new Softmax()).Call(merged);
        GraphTensor side = new Dense(1).Call(lstm.Call(conv.Call(inputs[0])));
        var model = new Network(inputs, [probs, side], seed: random.Next());
        DoubleTensor[] x = [.. lengths.Select(l => TestRandom.DoubleTensor(random, 1.0, 2, l, 2))];
        return NumericGradient.CheckModel(model, x, random);
    });

    private static DoubleTensor PreActivation(Dense layer, DoubleTensor x)
    {
        var linear = new Dense(layer.Units);
        linear.Build([x.Shape[1]]);
        linear.SetWeights(layer.GetWeights());
        return linear.Apply(x);
    }

    private static string? CheckRecurrent(Random random, Func<int, RecurrentOptions, RecurrentLayer> create)
    {
        int units = random.Next(1, 4), features = random.Next(1, 4), time = random.Next(1, 5), batch = random.Next(1, 3);
        var options = new RecurrentOptions { ReturnSequences = random.Next(2) == 0, ReturnState = random.Next(2) == 0 };
        RecurrentLayer layer = create(units, options);
        bool initialStates = random.Next(2) == 0;
        int[][] shapes = [[time, features], .. Enumerable.Repeat(new[] { units }, initialStates ? layer.StateCount : 0)];
        layer.Build(shapes);
        TestRandom.RandomizeWeights(layer, random);
        DoubleTensor[] inputs = [TestRandom.DoubleTensor(random, 1.0, batch, time, features), .. shapes.Skip(1).Select(_ => TestRandom.DoubleTensor(random, 0.8, batch, units))];
        return NumericGradient.CheckLayer(layer, inputs, random);
    }
}

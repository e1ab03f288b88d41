using NeuralNet.Layers;
using NeuralNet.Optimizers;
using NeuralNet.Preprocessing;
using NeuralNet.Tests.Helpers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// Padded, masked batches against the definition of variable-length processing: each sequence run on its own,
/// unpadded.
/// </summary>
public class VariableLengthTests
{
    private static double[][,] RandomSequences(Random random, int[] lengths, int features)
    {
        return [.. lengths.Select(l =>
        {
            var s = new double[l, features];
            for (int t = 0; t < l; t++)
            {
                for (int f = 0; f < features; f++)
                {
                    s[t, f] = TestRandom.Uniform(random, -1, 1);
                }
            }

            return s;
        })];
    }

    private static DoubleTensor One(double[,] sequence) => new([.. sequence.Cast<double>()], 1, sequence.GetLength(0), sequence.GetLength(1));

    [Fact]
    public void PadAndMaskFromLengthsFollowPostPadding()
    {
        double[][,] seqs = RandomSequences(new Random(1), [3, 1, 4], 2);
        (DoubleTensor padded, int[] lengths) = Sequences.Pad(seqs, value: -9.0);
        Assert.Equal([3, 4, 2], padded.Shape);
        Assert.Equal([3, 1, 4], lengths);
        Assert.Equal(seqs[1][0, 1], padded[1, 0, 1]);
        Assert.Equal(-9.0, padded[1, 1, 0]);
        Assert.Equal(-9.0, padded[0, 3, 1]);
        Assert.Equal([true, true, true, false, true, false, false, false, true, true, true, true], Sequences.MaskFromLengths(lengths, 4));
        Assert.Throws<ArgumentException>(() => Sequences.Pad(seqs, maxLength: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sequences.MaskFromLengths([5], 4));
    }

    [Fact]
    public void MaskingLayerMasksStepsEqualToTheValueAndZeroesThem()
    {
        var x = new DoubleTensor(1, 4, 2);
        x.Data[0] = 1; // step 0: (1, -1)
        x.Data[1] = -1;
        x.Data[2] = -1; // step 1: (-1, -1) = mask value
        x.Data[3] = -1;
        x.Data[4] = -1; // step 2: (-1, 0.5)
        x.Data[5] = 0.5;
        x.Data[6] = -1; // step 3: masked
        x.Data[7] = -1;
        var masking = new Masking(-1.0);
        ForwardPass pass = masking.Forward([x]);
        Assert.Equal([true, false, true, false], pass.OutputMasks[0]!);
        Assert.Equal([1, -1, 0, 0, -1, 0.5, 0, 0], pass.Outputs[0].Data);
    }

    public static TheoryData<string> Recurrent => ["simple_rnn", "lstm", "gru"];

    private static RecurrentLayer Create(string name, bool sequences) => name switch
    {
        "simple_rnn" => new SimpleRnn(4, new RecurrentOptions { ReturnSequences = sequences, Seed = 3 }),
        "lstm" => new Lstm(4, new RecurrentOptions { ReturnSequences = sequences, Seed = 3 }),
        _ => new Gru(4, new RecurrentOptions { ReturnSequences = sequences, Seed = 3 }),
    };

    [Theory]
    [MemberData(nameof(Recurrent))]
    public void MaskingLayerAndLengthsGiveEachSequenceItsOwnUnpaddedResult(string name)
    {
        var random = new Random(2);
        int[] lengths = [5, 2, 7, 1];
        double[][,] seqs = RandomSequences(random, lengths, 3);
        (DoubleTensor padded, int[] lens) = Sequences.Pad(seqs, value: 0.0);
        RecurrentLayer layer = Create(name, sequences: false);
        var masking = new Masking();
        Network viaMasking = Network.Sequential([7, 3], masking, layer, new Dense(2, seed: 4));
        DoubleTensor a = viaMasking.Predict(padded)[0];
        DoubleTensor b = viaMasking.Forward([padded], [Sequences.MaskFromLengths(lens, 7)])[0];
        for (int i = 0; i < seqs.Length; i++)
        {
            DoubleTensor alone = viaMasking.Predict(One(seqs[i]))[0];
            for (int j = 0; j < 2; j++)
            {
                Assert.Equal(alone[0, j], a[i, j], 14);
                Assert.Equal(alone[0, j], b[i, j], 14);
            }
        }
    }

    [Theory]
    [InlineData(Padding.Causal)]
    [InlineData(Padding.Same)]
    public void MaskedConvolutionMatchesTheUnpaddedSequenceWhateverThePadding(Padding padding)
    {
        var random = new Random(3);
        int[] lengths = [6, 3, 4];
        double[][,] seqs = RandomSequences(random, lengths, 2);
        (DoubleTensor padded, int[] lens) = Sequences.Pad(seqs, value: 7.5);
        var conv = new Conv1D(3, 3, padding: padding, activation: "tanh", seed: 1);
        conv.Build([6, 2]);
        ForwardPass pass = conv.Forward([padded], [Sequences.MaskFromLengths(lens, 6)]);
        Assert.Equal(Sequences.MaskFromLengths(lens, 6), pass.OutputMasks[0]);
        for (int i = 0; i < seqs.Length; i++)
        {
            DoubleTensor alone = conv.Apply(One(seqs[i]));
            for (int t = 0; t < lengths[i]; t++)
            {
                for (int f = 0; f < 3; f++)
                {
                    Assert.Equal(alone[0, t, f], pass.Outputs[0][i, t, f], 14);
                }
            }
        }
    }

    [Fact]
    public void ConvolutionThatChangesTheTimeAxisRefusesAMask()
    {
        var conv = new Conv1D(2, 3, seed: 1);
        conv.Build([5, 1]);
        var e = Assert.Throws<InvalidOperationException>(() => conv.Forward([new DoubleTensor(2, 5, 1)], [new bool[10]]));
        Assert.Contains("mask", e.Message, StringComparison.Ordinal);
    }

    private static (Network Network, DoubleTensor[] Inputs, int[][] Lengths, DoubleTensor Y, double[][][,] Seqs) FiveInputProblem(double padValue)
    {
        // Five inputs of different padded lengths share one causal Conv1D and one LSTM (the README's example).
        var random = new Random(5);
        int n = 40;
        int[] maxLengths = [12, 9, 15, 7, 10];
        var seqs = new double[5][][,];
        var inputs = new DoubleTensor[5];
        var lengths = new int[5][];
        for (int k = 0; k < 5; k++)
        {
            int[] l = [.. Enumerable.Range(0, n).Select(_ => random.Next(1, maxLengths[k] + 1))];
            seqs[k] = RandomSequences(random, l, 1);
            (inputs[k], lengths[k]) = Sequences.Pad(seqs[k], maxLengths[k], padValue);
        }

        var y = new DoubleTensor(n, 2);
        for (int i = 0; i < n; i++)
        {
            double sum = seqs.Sum(s => s[i].Cast<double>().Sum());
            y[i, sum > 0 ? 1 : 0] = 1.0;
        }

        GraphTensor[] symbols = [.. maxLengths.Select(l => Network.Input(l, 1))];
        var conv = new Conv1D(4, 3, padding: Padding.Causal, activation: "relu");
        var lstm = new Lstm(4);
        GraphTensor merged = new Concatenate().Call([.. symbols.Select(s => lstm.Call(conv.Call(s)))]);
        var model = new Network(symbols, [new Dense(2, "softmax").Call(merged)], seed: 2);
        return (model, inputs, lengths, y, seqs);
    }

    [Fact]
    public void FiveVariableLengthInputsTrainTheSameWhateverIsInThePadding()
    {
        var options = new TrainerOptions
        {
            MaxEpochs = 4,
            BatchSize = 8,
            Optimizer = new Sgd(new SgdOptions { LearningRate = 0.05, Momentum = 0.9 }),
        };
        (Network m0, DoubleTensor[] x0, int[][] l0, DoubleTensor y0, _) = FiveInputProblem(0.0);
        (Network m1, DoubleTensor[] x1, int[][] l1, DoubleTensor y1, double[][][,] seqs) = FiveInputProblem(123.0);
        var net0 = new NeuralNetwork(m0, options).Fit(x0, [y0], l0);
        var net1 = new NeuralNetwork(m1, options).Fit(x1, [y1], l1);
        Assert.Equal(net0.History.Select(h => h.TrainLoss), net1.History.Select(h => h.TrainLoss));
        Assert.Equal(net0.History.Select(h => h.ValidLoss), net1.History.Select(h => h.ValidLoss));

        // Predicting with lengths equals predicting each sample on its own, unpadded.
        DoubleTensor p = net1.Predict(x1, l1);
        for (int i = 0; i < 5; i++)
        {
            DoubleTensor alone = m1.Predict([.. seqs.Select(s => One(s[i]))])[0];
            Assert.Equal(alone[0, 0], p[i, 0], 13);
            Assert.Equal(alone[0, 1], p[i, 1], 13);
        }

        Assert.Throws<ArgumentException>(() => net1.Fit(x1, [y1], [l1[0]]));
    }
}

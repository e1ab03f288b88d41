// Examples of the NeuralNet library. Run all:   dotnet run --project examples/NeuralNet.Examples
// or one of them:                               dotnet run --project examples/NeuralNet.Examples -- 5
// In-process (tests): Program.Run(args, writer) prints to writer instead of the console.
using System.Globalization;
using System.Reflection;
using System.Runtime.ExceptionServices;
using NeuralNet;
using NeuralNet.Activations;
using NeuralNet.IO;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Preprocessing;
using NeuralNet.Training;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var examples = new Dictionary<string, Action>
{
    ["4"] = SimpleRnnWeights,
    ["5"] = SharedConvLstmOverFiveInputs,
    ["6"] = ReluDerivativeAtZero,
    ["7"] = MaskedWeightsStayZero,
    ["8"] = LetterRegression,
    ["9"] = KerasWeightFiles,
};

foreach (string key in args.Length > 0 ? args : [.. examples.Keys])
{
    if (!examples.TryGetValue(key, out Action? run))
    {
        Console.Error.WriteLine($"Unknown example {key}; choose from {string.Join(", ", examples.Keys)}.");
        return 1;
    }

    Out.WriteLine($"=== Example {key} ===");
    run();
    Out.WriteLine();
}

return 0;

static string Format(DoubleTensor t) => $"shape [{string.Join(", ", t.Shape)}]: [{string.Join(", ", t.Data.Select(v => v.ToString("F4")))}]";

// (4) The weight arrays of Keras' SimpleRNN(3) on one input feature.
static void SimpleRnnWeights()
{
    var rnn = new SimpleRnn(3, new RecurrentOptions { Seed = 0 });
    rnn.Build([10, 1]);
    DoubleTensor[] weights = rnn.GetWeights();
    Out.WriteLine($"SimpleRNN(3) with input dim 1 has {weights.Length} weight arrays:");
    for (int i = 0; i < weights.Length; i++)
    {
        Out.WriteLine($"  {rnn.Parameters[i].Name,-16} {Format(weights[i])}");
    }
}

// (5) One Conv1D and one LSTM shared by five inputs, each a batch of sequences of different lengths (padded at the
//     end and masked, as Keras' Masking does), concatenated into a softmax.
static void SharedConvLstmOverFiveInputs()
{
    int[] maxLengths = [12, 9, 15, 7, 10];
    const int classes = 3, samples = 300;
    var random = new Random(1);

    // Class c: sine waves of frequency 0.3·(c + 1) with random phase plus noise; every sample has its own length.
    var inputs = new DoubleTensor[maxLengths.Length];
    var lengths = new int[maxLengths.Length][];
    int[] labels = [.. Enumerable.Range(0, samples).Select(s => s % classes)];
    for (int k = 0; k < maxLengths.Length; k++)
    {
        var sequences = new double[samples][,];
        for (int s = 0; s < samples; s++)
        {
            int length = random.Next(maxLengths[k] / 2, maxLengths[k] + 1);
            double phase = random.NextDouble() * 2 * Math.PI;
            sequences[s] = new double[length, 1];
            for (int t = 0; t < length; t++)
            {
                sequences[s][t, 0] = Math.Sin((0.3 * (labels[s] + 1) * t) + phase) + (0.2 * ((2 * random.NextDouble()) - 1));
            }
        }

        (inputs[k], lengths[k]) = Sequences.Pad(sequences, maxLengths[k]);
    }

    var conv = new Conv1D(8, 3, padding: Padding.Causal, activation: new Relu());  // causal: a step sees only its past
    var lstm = new Lstm(8);                                                         // skips the padded steps
    GraphTensor[] symbols = [.. maxLengths.Select((l, i) => Network.Input($"input{i}", l, 1))];
    GraphTensor merged = new Concatenate().Call([.. symbols.Select(i => lstm.Call(conv.Call(i)))]);
    GraphTensor output = new Dense(classes, new Softmax()).Call(merged);
    var model = new Network(symbols, [output], seed: 1);
    Out.WriteLine($"{model.Layers.Count} distinct layers, {model.Parameters.Sum(p => p.Length)} weights (conv and LSTM shared by {maxLengths.Length} inputs)");
    Out.WriteLine($"input 0 lengths: {string.Join(", ", lengths[0].Take(8))}, … (padded to {maxLengths[0]})");

    var targets = new DoubleTensor(samples, classes);
    for (int s = 0; s < samples; s++)
    {
        targets[s, labels[s]] = 1.0;
    }

    var net = new NeuralNetwork(model, new TrainerOptions
    {
        MaxEpochs = 8,
        BatchSize = 16,
        Optimizer = new Adam(new AdamOptions { LearningRate = 0.01 }),
        Verbose = Out,
    });
    net.Fit(inputs, [targets], lengths);
    EpochInfo last = net.History[^1];
    Out.WriteLine($"epoch {last.Epoch}: lr {last.LearningRate}, best valid loss so far: {last.ValidLossBest}");
    DoubleTensor probabilities = net.Predict(inputs, lengths);
    int[] predicted = [.. Enumerable.Range(0, samples).Select(s => System.Numerics.Tensors.TensorPrimitives.IndexOfMax(probabilities.Span.Slice(s * classes, classes)))];
    Out.WriteLine($"training accuracy with lengths: {predicted.Zip(labels).Count(p => p.First == p.Second) / (double)samples:P1}");
}

// (6) A two-layer ReLU net trained by plain gradient descent with ReLU'(0) = 0, 0.5 and 1.
static void ReluDerivativeAtZero()
{
    var random = new Random(2);
    var x = new DoubleTensor(64, 4);
    var y = new DoubleTensor(64, 1);
    for (int i = 0; i < x.Length; i++)
    {
        x.Data[i] = (2 * random.NextDouble()) - 1;
    }

    for (int i = 0; i < 64; i++)
    {
        y[i, 0] = Math.Sin(x[i, 0]) + (x[i, 1] * x[i, 2]);
    }

    double[] Train(double atZero, DoubleTensor inputs)
    {
        var hidden = new Dense(16, new Relu(atZero));
        Network model = Network.Sequential([4], 3, hidden, new Dense(1));
        var sgd = new Sgd(new SgdOptions { LearningRate = 0.05 });
        for (int step = 0; step < 200; step++)
        {
            model.ZeroGradients();
            DoubleTensor p = model.Forward([inputs])[0];
            var g = new DoubleTensor(p.Shape);
            new MeanSquaredError().Compute(p, y, g);
            model.Backward([g]);
            sgd.Step(model.Parameters);
        }

        return [.. model.Parameters.SelectMany(p => p.Value.Data)];
    }

    foreach (bool withZeroRow in new[] { false, true })
    {
        DoubleTensor inputs = x.Clone();
        if (withZeroRow)
        {
            Array.Clear(inputs.Data, 0, 4); // sample 0 is the origin: every hidden pre-activation is exactly 0 at step 1
        }

        double[] w0 = Train(0.0, inputs), wHalf = Train(0.5, inputs), w1 = Train(1.0, inputs);
        Out.WriteLine(withZeroRow ? "Data with an exactly zero pre-activation:" : "Random data:");
        Out.WriteLine($"  max |w(0) − w(0.5)| = {w0.Zip(wHalf).Max(p => Math.Abs(p.First - p.Second)):E3}");
        Out.WriteLine($"  max |w(0) − w(1)|   = {w0.Zip(w1).Max(p => Math.Abs(p.First - p.Second)):E3}");
    }
}

// (7) A masked Dense kernel trained with SGD, momentum and Adam: masked entries stay exactly zero.
static void MaskedWeightsStayZero()
{
    double[] mask = [.. Enumerable.Range(0, 4 * 4).Select(i => i / 4 == i % 4 ? 1.0 : 0.0)]; // diagonal only
    var random = new Random(3);
    var x = new DoubleTensor(32, 4);
    var y = new DoubleTensor(32, 4);
    for (int i = 0; i < x.Length; i++)
    {
        x.Data[i] = (2 * random.NextDouble()) - 1;
        y.Data[i] = (2 * random.NextDouble()) - 1;
    }

    foreach ((string name, Optimizer optimizer) in new (string, Optimizer)[]
    {
        ("SGD", new Sgd(new SgdOptions { LearningRate = 0.1 })),
        ("momentum", new Sgd(new SgdOptions { LearningRate = 0.1, Momentum = 0.9 })),
        ("Adam", new Adam(new AdamOptions { LearningRate = 0.05 })),
    })
    {
        var dense = new Dense(4, kernelMask: mask);
        Network model = Network.Sequential([4], 1, dense);
        var net = new NeuralNetwork(model, new TrainerOptions { MaxEpochs = 20, BatchSize = 8, Regression = true, EvalSize = 0, Optimizer = optimizer });
        net.Fit(x, y);
        double offDiagonal = dense.Kernel.Value.Data.Where((_, i) => mask[i] == 0).Max(Math.Abs);
        Out.WriteLine($"  {name,-9} max |masked weight| = {offDiagonal}, diagonal = [{string.Join(", ", Enumerable.Range(0, 4).Select(i => dense.Kernel.Value[i, i].ToString("F3")))}]");
    }
}

// (8) 26-output regression on binarized letters, with dropout, linear learning-rate and momentum
// schedules, early stopping and the per-epoch table.
static void LetterRegression()
{
    string[] letters = [.. Enumerable.Range(0, 26).Select(i => ((char)('A' + i)).ToString())];
    const int features = 16, samples = 2600;
    var random = new Random(4);
    double[][] prototypes = [.. letters.Select(_ => Enumerable.Range(0, features).Select(_ => (2 * random.NextDouble()) - 1).ToArray())];
    var x = new DoubleTensor(samples, features);
    var labels = new string[samples];
    for (int s = 0; s < samples; s++)
    {
        int c = random.Next(26);
        labels[s] = letters[c];
        for (int f = 0; f < features; f++)
        {
            x[s, f] = prototypes[c][f] + (0.35 * ((2 * random.NextDouble()) - 1));
        }
    }

    double[,] binarized = LabelBinarize.Transform(labels, letters);
    DoubleTensor y = DoubleTensor.FromArray(binarized);
    Network model = Network.Sequential([features], 5, new Dense(64, new Relu()), new Dropout(0.2, seed: 1), new Dense(26));
    var net = new NeuralNetwork(model, new TrainerOptions
    {
        Regression = true,
        MaxEpochs = 60,
        BatchSize = 64,
        LearningRateSchedule = new LinearSchedule(0.03, 0.0001),
        MomentumSchedule = new LinearSchedule(0.9, 0.999),
        Callbacks = [new EarlyStopping(patience: 5)],
        Verbose = Out,
    });
    net.Fit(x, y);

    var binarizer = new LabelBinarizer<string>().Fit(letters);
    string[] predicted = binarizer.InverseTransform(net.Predict(x).ToArray2D());
    Out.WriteLine($"Letters recovered by arg-max of the 26 regressed outputs: {predicted.Zip(labels).Count(p => p.First == p.Second) / (double)samples:P1}");
}

/// <summary>The examples' entry point, callable in-process: <see cref="Run"/> prints to a given writer.</summary>
// (9) Keras weight files: save in Keras 3's .weights.h5 and Keras 2's HDF5 layout, load into a new model, and the
//     error for a model whose shapes differ.
static void KerasWeightFiles()
{
    static Network Build(int units) => Network.Sequential([10, 1], new Conv1D(4, 3, padding: Padding.Causal, activation: "relu"), new Lstm(units), new Dense(1));
    Network trained = Build(8);
    var x = new DoubleTensor(2, 10, 1);
    for (int i = 0; i < x.Length; i++)
    {
        x.Data[i] = Math.Sin(i);
    }

    string dir = Path.Combine(Path.GetTempPath(), $"nn-example-{Environment.ProcessId}");
    Directory.CreateDirectory(dir);
    try
    {
        foreach ((KerasWeightsLayout layout, string file) in new[] { (KerasWeightsLayout.Keras3, "model.weights.h5"), (KerasWeightsLayout.Keras2, "model.h5") })
        {
            string path = Path.Combine(dir, file);
            KerasWeights.Save(trained, path, layout);
            Network fresh = Build(8);
            KerasWeights.Load(fresh, path);
            double difference = fresh.Predict(x)[0].Data.Zip(trained.Predict(x)[0].Data).Max(p => Math.Abs(p.First - p.Second));
            Out.WriteLine($"{file,-17} layout {KerasWeights.DetectLayout(path)}: loaded model's predictions differ by {difference}");
        }

        try
        {
            KerasWeights.Load(Build(6), Path.Combine(dir, "model.weights.h5"));
        }
        catch (InvalidDataException e)
        {
            Out.WriteLine($"LSTM(6) model: {e.Message}");
        }
    }
    finally
    {
        Directory.Delete(dir, recursive: true);
    }
}

public partial class Program
{
    private static readonly AsyncLocal<TextWriter?> Writer = new();

    /// <summary>Where the examples print: the writer given to <see cref="Run"/>, else the console.</summary>
    private static TextWriter Out => Writer.Value ?? Console.Out;

    /// <summary>Runs the examples named in <paramref name="args"/> (all when none), printing to <paramref name="output"/>.</summary>
    /// <param name="args">Example numbers, as on the command line.</param>
    /// <param name="output">Where the examples print.</param>
    /// <returns>The exit code: 0 on success, 1 for an unknown example.</returns>
    public static int Run(string[] args, TextWriter output)
    {
        TextWriter? previous = Writer.Value;
        Writer.Value = output;
        try
        {
            return (int)typeof(Program).Assembly.EntryPoint!.Invoke(null, [args])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
        finally
        {
            Writer.Value = previous;
        }
    }
}

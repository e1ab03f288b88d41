// Times one training step (zero gradients, forward, loss and its gradient, backward, SGD update)
// of four NeuralNet models; bench/torch_nn_bench.py times the same models in PyTorch.
// Usage: NeuralNet.Bench [--models rnn,mlp30,convlstm,mlp784] [--reps 15] [--warmup-ms 500] [--rep-ms 20] [--tsv]
using System.Diagnostics;
using System.Globalization;
using NeuralNet;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

string[] models = ["rnn", "mlp30", "convlstm", "mlp784"];
int reps = 15;
double warmupMs = 500, repMs = 20;
bool tsv = false;
bool alloc = false;
bool phases = false;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--models": models = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries); break;
        case "--reps": reps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--warmup-ms": warmupMs = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--rep-ms": repMs = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--tsv": tsv = true; break;
        case "--alloc": alloc = true; break;
        case "--phases": phases = true; break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}");
            Console.Error.WriteLine("usage: NeuralNet.Bench [--models rnn,mlp30,convlstm,mlp784] [--reps 15] [--warmup-ms 500] [--rep-ms 20] [--tsv] [--alloc] [--phases]");
            return 2;
    }
}

if (alloc)
{
    // Bytes allocated per training step (after warm-up), to see the per-call overhead apart from arithmetic.
    foreach (string name in models)
    {
        BenchCase c = BenchCase.Create(name);
        for (int k = 0; k < 50; k++)
        {
            c.Step();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 100; k++)
        {
            c.Step();
        }

        Console.WriteLine($"{name}\t{(GC.GetAllocatedBytesForCurrentThread() - before) / 100} bytes/step");
    }

    return 0;
}

if (phases)
{
    // Where the time of one step goes: microseconds per phase, the fastest of many steps after warm-up (on a shared,
    // loaded machine the minimum is the figure least disturbed by preemption; the median moves with the load).
    Console.WriteLine("model\tzero µs\tforward µs\tloss µs\tbackward µs\tsgd µs\tstep µs");
    foreach (string name in models)
    {
        BenchCase c = BenchCase.Create(name);
        Harness.MedianMsPerStep(c.Step, 1, warmupMs, 1);
        const int steps = 2000;
        var t = new double[5][];
        for (int p = 0; p < 5; p++)
        {
            t[p] = new double[steps];
        }

        for (int k = 0; k < steps; k++)
        {
            c.TimedStep(t, k);
        }

        double[] med = [.. t.Select(a => a.Min())];
        Console.WriteLine($"{name}\t{string.Join("\t", med.Select(m => m.ToString("F2", CultureInfo.InvariantCulture)))}\t{med.Sum().ToString("F2", CultureInfo.InvariantCulture)}");
    }

    return 0;
}

var results = new List<(string Name, string Description, double Ms)>();
foreach (string name in models)
{
    BenchCase c = BenchCase.Create(name);
    double ms = Harness.MedianMsPerStep(c.Step, reps, warmupMs, repMs);
    results.Add((c.Name, c.Description, ms));
}

if (tsv)
{
    foreach (var r in results)
    {
        Console.WriteLine($"{r.Name}\t{r.Ms.ToString("R", CultureInfo.InvariantCulture)}");
    }
}
else
{
    Console.WriteLine($"NeuralNet training step (double, batch 32, SGD), median of {reps} repetitions, {Environment.ProcessorCount} cores visible");
    Console.WriteLine();
    int w = Math.Max(11, results.Max(r => r.Description.Length));
    Console.WriteLine($"| {"model",-10} | {"description".PadRight(w)} | {"NeuralNet ms/step",17} |");
    Console.WriteLine($"| {new string('-', 10)} | {new string('-', w)} | {new string('-', 16)}: |");
    foreach (var r in results)
    {
        Console.WriteLine($"| {r.Name,-10} | {r.Description.PadRight(w)} | {r.Ms,17:F4} |");
    }
}

return 0;

/// <summary>Warm-up, then the median over repetitions of the mean time of a few consecutive steps.</summary>
internal static class Harness
{
    public static double MedianMsPerStep(Action step, int reps, double warmupMs, double repMs)
    {
        // Warm-up: at least 20 steps and warmupMs of them, so tiered JIT compilation has settled.
        var sw = Stopwatch.StartNew();
        int warm = 0;
        while (warm < 20 || sw.Elapsed.TotalMilliseconds < warmupMs)
        {
            step();
            warm++;
        }

        double perStep = sw.Elapsed.TotalMilliseconds / warm;
        int inner = Math.Max(1, (int)Math.Ceiling(repMs / Math.Max(perStep, 1e-6)));
        var times = new double[reps];
        for (int r = 0; r < reps; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int k = 0; k < inner; k++)
            {
                step();
            }

            times[r] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds / inner;
        }

        Array.Sort(times);
        return reps % 2 == 1 ? times[reps / 2] : 0.5 * (times[(reps / 2) - 1] + times[reps / 2]);
    }
}

/// <summary>One model with a fixed batch, its loss and a plain SGD optimizer.</summary>
internal sealed class BenchCase
{
    private const int Batch = 32;
    private readonly Network _model;
    private readonly DoubleTensor[] _inputs;
    private readonly DoubleTensor _target;
    private readonly Loss _loss;
    private readonly Sgd _sgd = new(new SgdOptions { LearningRate = 0.01 });

    private BenchCase(string name, string description, Network model, DoubleTensor[] inputs, DoubleTensor target, Loss loss)
    {
        Name = name;
        Description = description;
        _model = model;
        _inputs = inputs;
        _target = target;
        _loss = loss;
    }

    public string Name { get; }

    public string Description { get; }

    public static BenchCase Create(string name)
    {
        var rng = new Random(42);
        switch (name)
        {
            case "rnn":
                {
                    var model = Network.Sequential([100, 1], 1, new SimpleRnn(3), new Dense(1));
                    return new BenchCase(name, "SimpleRNN(3) on [32, 100, 1], Dense(1), MSE", model,
                        [Random(rng, Batch, 100, 1)], Random(rng, Batch, 1), new MeanSquaredError());
                }

            case "mlp30":
                {
                    var model = Network.Sequential([10], 1, new Dense(30, "relu"), new Dense(1));
                    return new BenchCase(name, "Dense(30, relu), Dense(1) on [32, 10], MSE", model,
                        [Random(rng, Batch, 10)], Random(rng, Batch, 1), new MeanSquaredError());
                }

            case "convlstm":
                {
                    int[] lengths = [12, 9, 15, 7, 10];
                    GraphTensor[] inputs = [.. lengths.Select(l => Network.Input(l, 1))];
                    var conv = new Conv1D(8, 3, padding: Padding.Causal, activation: "relu");
                    var lstm = new Lstm(10);
                    GraphTensor merged = new Concatenate().Call([.. inputs.Select(i => lstm.Call(conv.Call(i)))]);
                    var model = new Network(inputs, [new Dense(3, "softmax").Call(merged)], seed: 1);
                    return new BenchCase(name, "5 x [32, L, 1], L = 12,9,15,7,10; shared Conv1D(8, 3, causal, relu) + LSTM(10); Concatenate; Dense(3, softmax), CCE", model,
                        [.. lengths.Select(l => Random(rng, Batch, l, 1))], OneHot(rng, Batch, 3), new CategoricalCrossEntropy());
                }

            case "mlp784":
                {
                    var model = Network.Sequential([784], 1, new Dense(128, "relu"), new Dense(10, "softmax"));
                    return new BenchCase(name, "Dense(128, relu), Dense(10, softmax) on [32, 784], CCE", model,
                        [Random(rng, Batch, 784)], OneHot(rng, Batch, 10), new CategoricalCrossEntropy());
                }

            default:
                throw new ArgumentException($"unknown model '{name}' (rnn, mlp30, convlstm, mlp784)");
        }
    }

    /// <summary>One training step, as NeuralNetwork.TrainBatch does it.</summary>
    public void Step()
    {
        _model.ZeroGradients();
        DoubleTensor output = _model.Forward(_inputs, training: true)[0];
        var grad = new DoubleTensor(output.Shape);
        _loss.Compute(output, _target, grad);
        _model.AccumulateGradients([grad]);
        _sgd.Step(_model.Parameters);
    }

    /// <summary>One training step with the microseconds of each phase stored in times[phase][k].</summary>
    public void TimedStep(double[][] times, int k)
    {
        long t0 = Stopwatch.GetTimestamp();
        _model.ZeroGradients();
        long t1 = Stopwatch.GetTimestamp();
        DoubleTensor output = _model.Forward(_inputs, training: true)[0];
        long t2 = Stopwatch.GetTimestamp();
        var grad = new DoubleTensor(output.Shape);
        _loss.Compute(output, _target, grad);
        long t3 = Stopwatch.GetTimestamp();
        _model.AccumulateGradients([grad]);
        long t4 = Stopwatch.GetTimestamp();
        _sgd.Step(_model.Parameters);
        long t5 = Stopwatch.GetTimestamp();
        long[] marks = [t0, t1, t2, t3, t4, t5];
        for (int p = 0; p < 5; p++)
        {
            times[p][k] = (marks[p + 1] - marks[p]) * 1e6 / Stopwatch.Frequency;
        }
    }

    private static DoubleTensor Random(Random rng, params int[] shape)
    {
        var t = new DoubleTensor(shape);
        for (int i = 0; i < t.Length; i++)
        {
            t.Data[i] = (2.0 * rng.NextDouble()) - 1.0;
        }

        return t;
    }

    private static DoubleTensor OneHot(Random rng, int rows, int classes)
    {
        var t = new DoubleTensor(rows, classes);
        for (int i = 0; i < rows; i++)
        {
            t[i, rng.Next(classes)] = 1.0;
        }

        return t;
    }
}

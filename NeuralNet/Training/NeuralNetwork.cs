using System.Diagnostics;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Preprocessing;

namespace NeuralNet.Training;

/// <summary>
/// Options of <see cref="NeuralNetwork"/>, with nolearn's defaults where they exist. Out-of-range values are
/// refused when set, with <see cref="ArgumentOutOfRangeException"/>.
/// </summary>
public sealed record TrainerOptions
{
    /// <summary>Maximum number of epochs (0 or more).</summary>
    public int MaxEpochs
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(MaxEpochs));
            field = value;
        }
    }

    = 100;

    /// <summary>Mini-batch size (1 or more).</summary>
    public int BatchSize
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(BatchSize));
            field = value;
        }
    }

    = 128;

    /// <summary>Fraction of samples held out for validation, in [0, 1) (0 for none).</summary>
    public double EvalSize
    {
        get;
        init
        {
            if (!(value >= 0.0 && value < 1.0))
            {
                throw new ArgumentOutOfRangeException(nameof(EvalSize), value, "EvalSize is the fraction of samples held out for validation: it must be in [0, 1).");
            }

            field = value;
        }
    }

    = 0.2;

    /// <summary>
    /// Stop with a <see cref="NonFiniteLossException"/> at the first batch whose loss is NaN or infinite, or after an
    /// epoch that left a weight NaN or infinite (Keras' <c>TerminateOnNaN</c>; default on). Off trains on regardless.
    /// </summary>
    public bool TerminateOnNonFinite { get; init; } = true;

    /// <summary>True for regression (no accuracy, MSE by default); false for classification.</summary>
    public bool Regression { get; init; }

    /// <summary>The loss; null picks MSE for regression, cross-entropy (binary for one output column) otherwise.</summary>
    public Loss? Loss { get; init; }

    /// <summary>The optimizer; null picks Nesterov momentum with lr 0.01 and momentum 0.9 (nolearn's default).</summary>
    public Optimizer? Optimizer { get; init; }

    /// <summary>Learning rate per epoch, applied before each epoch.</summary>
    public Schedule? LearningRateSchedule { get; init; }

    /// <summary>Momentum per epoch (for <see cref="Sgd"/>), applied before each epoch.</summary>
    public Schedule? MomentumSchedule { get; init; }

    /// <summary>
    /// Reset the states of stateful recurrent layers at the start of every epoch. For stateful models also
    /// turn <see cref="Shuffle"/> off, use a batch size that divides the training set and <see cref="EvalSize"/> = 0.
    /// </summary>
    public bool ResetStatesEachEpoch { get; init; } = true;

    /// <summary>Shuffle the training samples every epoch (turn off for stateful recurrent models).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Seed of the validation split and the shuffling.</summary>
    public int Seed { get; init; }

    /// <summary>Where to write the per-epoch table; null for silence.</summary>
    public TextWriter? Verbose { get; init; }

    /// <summary>Called after every epoch (e.g. <see cref="EarlyStopping"/>).</summary>
    public IReadOnlyList<IEpochCallback> Callbacks { get; init; } = [];
}

/// <summary>
/// A trainer in the spirit of nolearn's <c>NeuralNet</c>: wraps a <see cref="Network"/> with a loss and
/// an optimizer, holds out a validation split, trains in mini-batches, prints a per-epoch table and predicts.
/// </summary>
/// <example>
/// <code>
/// var model = Network.Sequential([4], new Dense(16, "relu"), new Dense(3, "softmax"));
/// var net = new NeuralNetwork(model, new TrainerOptions { MaxEpochs = 50, Verbose = Console.Out });
/// net.Fit(x, labels);                  // int labels 0..2
/// int[] predicted = net.PredictClasses(x);
/// </code>
/// </example>
public sealed class NeuralNetwork
{
    private bool _stopRequested;

    /// <summary>Creates a trainer.</summary>
    /// <param name="network">The model to train.</param>
    /// <param name="options">Options (defaults when null).</param>
    public NeuralNetwork(Network network, TrainerOptions? options = null)
    {
        Network = network ?? throw new ArgumentNullException(nameof(network));
        Options = options ?? new TrainerOptions();
        Optimizer = Options.Optimizer ?? new Sgd(new SgdOptions { LearningRate = 0.01, Momentum = 0.9, Nesterov = true });
    }

    /// <summary>The network being trained.</summary>
    public Network Network { get; }

    /// <summary>The options.</summary>
    public TrainerOptions Options { get; }

    /// <summary>The optimizer.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The results of all epochs of the last <see cref="Fit(DoubleTensor[], DoubleTensor[])"/>.</summary>
    public List<EpochInfo> History { get; } = [];

    /// <summary>Indices of the samples used for training in the last fit.</summary>
    public IReadOnlyList<int> TrainIndices { get; private set; } = [];

    /// <summary>Indices of the samples held out for validation in the last fit.</summary>
    public IReadOnlyList<int> ValidIndices { get; private set; } = [];

    /// <summary>Where the epoch table and early-stopping messages go: <see cref="TrainerOptions.Verbose"/>; null for none.</summary>
    public TextWriter? Log => Options.Verbose;

    /// <summary>Asks the training loop to stop after the current epoch.</summary>
    public void StopTraining() => _stopRequested = true;

    /// <summary>Trains a classifier on integer labels 0..K−1 (one-hot encoded, or one 0/1 column for a single output).</summary>
    /// <param name="x">Inputs, batch first.</param>
    /// <param name="labels">Class index per sample.</param>
    /// <returns>This trainer.</returns>
    public NeuralNetwork Fit(DoubleTensor x, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        int columns = Network.Outputs[0].Shape[^1];
        var y = new DoubleTensor(labels.Count, columns);
        int classes = columns == 1 ? 2 : columns;
        for (int i = 0; i < labels.Count; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"Label {labels[i]} of sample {i} is not a class index of the network's output (0 to {classes - 1}).");
            }

            if (columns == 1)
            {
                y[i, 0] = labels[i];
            }
            else
            {
                y[i, labels[i]] = 1.0;
            }
        }

        return Fit([x], [y]);
    }

    /// <summary>Trains a single-input, single-output model.</summary>
    /// <param name="x">Inputs, batch first.</param>
    /// <param name="y">Targets, batch first.</param>
    /// <returns>This trainer.</returns>
    public NeuralNetwork Fit(DoubleTensor x, DoubleTensor y) => Fit([x], [y]);

    /// <summary>Trains on several inputs and outputs (the loss is summed over outputs).</summary>
    /// <param name="inputs">One tensor per model input, batch first.</param>
    /// <param name="targets">One tensor per model output, batch first.</param>
    /// <returns>This trainer.</returns>
    public NeuralNetwork Fit(DoubleTensor[] inputs, DoubleTensor[] targets) => FitCore(inputs, targets, null);

    /// <summary>
    /// Trains on post-padded sequences of different lengths: steps at or beyond a sample's length are masked
    /// (recurrent layers skip them as Keras does; see <see cref="Network.Forward(IReadOnlyList{DoubleTensor}, IReadOnlyList{bool[]}, bool)"/>).
    /// </summary>
    /// <param name="inputs">One tensor per model input, [batch, time, features], padded at the end.</param>
    /// <param name="targets">One tensor per model output, batch first.</param>
    /// <param name="lengths">Per model input, the length of each sample (null for an input without padding).</param>
    /// <returns>This trainer.</returns>
    public NeuralNetwork Fit(DoubleTensor[] inputs, DoubleTensor[] targets, IReadOnlyList<int[]?> lengths)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return FitCore(inputs, targets, Sequences.MasksFromLengths(inputs, lengths));
    }

    /// <summary>The loss and accuracy of the network on a single-input, single-output data set (Keras' <c>evaluate</c>).</summary>
    /// <param name="x">Inputs, batch first.</param>
    /// <param name="y">Targets, batch first.</param>
    /// <returns>The loss and, for classification, the accuracy.</returns>
    public Evaluation Evaluate(DoubleTensor x, DoubleTensor y) => Evaluate([x], [y]);

    /// <summary>
    /// The loss and accuracy of the network on a data set, computed in batches of <see cref="TrainerOptions.BatchSize"/>
    /// as Keras' <c>evaluate</c>: the loss of each batch, averaged weighted by batch size; the accuracy over all rows
    /// of the first output. These are the validation figures of <see cref="EpochInfo"/>.
    /// </summary>
    /// <param name="inputs">One tensor per model input, batch first.</param>
    /// <param name="targets">One tensor per model output, batch first.</param>
    /// <returns>The loss and, for classification, the accuracy.</returns>
    public Evaluation Evaluate(DoubleTensor[] inputs, DoubleTensor[] targets)
    {
        Loss[] losses = CheckData(inputs, targets);
        return EvaluateRows(inputs, null, targets, losses, [.. Enumerable.Range(0, inputs[0].Shape[0])]);
    }

    /// <summary>
    /// The loss and accuracy of the network on post-padded sequences, as Keras' <c>evaluate</c> with masking: the
    /// masked time steps of a sequence output count neither in the loss nor in the accuracy (Keras passes an output's
    /// mask to the metrics as sample weights).
    /// </summary>
    /// <param name="inputs">One tensor per model input, [batch, time, features], padded at the end.</param>
    /// <param name="targets">One tensor per model output, batch first.</param>
    /// <param name="lengths">Per model input, the length of each sample (null for an input without padding).</param>
    /// <returns>The loss and, for classification, the accuracy.</returns>
    public Evaluation Evaluate(DoubleTensor[] inputs, DoubleTensor[] targets, IReadOnlyList<int[]?> lengths)
    {
        Loss[] losses = CheckData(inputs, targets);
        return EvaluateRows(inputs, Sequences.MasksFromLengths(inputs, lengths), targets, losses, [.. Enumerable.Range(0, inputs[0].Shape[0])]);
    }

    private Loss[] CheckData(DoubleTensor[] inputs, DoubleTensor[] targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.Length != Network.Inputs.Count || targets.Length != Network.Outputs.Count)
        {
            throw new ArgumentException($"The network has {Network.Inputs.Count} input(s) and {Network.Outputs.Count} output(s); got {inputs.Length} input and {targets.Length} target tensor(s).");
        }

        int n = inputs[0].Shape[0];
        if (inputs.Any(t => t.Shape[0] != n) || targets.Any(t => t.Shape[0] != n))
        {
            throw new ArgumentException("All inputs and targets need the same number of samples.");
        }

        return [.. targets.Select(t => Options.Loss ?? DefaultLoss(t))];
    }

    private NeuralNetwork FitCore(DoubleTensor[] inputs, DoubleTensor[] targets, bool[]?[]? masks)
    {
        Loss[] losses = CheckData(inputs, targets);
        int n = inputs[0].Shape[0];
        (int[] train, int[] valid) = Split(targets[0], n);
        if (train.Length == 0)
        {
            throw new ArgumentException($"EvalSize {Options.EvalSize} holds out all {n} samples: nothing is left to train on.");
        }

        TrainIndices = [.. train];
        ValidIndices = valid;
        var random = new Random(Options.Seed);
        History.Clear();
        _stopRequested = false;
        WriteHeader();
        double bestTrain = double.PositiveInfinity, bestValid = double.PositiveInfinity;
        for (int epoch = 0; epoch < Options.MaxEpochs && !_stopRequested; epoch++)
        {
            var clock = Stopwatch.StartNew();
            ApplySchedules(epoch);
            if (Options.ResetStatesEachEpoch)
            {
                Network.ResetStates();
            }
            if (Options.Shuffle)
            {
                random.Shuffle(train);
            }

            double trainLoss = 0.0;
            int batchNumber = 0;
            for (int start = 0; start < train.Length; start += Options.BatchSize)
            {
                int[] rows = train[start..Math.Min(train.Length, start + Options.BatchSize)];
                batchNumber++;
                double batchLoss = TrainBatch(inputs, masks, targets, losses, rows, epoch + 1, batchNumber);
                trainLoss += losses[0].Reduction == LossReduction.Mean ? batchLoss * rows.Length : batchLoss;
            }

            if (Options.TerminateOnNonFinite && FirstNonFiniteParameter() is { } bad)
            {
                throw new NonFiniteLossException(epoch + 1, batchNumber, double.NaN, $"Training stopped: after epoch {epoch + 1} (batch {batchNumber}) weight {bad} is not finite (check the learning rate and the gradients). Set TerminateOnNonFinite = false to train on regardless.");
            }

            if (losses[0].Reduction == LossReduction.Mean)
            {
                trainLoss /= train.Length;
            }

            (double validLoss, double accuracy) = valid.Length > 0 ? EvaluateRows(inputs, masks, targets, losses, valid) : new Evaluation(double.NaN, double.NaN);
            bestTrain = trainLoss < bestTrain ? trainLoss : bestTrain;
            bestValid = validLoss < bestValid ? validLoss : bestValid;
            var info = new EpochInfo(epoch + 1, trainLoss, validLoss, Options.Regression ? double.NaN : accuracy, clock.Elapsed, Optimizer.LearningRate)
            {
                Momentum = Optimizer is Sgd sgd ? sgd.Momentum : double.NaN,
                TrainLossBest = trainLoss == bestTrain,
                ValidLossBest = validLoss == bestValid,
            };
            History.Add(info);
            WriteRow(info);
            foreach (IEpochCallback callback in Options.Callbacks)
            {
                callback.OnEpochFinished(this, info);
            }
        }

        return this;
    }

    /// <summary>Predicts a single-output model.</summary>
    /// <param name="inputs">One tensor per model input.</param>
    /// <returns>The first output.</returns>
    public DoubleTensor Predict(params DoubleTensor[] inputs) => PredictAll(inputs)[0];

    /// <summary>Predicts all outputs, in batches.</summary>
    /// <param name="inputs">One tensor per model input.</param>
    /// <returns>One tensor per model output.</returns>
    public DoubleTensor[] PredictAll(params DoubleTensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        int n = inputs[0].Shape[0];
        return PredictRows(inputs, null, [.. Enumerable.Range(0, n)]);
    }

    /// <summary>Predicts a single-output model on post-padded sequences.</summary>
    /// <param name="inputs">One tensor per model input.</param>
    /// <param name="lengths">Per model input, the length of each sample (null for an input without padding).</param>
    /// <returns>The first output.</returns>
    public DoubleTensor Predict(DoubleTensor[] inputs, IReadOnlyList<int[]?> lengths) => PredictAll(inputs, lengths)[0];

    /// <summary>Predicts all outputs on post-padded sequences, in batches.</summary>
    /// <param name="inputs">One tensor per model input.</param>
    /// <param name="lengths">Per model input, the length of each sample (null for an input without padding).</param>
    /// <returns>One tensor per model output.</returns>
    public DoubleTensor[] PredictAll(DoubleTensor[] inputs, IReadOnlyList<int[]?> lengths)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        int n = inputs[0].Shape[0];
        return PredictRows(inputs, Sequences.MasksFromLengths(inputs, lengths), [.. Enumerable.Range(0, n)]);
    }

    /// <summary>Predicts class indices: arg-max over the last axis, or value &gt; 0.5 for a single column.</summary>
    /// <param name="inputs">One tensor per model input.</param>
    /// <returns>The class index per sample.</returns>
    public int[] PredictClasses(params DoubleTensor[] inputs) => ArgMax(Predict(inputs));

    private string? FirstNonFiniteParameter()
    {
        foreach (Layer layer in Network.Layers)
        {
            foreach (Parameter p in layer.Parameters)
            {
                foreach (double v in p.Value.Span)
                {
                    if (!double.IsFinite(v))
                    {
                        return $"{p.Name} of layer {layer.Name}";
                    }
                }
            }
        }

        return null;
    }

    private Loss DefaultLoss(DoubleTensor target)
        => Options.Regression ? new MeanSquaredError() : target.Shape[^1] == 1 ? new BinaryCrossEntropy() : new CategoricalCrossEntropy();

    private void ApplySchedules(int epoch)
    {
        if (Options.LearningRateSchedule is { } lr)
        {
            Optimizer.LearningRate = lr.ValueAt(epoch, Options.MaxEpochs);
        }

        if (Options.MomentumSchedule is { } m && Optimizer is Sgd sgd)
        {
            sgd.Momentum = m.ValueAt(epoch, Options.MaxEpochs);
        }
    }

    private static bool[]?[]? SelectMaskRows(DoubleTensor[] inputs, bool[]?[]? masks, int[] rows)
        => masks is null ? null : [.. masks.Select((m, i) => m is null ? null : Sequences.SelectMaskRows(m, inputs[i].Shape[1], rows))];

    private double TrainBatch(DoubleTensor[] inputs, bool[]?[]? masks, DoubleTensor[] targets, Loss[] losses, int[] rows, int epoch, int batchNumber)
    {
        Network.ZeroGradients();
        DoubleTensor[] outputs = Network.Forward([.. inputs.Select(t => t.SelectRows(rows))], SelectMaskRows(inputs, masks, rows), training: true);
        var grads = new DoubleTensor?[outputs.Length];
        double loss = 0.0;
        for (int k = 0; k < outputs.Length; k++)
        {
            grads[k] = new DoubleTensor(outputs[k].Shape);

            // As Keras: the masked steps of a sequence output train nothing.
            loss += losses[k].Compute(outputs[k], targets[k].SelectRows(rows), grads[k], Network.OutputMasks[k]);
        }

        // Checked before the update, so the weights stay those of the last finite step.
        if (Options.TerminateOnNonFinite && !double.IsFinite(loss))
        {
            throw new NonFiniteLossException(epoch, batchNumber, loss, $"Training stopped: the loss of batch {batchNumber} in epoch {epoch} is {loss} (check the inputs and targets for NaN or infinity, and lower the learning rate). Set TerminateOnNonFinite = false to train on regardless.");
        }

        Network.AccumulateGradients(grads);
        Optimizer.Step(Network.Parameters);
        return loss;
    }

    /// <summary>
    /// Keras' <c>evaluate</c> on the given rows: the loss of each batch (with the output masks, as in training), averaged
    /// weighted by batch size as Keras' loss tracker; the accuracy of the first output as Keras' accuracy metric, which
    /// takes an output's mask as sample weights: every unmasked row (sample, or time step of a sequence output) counts
    /// once, masked ones not at all (0 when none is unmasked, Keras' divide_no_nan).
    /// </summary>
    private Evaluation EvaluateRows(DoubleTensor[] inputs, bool[]?[]? masks, DoubleTensor[] targets, Loss[] losses, int[] rows)
    {
        double loss = 0.0;
        long correct = 0, counted = 0;
        int batch = Math.Max(1, Options.BatchSize);
        for (int start = 0; start < rows.Length; start += batch)
        {
            int[] chunk = rows[start..Math.Min(rows.Length, start + batch)];
            DoubleTensor[] outputs = Network.Forward([.. inputs.Select(t => t.SelectRows(chunk))], SelectMaskRows(inputs, masks, chunk), training: false);
            IReadOnlyList<bool[]?> outputMasks = Network.OutputMasks;
            double batchLoss = 0.0;
            for (int k = 0; k < outputs.Length; k++)
            {
                batchLoss += losses[k].Compute(outputs[k], targets[k].SelectRows(chunk), null, outputMasks[k]);
            }

            loss += losses[0].Reduction == LossReduction.Mean ? batchLoss * chunk.Length : batchLoss;
            if (!Options.Regression)
            {
                (long c, long n) = CountCorrect(outputs[0], targets[0].SelectRows(chunk), outputMasks[0]);
                correct += c;
                counted += n;
            }
        }

        if (losses[0].Reduction == LossReduction.Mean)
        {
            loss /= rows.Length;
        }

        double accuracy = Options.Regression ? double.NaN : counted == 0 ? 0.0 : correct / (double)counted;
        return new Evaluation(loss, accuracy);
    }

    /// <summary>Rows (of the last axis) whose predicted class is the target's, and rows counted: the unmasked ones.</summary>
    private static (long Correct, long Counted) CountCorrect(DoubleTensor predicted, DoubleTensor target, bool[]? rowMask)
    {
        int[] p = ArgMax(predicted), t = ArgMax(target);
        long correct = 0, counted = 0;
        for (int r = 0; r < p.Length; r++)
        {
            if (rowMask is null || rowMask[r])
            {
                counted++;
                correct += p[r] == t[r] ? 1 : 0;
            }
        }

        return (correct, counted);
    }

    private DoubleTensor[] PredictRows(DoubleTensor[] inputs, bool[]?[]? masks, int[] rows)
    {
        var parts = new List<DoubleTensor[]>();
        int batch = Math.Max(1, Options.BatchSize);
        for (int start = 0; start < rows.Length; start += batch)
        {
            int[] chunk = rows[start..Math.Min(rows.Length, start + batch)];
            parts.Add(Network.Forward([.. inputs.Select(t => t.SelectRows(chunk))], SelectMaskRows(inputs, masks, chunk), training: false));
        }

        var result = new DoubleTensor[Network.Outputs.Count];
        for (int k = 0; k < result.Length; k++)
        {
            int[] shape = [rows.Length, .. parts.Count > 0 ? parts[0][k].Shape[1..] : Network.Outputs[k].Shape];
            result[k] = new DoubleTensor(shape);
            int offset = 0;
            foreach (DoubleTensor[] part in parts)
            {
                Array.Copy(part[k].Data, 0, result[k].Data, offset, part[k].Length);
                offset += part[k].Length;
            }
        }

        return result;
    }

    private (int[] Train, int[] Valid) Split(DoubleTensor firstTarget, int n)
    {
        if (Options.EvalSize <= 0.0)
        {
            return ([.. Enumerable.Range(0, n)], []);
        }

        var random = new Random(Options.Seed);
        int[] order = [.. Enumerable.Range(0, n)];
        random.Shuffle(order);
        var valid = new List<int>();
        if (Options.Regression || firstTarget.Rank != 2)
        {
            // Regression, or a class per time step: no class per sample to stratify by.
            valid.AddRange(order.Take((int)Math.Round(n * Options.EvalSize)));
        }
        else
        {
            // Stratified: the same fraction of every class goes to validation.
            int[] classes = ArgMax(firstTarget);
            foreach (IGrouping<int, int> group in order.GroupBy(i => classes[i]))
            {
                int[] members = [.. group];
                valid.AddRange(members.Take((int)Math.Round(members.Length * Options.EvalSize)));
            }
        }

        var validSet = valid.ToHashSet();
        return ([.. Enumerable.Range(0, n).Where(i => !validSet.Contains(i))], [.. valid.Order()]);
    }

    private static int[] ArgMax(DoubleTensor t)
    {
        int cols = t.Shape[^1];
        int rows = t.Length / cols;
        var result = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<double> row = t.Span.Slice(r * cols, cols);
            result[r] = cols == 1 ? (row[0] > 0.5 ? 1 : 0) : System.Numerics.Tensors.TensorPrimitives.IndexOfMax(row);
        }

        return result;
    }

    private void WriteHeader()
    {
        if (Log is null)
        {
            return;
        }

        string acc = Options.Regression ? string.Empty : "    valid acc";
        Log.WriteLine($"  epoch    train loss    valid loss    train/val{acc}      dur");
        Log.WriteLine($"-------  ------------  ------------  -----------{(Options.Regression ? string.Empty : "  -----------")}  -------");
    }

    private void WriteRow(EpochInfo info)
    {
        if (Log is null)
        {
            return;
        }

        var ic = System.Globalization.CultureInfo.InvariantCulture;
        string acc = Options.Regression ? string.Empty : string.Format(ic, "  {0,11:F5}", info.ValidAccuracy);
        Log.WriteLine(string.Format(ic, "{0,7}  {1,12:F5}  {2,12:F5}  {3,11:F5}{4}  {5,6:F2}s", info.Epoch, info.TrainLoss, info.ValidLoss, info.TrainValidRatio, acc, info.Duration.TotalSeconds));
    }
}

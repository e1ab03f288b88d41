using NeuralNet.Activations;

namespace NeuralNet.Layers;

/// <summary>Options shared by the recurrent layers; the defaults are Keras'.</summary>
public sealed record RecurrentOptions
{
    /// <summary>Return the whole output sequence [batch, time, units] instead of the last output.</summary>
    public bool ReturnSequences { get; init; }

    /// <summary>Also return the final states (h for SimpleRNN and GRU; h and c for LSTM).</summary>
    public bool ReturnState { get; init; }

    /// <summary>Carry the final states of one batch over as initial states of the next (until <see cref="RecurrentLayer.ResetState"/>).</summary>
    public bool Stateful { get; init; }

    /// <summary>The output activation (Keras <c>activation</c>, default tanh).</summary>
    public ElementwiseActivation Activation { get; init; } = new Tanh();

    /// <summary>The gate activation (Keras <c>recurrent_activation</c>, default sigmoid; unused by SimpleRNN).</summary>
    public ElementwiseActivation RecurrentActivation { get; init; } = new Sigmoid();

    /// <summary>Initializer seed; null lets a <see cref="Network"/> choose one.</summary>
    public int? Seed { get; init; }

    /// <summary>Optional layer name.</summary>
    public string? Name { get; init; }
}

/// <summary>
/// Base of <see cref="SimpleRnn"/>, <see cref="Lstm"/> and <see cref="Gru"/>: input [batch, time, features],
/// optional initial states as extra inputs, back-propagation through time.
/// Internally the sequence is processed time-major ([time, batch, units]) so each step works on contiguous blocks.
/// </summary>
public abstract class RecurrentLayer : Layer
{
    private double[][]? _storedStates;

    /// <summary>Creates the layer.</summary>
    /// <param name="units">Number of units.</param>
    /// <param name="options">Options (Keras defaults when null).</param>
    protected RecurrentLayer(int units, RecurrentOptions? options)
        : base(options?.Name, options?.Seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(units, 1);
        Units = units;
        Options = options ?? new RecurrentOptions();
    }

    /// <summary>Number of units.</summary>
    public int Units { get; }

    /// <summary>The options.</summary>
    public RecurrentOptions Options { get; }

    /// <summary>Number of state vectors (1, or 2 for LSTM).</summary>
    public abstract int StateCount { get; }

    /// <summary>The input feature size (after building).</summary>
    protected int InputDim { get; private set; }

    /// <summary>Forgets the states carried over in stateful mode.</summary>
    public void ResetState() => _storedStates = null;

    /// <summary>The states carried over in stateful mode (copies), or null.</summary>
    /// <returns>One [batch, units] tensor per state, or null.</returns>
    public DoubleTensor[]? GetStates()
        => _storedStates is null ? null : [.. _storedStates.Select(s => new DoubleTensor((double[])s.Clone(), s.Length / Units, Units))];

    /// <inheritdoc/>
    protected sealed override void CreateParameters(int[][] inputShapes)
    {
        InputDim = inputShapes[0][1];
        CreateWeights();
    }

    /// <inheritdoc/>
    protected sealed override int[][] ComputeOutputShapes(int[][] inputShapes)
    {
        bool valid = inputShapes.Length >= 1 && inputShapes[0].Length == 2
            && (inputShapes.Length == 1 || (inputShapes.Length == 1 + StateCount && inputShapes.Skip(1).All(s => s.Length == 1 && s[0] == Units)));
        if (!valid)
        {
            throw new ArgumentException($"{Name} takes a sequence [time, features] and optionally {StateCount} initial state(s) of size {Units}.");
        }

        var outputs = new List<int[]> { Options.ReturnSequences ? [inputShapes[0][0], Units] : [Units] };
        for (int i = 0; Options.ReturnState && i < StateCount; i++)
        {
            outputs.Add([Units]);
        }

        return [.. outputs];
    }

    /// <summary>The sequence [time, features] with any length, optionally followed by one [units] shape per state.</summary>
    /// <param name="built">The shapes the layer was built for.</param>
    /// <param name="actual">The new shapes.</param>
    /// <returns>True when compatible.</returns>
    protected override bool InputsCompatible(int[][] built, int[][] actual)
    {
        ArgumentNullException.ThrowIfNull(actual);
        return actual.Length >= 1 && actual[0].Length == 2 && actual[0][1] == InputDim
            && (actual.Length == 1 || (actual.Length == 1 + StateCount && actual.Skip(1).All(s => s.Length == 1 && s[0] == Units)));
    }

    /// <summary>Creates the parameters once <see cref="InputDim"/> is known.</summary>
    protected abstract void CreateWeights();

    /// <summary>Runs the sequence forward.</summary>
    /// <param name="x">Input, time-major [time, batch, features].</param>
    /// <param name="batch">Batch size.</param>
    /// <param name="time">Number of steps.</param>
    /// <param name="initialStates">Initial states [batch, units] each.</param>
    /// <param name="hidden">Receives h for every step, time-major [time, batch, units].</param>
    /// <param name="finalStates">Receives the final states.</param>
    /// <returns>Whatever the backward pass needs.</returns>
    protected abstract object RunForward(double[] x, int batch, int time, double[][] initialStates, double[] hidden, double[][] finalStates);

    /// <summary>Back-propagates through time.</summary>
    /// <param name="cache">What <see cref="RunForward"/> returned.</param>
    /// <param name="x">Input, time-major.</param>
    /// <param name="batch">Batch size.</param>
    /// <param name="time">Number of steps.</param>
    /// <param name="initialStates">Initial states.</param>
    /// <param name="hidden">h for every step, time-major.</param>
    /// <param name="hiddenGradient">dL/dh_t from the outputs, time-major (already includes the final h-state gradient).</param>
    /// <param name="finalStateGradients">dL/d final state for states other than h (index 0 unused); null entries mean zero.</param>
    /// <param name="inputGradient">Receives dL/dx, time-major.</param>
    /// <param name="initialStateGradients">Receives dL/d initial state.</param>
    protected abstract void RunBackward(object cache, double[] x, int batch, int time, double[][] initialStates, double[] hidden, double[] hiddenGradient, double[]?[] finalStateGradients, double[] inputGradient, double[][] initialStateGradients);

    private sealed record SequenceCache(double[] X, double[][] InitialStates, double[] Hidden, object Inner, bool UsedInitialStateInputs);

    /// <inheritdoc/>
    protected sealed override DoubleTensor[] ForwardCore(DoubleTensor[] inputs, bool training, out object? cache)
    {
        DoubleTensor input = inputs[0];
        int batch = input.Shape[0], time = input.Shape[1];
        if (time < 1)
        {
            throw new ArgumentException($"{Name} needs at least one time step.");
        }

        // The working arrays come from the graph node's pool (NewArray): reused by its next forward call, they live
        // as long as this call's record, which is what the backward pass reads.
        double[] x = ToTimeMajor(input.Data, batch, time, InputDim, NewArray(input.Length));
        var initial = new double[StateCount][];
        bool fromInputs = inputs.Length > 1;
        for (int s = 0; s < StateCount; s++)
        {
            initial[s] = NewArray(batch * Units);
            if (fromInputs)
            {
                inputs[1 + s].Data.CopyTo(initial[s], 0);
            }
            else if (Options.Stateful && _storedStates is not null)
            {
                if (_storedStates[s].Length != batch * Units)
                {
                    throw new InvalidOperationException($"Stateful layer {Name} got batch size {batch} but holds states for {_storedStates[s].Length / Units}; call ResetState().");
                }

                _storedStates[s].CopyTo(initial[s], 0);
            }
        }

        bool[]? mask = CurrentMasks.Count > 0 ? CurrentMasks[0] : null;
        if (mask is not null && !mask.Contains(false))
        {
            mask = null;
        }

        int block = batch * Units;
        double[] hidden = NewArray(time * block);
        var final = new double[StateCount][];
        for (int s = 0; s < StateCount; s++)
        {
            final[s] = NewArray(block);
        }

        object inner = mask is null ? RunForward(x, batch, time, initial, hidden, final) : RunMaskedForward(x, mask, batch, time, initial, hidden, final);
        if (Options.Stateful)
        {
            // Kept across calls, so not from the pool; GetStates hands out copies, so the arrays can be refilled.
            if (_storedStates is null || _storedStates[0].Length != block)
            {
                _storedStates = [.. final.Select(_ => new double[block])];
            }

            for (int s = 0; s < StateCount; s++)
            {
                final[s].CopyTo(_storedStates[s], 0);
            }
        }

        var outputs = new DoubleTensor[1 + (Options.ReturnState ? StateCount : 0)];
        if (Options.ReturnSequences)
        {
            outputs[0] = NewTensor([batch, time, Units]);
            FromTimeMajor(hidden, batch, time, Units, outputs[0].Data);
        }
        else
        {
            // With a mask the output is the last output at a step with data (zero when there is none), which differs
            // from the final h state only when every step is masked and the initial state is not zero.
            outputs[0] = NewTensor([batch, Units]);
            Array.Copy(hidden, (time - 1) * block, outputs[0].Data, 0, block);
        }

        for (int s = 0; Options.ReturnState && s < StateCount; s++)
        {
            outputs[1 + s] = NewTensor([batch, Units]);
            final[s].CopyTo(outputs[1 + s].Data, 0);
        }

        cache = inner is MaskedCache ? inner : new SequenceCache(x, initial, hidden, inner, fromInputs);
        return outputs;
    }

    /// <inheritdoc/>
    protected sealed override DoubleTensor[] BackwardCore(ForwardPass pass, IReadOnlyList<DoubleTensor?> outputGradients)
    {
        if (pass.Cache is MaskedCache masked)
        {
            return MaskedBackward(pass, masked, outputGradients);
        }

        var c = (SequenceCache)pass.Cache!;
        DoubleTensor input = pass.Inputs[0];
        int batch = input.Shape[0], time = input.Shape[1];
        int block = batch * Units;
        double[] dHidden = OutputGradientTimeMajor(outputGradients[0], batch, time);
        var dFinal = new double[]?[StateCount];
        if (Options.ReturnState)
        {
            for (int s = 0; s < StateCount; s++)
            {
                if (outputGradients.Count > 1 + s && outputGradients[1 + s] is { } ds)
                {
                    if (s == 0)
                    {
                        System.Numerics.Tensors.TensorPrimitives.Add(dHidden.AsSpan((time - 1) * block, block), ds.Span, dHidden.AsSpan((time - 1) * block, block));
                    }
                    else
                    {
                        dFinal[s] = ds.Data;
                    }
                }
            }
        }

        double[] dx = NewArray(c.X.Length);
        var dInitial = new double[StateCount][];
        for (int s = 0; s < StateCount; s++)
        {
            dInitial[s] = NewArray(block);
        }

        RunBackward(c.Inner, c.X, batch, time, c.InitialStates, c.Hidden, dHidden, dFinal, dx, dInitial);
        return InputGradients(pass, dx, dInitial);
    }

    /// <summary>dL/d output sequence (or last output) as dL/dh per step, time-major, in a pooled array.</summary>
    private double[] OutputGradientTimeMajor(DoubleTensor? dy, int batch, int time)
    {
        int block = batch * Units;
        double[] result = NewArray(time * block);
        if (dy is null)
        {
            return result;
        }

        if (Options.ReturnSequences)
        {
            return ToTimeMajor(dy.Data, batch, time, Units, result);
        }

        Array.Copy(dy.Data, 0, result, (time - 1) * block, block);
        return result;
    }

    /// <summary>The input gradients in pooled tensors: the sequence's batch-major, then one per initial-state input.</summary>
    private DoubleTensor[] InputGradients(ForwardPass pass, double[] dxTimeMajor, double[][] dInitial)
    {
        DoubleTensor input = pass.Inputs[0];
        int batch = input.Shape[0], time = input.Shape[1];
        var grads = new DoubleTensor[pass.Inputs.Count];
        grads[0] = NewTensor(input.Shape);
        if (InputGradientWanted(0))
        {
            FromTimeMajor(dxTimeMajor, batch, time, InputDim, grads[0].Data);
        }

        for (int s = 0; s < grads.Length - 1; s++)
        {
            grads[1 + s] = NewTensor([batch, Units]);
            dInitial[s].CopyTo(grads[1 + s].Data, 0);
        }

        return grads;
    }

    /// <summary>The output sequence keeps the input's mask; the last output and the states have none.</summary>
    /// <param name="inputs">The inputs.</param>
    /// <param name="masks">Their masks.</param>
    /// <param name="outputs">The outputs.</param>
    /// <returns>One mask or null per output.</returns>
    protected sealed override bool[]?[] ComputeOutputMasks(DoubleTensor[] inputs, bool[]?[] masks, DoubleTensor[] outputs)
    {
        ArgumentNullException.ThrowIfNull(masks);
        ArgumentNullException.ThrowIfNull(outputs);
        var result = new bool[]?[outputs.Length];
        if (Options.ReturnSequences)
        {
            result[0] = masks[0];
        }

        return result;
    }

    // Per step: what RunForward returned (null when every row was masked), the input slice, the states before the step
    // and the h the step computed; Valid is the mask time-major; Seen[t·batch + b] tells whether row b had data at or before t.
    private sealed record MaskedCache(object?[] Steps, double[][] X, double[][][] StatesBefore, double[][] StepHidden, bool[] Valid, bool[] Seen, bool UsedInitialStateInputs);

    /// <summary>
    /// Keras' masked recurrence: at a masked step the states are carried over unchanged and the output is the previous
    /// output (zero before the first step with data); the step's input has no effect. Runs the layer one step at a time.
    /// </summary>
    private MaskedCache RunMaskedForward(double[] x, bool[] mask, int batch, int time, double[][] initial, double[] outputs, double[][] final)
    {
        int block = batch * Units;
        var steps = new object?[time];
        var xs = new double[time][];
        var before = new double[time][][];
        var stepHidden = new double[time][];
        var valid = new bool[time * batch];
        var seen = new bool[time * batch];
        double[][] states = initial;
        double[] last = NewArray(block);
        for (int t = 0; t < time; t++)
        {
            bool any = false;
            for (int b = 0; b < batch; b++)
            {
                valid[(t * batch) + b] = mask[(b * time) + t];
                seen[(t * batch) + b] = valid[(t * batch) + b] || (t > 0 && seen[((t - 1) * batch) + b]);
                any |= valid[(t * batch) + b];
            }

            xs[t] = NewArray(batch * InputDim);
            Array.Copy(x, t * batch * InputDim, xs[t], 0, batch * InputDim);
            before[t] = states;
            double[] h = NewArray(block);
            var next = new double[StateCount][];
            for (int s = 0; s < StateCount; s++)
            {
                next[s] = NewArray(block);
            }

            if (any)
            {
                steps[t] = RunForward(xs[t], batch, 1, states, h, next);
            }

            for (int b = 0; b < batch; b++)
            {
                if (valid[(t * batch) + b])
                {
                    h.AsSpan(b * Units, Units).CopyTo(last.AsSpan(b * Units, Units));
                }
                else
                {
                    for (int s = 0; s < StateCount; s++)
                    {
                        states[s].AsSpan(b * Units, Units).CopyTo(next[s].AsSpan(b * Units, Units));
                    }
                }
            }

            stepHidden[t] = h;
            last.CopyTo(outputs, t * block);
            states = next;
        }

        for (int s = 0; s < StateCount; s++)
        {
            states[s].CopyTo(final[s], 0);
        }

        return new MaskedCache(steps, xs, before, stepHidden, valid, seen, false);
    }

    private DoubleTensor[] MaskedBackward(ForwardPass pass, MaskedCache c, IReadOnlyList<DoubleTensor?> outputGradients)
    {
        DoubleTensor input = pass.Inputs[0];
        int batch = input.Shape[0], time = input.Shape[1];
        int block = batch * Units, u = Units;

        // dOut[t]: gradient of the output at step t, time-major. A masked step's output is the last output with data,
        // which is the carried h state, so its gradient joins the carried h gradient; before any data it is a constant.
        double[] dOut = OutputGradientTimeMajor(outputGradients[0], batch, time);
        var carry = new double[StateCount][];
        for (int s = 0; s < StateCount; s++)
        {
            carry[s] = NewArray(block);
            if (Options.ReturnState && outputGradients.Count > 1 + s && outputGradients[1 + s] is { } ds)
            {
                ds.Data.CopyTo(carry[s], 0);
            }
        }

        double[] dx = NewArray(time * batch * InputDim);
        var stepFinal = new double[]?[StateCount];
        for (int t = time - 1; t >= 0; t--)
        {
            double[] dh = NewArray(block);
            for (int b = 0; b < batch; b++)
            {
                int tb = (t * batch) + b;
                for (int j = 0; j < u; j++)
                {
                    int k = (b * u) + j;
                    dh[k] = carry[0][k] + (c.Seen[tb] ? dOut[(t * block) + k] : 0.0);
                }
            }

            if (c.Steps[t] is not { } step)
            {
                carry[0] = dh;
                continue;
            }

            // The step sees only the rows with data; masked rows pass their gradients straight to the previous states.
            double[] stepDh = NewArray(block);
            dh.CopyTo(stepDh, 0);
            for (int s = 1; s < StateCount; s++)
            {
                stepFinal[s] = NewArray(block);
                carry[s].CopyTo(stepFinal[s]!, 0);
            }

            for (int b = 0; b < batch; b++)
            {
                if (!c.Valid[(t * batch) + b])
                {
                    stepDh.AsSpan(b * u, u).Clear();
                    for (int s = 1; s < StateCount; s++)
                    {
                        stepFinal[s].AsSpan(b * u, u).Clear();
                    }
                }
            }

            double[] stepDx = NewArray(batch * InputDim);
            var dBefore = new double[StateCount][];
            for (int s = 0; s < StateCount; s++)
            {
                dBefore[s] = NewArray(block);
            }

            RunBackward(step, c.X[t], batch, 1, c.StatesBefore[t], c.StepHidden[t], stepDh, stepFinal, stepDx, dBefore);
            stepDx.CopyTo(dx, t * batch * InputDim);
            for (int b = 0; b < batch; b++)
            {
                if (!c.Valid[(t * batch) + b])
                {
                    dh.AsSpan(b * u, u).CopyTo(dBefore[0].AsSpan(b * u, u));
                    for (int s = 1; s < StateCount; s++)
                    {
                        carry[s].AsSpan(b * u, u).CopyTo(dBefore[s].AsSpan(b * u, u));
                    }
                }
            }

            carry = dBefore;
        }

        return InputGradients(pass, dx, carry);
    }

    /// <summary>[batch, time, n] → [time, batch, n].</summary>
    /// <param name="data">Batch-major values.</param>
    /// <param name="batch">Batch size.</param>
    /// <param name="time">Steps.</param>
    /// <param name="n">Features.</param>
    /// <returns>Time-major values.</returns>
    protected static double[] ToTimeMajor(double[] data, int batch, int time, int n)
    {
        ArgumentNullException.ThrowIfNull(data);
        return ToTimeMajor(data, batch, time, n, new double[data.Length]);
    }

    private static double[] ToTimeMajor(double[] data, int batch, int time, int n, double[] result)
    {
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < time; t++)
            {
                Array.Copy(data, ((b * time) + t) * n, result, ((t * batch) + b) * n, n);
            }
        }

        return result;
    }

    /// <summary>[time, batch, n] → [batch, time, n].</summary>
    /// <param name="data">Time-major values.</param>
    /// <param name="batch">Batch size.</param>
    /// <param name="time">Steps.</param>
    /// <param name="n">Features.</param>
    /// <returns>Batch-major values.</returns>
    protected static double[] FromTimeMajor(double[] data, int batch, int time, int n)
    {
        ArgumentNullException.ThrowIfNull(data);
        return FromTimeMajor(data, batch, time, n, new double[data.Length]);
    }

    private static double[] FromTimeMajor(double[] data, int batch, int time, int n, double[] result)
    {
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < time; t++)
            {
                Array.Copy(data, ((t * batch) + b) * n, result, ((b * time) + t) * n, n);
            }
        }

        return result;
    }

    /// <summary>Keras' torch conversion helper: sums PyTorch's two biases.</summary>
    /// <param name="a">bias_ih.</param>
    /// <param name="b">bias_hh.</param>
    /// <returns>a + b.</returns>
    protected static DoubleTensor AddBiases(DoubleTensor a, DoubleTensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var r = new DoubleTensor(a.Shape);
        System.Numerics.Tensors.TensorPrimitives.Add(a.Span, b.Span, r.Span);
        return r;
    }
}

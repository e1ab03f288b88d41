using System.Runtime.ExceptionServices;
using System.Runtime.Intrinsics;

namespace Odr.Core;

/// <summary>Outcome of one call of the user's model, in ODRPACK's ISTOP terms.</summary>
internal enum EvaluationStatus
{
    /// <summary>Values computed.</summary>
    Ok = 0,

    /// <summary>The model rejected the point (threw <see cref="OdrStop"/>) or returned NaN/Inf: ISTOP &gt; 0.</summary>
    Rejected = 1,

    /// <summary>The model returned NaN/Inf (or left a value unset): rejected like ISTOP &gt; 0, and at
    /// the starting point a clear argument error.</summary>
    NonFinite = 2,
}

/// <summary>
/// Calls the user's model for the solver: counts evaluations, turns <see cref="OdrStop"/> and
/// non-finite values into a rejected point, and wraps any other exception with the beta at which it
/// happened. With more than one chunk (and a model that may run concurrently), each call is split into
/// contiguous chunks of observations evaluated in parallel; the values are those of one serial call.
/// </summary>
internal sealed partial class ModelEvaluator : IChunkJob
{
    private const int KindFunction = 0;
    private const int KindJacobianBeta = 1;
    private const int KindJacobianX = 2;

    private readonly Model model;
    private readonly int n;
    private readonly int m;
    private readonly int q;
    private readonly int p;
    private readonly ObservationChunks chunks;
    private readonly double[][] betaBuffers;
    private readonly Exception?[] chunkErrors;
    private readonly bool[] chunkFinite; // per chunk of the last chunked call: no NaN or Inf in its values

    // Arguments of the call in flight (parallel path).
    private double[] callBeta = Array.Empty<double>();
    private double[] callX = Array.Empty<double>();
    private double[] callOut = Array.Empty<double>();
    private int callKind;

    public ModelEvaluator(Model model, int n, int m, int q, int p, int maxDegreeOfParallelism = 1, bool parallelModel = false)
    {
        this.model = model;
        this.n = n;
        this.m = m;
        this.q = q;
        this.p = p;
        chunks = parallelModel ? ObservationChunks.For(n, maxDegreeOfParallelism) : new ObservationChunks(n, 1);
        EvaluatesSubsets = parallelModel || model.EvaluatesPointwise;
        ConcurrentSubsets = parallelModel;
        betaBuffers = new double[chunks.Count][];
        for (int c = 0; c < chunks.Count; c++) betaBuffers[c] = new double[p];
        chunkErrors = new Exception?[chunks.Count];
        chunkFinite = new bool[chunks.Count];
    }

    public Model Model => model;

    /// <summary>Checked before every call of the user's model (each chunk of a chunked call too), so
    /// that a cancelled fit stops within one model call.</summary>
    public CancellationToken Cancellation { get; set; }

    /// <summary>Whether subsets may be evaluated from several threads at once (the model is declared
    /// pure, or the fit set ParallelModelEvaluation); otherwise every call is made from one thread at
    /// a time.</summary>
    public bool ConcurrentSubsets { get; }

    /// <summary>Iteration number reported in wrapped exceptions.</summary>
    public int Iteration { get; set; }

    /// <summary>Description of the last rejected point, for the stop reason.</summary>
    public string? LastRejection { get; private set; }

    /// <summary>The first non-finite value of the last model evaluation that returned one.</summary>
    public int NonFiniteIndex { get; private set; }

    /// <summary>Model values into an array: split into chunks when the model allows it.</summary>
    public EvaluationStatus Function(double[] beta, double[] x, double[] f)
    {
        if (chunks.Count == 1) return Function(beta, x, f.AsSpan());
        return RunChunked(KindFunction, beta, x, f, "model function", q);
    }

    public EvaluationStatus Function(double[] beta, double[] x, Span<double> f) =>
        RunSerial(KindFunction, beta, x, f.Slice(0, n * q), "model function");

    /// <summary>Whether the model may be called on a subset of the observations (a per-observation
    /// model, or a vectorized one declared pure); from several threads only when
    /// <see cref="ConcurrentSubsets"/>.</summary>
    public bool EvaluatesSubsets { get; }

    /// <summary>Model values of observations [first, first + count) only (requires
    /// <see cref="EvaluatesSubsets"/>), with a parameter buffer of the caller's (p values) so that
    /// several threads can evaluate disjoint subsets.</summary>
    public EvaluationStatus FunctionOf(double[] beta, double[] betaBuffer, double[] x, int first, int count, Span<double> f)
    {
        var output = f.Slice(0, count * q);
        Cancellation.ThrowIfCancellationRequested();
        try
        {
            Dispatch(KindFunction, beta, betaBuffer, x.AsSpan(first * m, count * m), output);
            Correct(KindFunction, x.AsSpan(first * m, count * m), first, output);
        }
        catch (OdrStop stop)
        {
            LastRejection = stop.Message;
            return EvaluationStatus.Rejected;
        }
        catch (Exception e) when (e is not ModelEvaluationException && !IsOurCancellation(e))
        {
            throw new ModelEvaluationException("model function", beta, Iteration, e);
        }
        return CheckValues(output);
    }

    /// <summary>
    /// Model values of which only observation <paramref name="row"/>'s are read (the derivative check's
    /// steps, DETAF's noise points): ODRPACK evaluates every observation and reads that one. A model
    /// declared pure (<see cref="ConcurrentSubsets"/>: each observation's values depend on beta and its
    /// own inputs only) is evaluated at that observation alone, which gives the same values there; the
    /// other rows of <paramref name="f"/> are then left as they were. A rejection is rare: the full call
    /// then gives it, message and all (a subset's message would count observations from its first), so
    /// the one difference is a rejection at another observation only, which no longer counts. Serial
    /// calls only (it uses the serial calls' parameter buffer).
    /// </summary>
    public EvaluationStatus FunctionAtRow(double[] beta, double[] x, int row, double[] f)
    {
        if (!ConcurrentSubsets) return Function(beta, x, f);
        var status = FunctionOf(beta, betaBuffers[0], x, row, 1, f.AsSpan(row * q, q));
        return status == EvaluationStatus.Ok ? status : Function(beta, x, f);
    }

    private EvaluationStatus CheckValues(ReadOnlySpan<double> f)
    {
        int bad = FirstNonFinite(f);
        if (bad >= 0)
        {
            LastRejection = $"the model returned {f[bad]} for observation {bad / q}" + (q > 1 ? $", response {bad % q}" : string.Empty);
            NonFiniteIndex = bad;
            return EvaluationStatus.NonFinite;
        }
        return EvaluationStatus.Ok;
    }

    public EvaluationStatus JacobianBeta(double[] beta, double[] x, double[] jac)
    {
        if (chunks.Count == 1) return JacobianBeta(beta, x, jac.AsSpan());
        return RunChunked(KindJacobianBeta, beta, x, jac, "Jacobian fjacb", q * p);
    }

    public EvaluationStatus JacobianBeta(double[] beta, double[] x, Span<double> jac) =>
        RunSerial(KindJacobianBeta, beta, x, jac.Slice(0, n * q * p), "Jacobian fjacb");

    public EvaluationStatus JacobianX(double[] beta, double[] x, double[] jac)
    {
        if (chunks.Count == 1) return JacobianX(beta, x, jac.AsSpan());
        return RunChunked(KindJacobianX, beta, x, jac, "Jacobian fjacd", q * m);
    }

    public EvaluationStatus JacobianX(double[] beta, double[] x, Span<double> jac) =>
        RunSerial(KindJacobianX, beta, x, jac.Slice(0, n * q * m), "Jacobian fjacd");

    /// <summary>One call on the calling thread: a rejection (OdrStop) or a wrapped exception, else the
    /// values checked for NaN/Inf.</summary>
    private EvaluationStatus RunSerial(int kind, double[] beta, double[] x, Span<double> output, string what)
    {
        Cancellation.ThrowIfCancellationRequested();
        try
        {
            Dispatch(kind, beta, betaBuffers[0], x.AsSpan(0, n * m), output);
            Correct(kind, x.AsSpan(0, n * m), 0, output);
        }
        catch (OdrStop stop)
        {
            LastRejection = stop.Message;
            return EvaluationStatus.Rejected;
        }
        catch (Exception e) when (e is not ModelEvaluationException && !IsOurCancellation(e))
        {
            throw new ModelEvaluationException(what, beta, Iteration, e);
        }
        return Check(kind, output);
    }

    /// <summary>A cancellation of this fit's token, thrown by our check or by a model that watches
    /// the same token: passed on as it is, not wrapped as a model failure.</summary>
    private bool IsOurCancellation(Exception e) => e is OperationCanceledException && Cancellation.IsCancellationRequested;

    /// <summary>The user's function or Jacobian for the given kind of call (the Model clears a
    /// Jacobian's destination before calling the user's code).</summary>
    private void Dispatch(int kind, double[] beta, double[] buffer, ReadOnlySpan<double> x, Span<double> output)
    {
        switch (kind)
        {
            case KindFunction:
                model.Evaluate(beta, buffer, x, output);
                break;
            case KindJacobianBeta:
                model.EvaluateJacobianBeta(beta, buffer, x, output);
                break;
            default:
                model.EvaluateJacobianX(beta, buffer, x, output);
                break;
        }
    }

    private EvaluationStatus Check(int kind, ReadOnlySpan<double> output) => kind switch
    {
        KindFunction => CheckValues(output),
        KindJacobianBeta => CheckJacobian(output, "fjacb", q * p),
        _ => CheckJacobian(output, "fjacd", q * m),
    };

    private EvaluationStatus CheckJacobian(ReadOnlySpan<double> jac, string name, int perObservation)
    {
        int bad = FirstNonFinite(jac);
        if (bad >= 0)
        {
            LastRejection = $"the Jacobian {name} returned {jac[bad]} for observation {bad / perObservation}";
            return EvaluationStatus.Rejected;
        }
        return EvaluationStatus.Ok;
    }

    /// <summary>One call split into chunks. The first chunk (in observation order) that threw decides
    /// the outcome, as the exception a serial call would have thrown first; otherwise the values are
    /// checked as in a serial call.</summary>
    private EvaluationStatus RunChunked(int kind, double[] beta, double[] x, double[] output, string what, int width)
    {
        Cancellation.ThrowIfCancellationRequested();
        callKind = kind;
        callBeta = beta;
        callX = x;
        callOut = output;
        Array.Clear(chunkErrors);
        Array.Clear(chunkFinite); // a chunk that never reports is checked serially
        ChunkPool.Run(this, chunks.Count);
        callBeta = callX = callOut = Array.Empty<double>();
        foreach (var e in chunkErrors)
        {
            if (e is null || !IsOurCancellation(e)) continue;
            Array.Clear(chunkErrors);
            Cancellation.ThrowIfCancellationRequested();
        }
        foreach (var e in chunkErrors)
        {
            if (e is null) continue;
            Array.Clear(chunkErrors);
            if (e is OdrStop stop)
            {
                LastRejection = stop.Message;
                return EvaluationStatus.Rejected;
            }
            if (e is ModelEvaluationException) ExceptionDispatchInfo.Capture(e).Throw();
            throw new ModelEvaluationException(what, beta, Iteration, e);
        }
        foreach (bool finite in chunkFinite)
        {
            // Some chunk holds NaN or Inf: the serial check finds the first and says where.
            if (!finite) return Check(kind, output.AsSpan(0, n * width));
        }
        return EvaluationStatus.Ok;
    }

    void IChunkJob.RunChunk(int chunk)
    {
        int i0 = chunks.Start(chunk), i1 = chunks.Start(chunk + 1), len = i1 - i0;
        var x = callX.AsSpan(i0 * m, len * m);
        var buffer = betaBuffers[chunk];
        int width = callKind switch { KindFunction => q, KindJacobianBeta => q * p, _ => q * m };
        try
        {
            Cancellation.ThrowIfCancellationRequested();
            var output = callOut.AsSpan(i0 * width, len * width);
            Dispatch(callKind, callBeta, buffer, x, output);
            Correct(callKind, x, i0, output);
            // Checked here, on every thread and while the values are fresh, rather than in one
            // serial pass over all of them afterwards (n = 1e6: tens of MB of Jacobians from memory).
            chunkFinite[chunk] = FirstNonFinite(output) < 0;
        }
        catch (Exception e)
        {
            chunkErrors[chunk] = e;
        }
    }

    private static int FirstNonFinite(ReadOnlySpan<double> v)
    {
        // v − v is 0 for every finite v and NaN for NaN and ±∞: two values are checked at once, and
        // the loop below looks for the first only from the pair that holds one (every model call's
        // values pass through here; a small fit makes tens of calls). 128-bit on purpose: a method
        // that asks for 256-bit vectors loses its ReadyToRun code on AVX2 and AVX-512 machines and
        // ran JIT-compiled, at tier 0, in the first fits of a process (see SimdWidths).
        int i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + Vector128<double>.Count <= v.Length; i += Vector128<double>.Count)
            {
                var group = Vector128.Create(v.Slice(i, Vector128<double>.Count));
                if (!Vector128.EqualsAll(group - group, Vector128<double>.Zero)) break;
            }
        }
        for (; i < v.Length; i++)
        {
            if (!double.IsFinite(v[i])) return i;
        }
        return -1;
    }
}

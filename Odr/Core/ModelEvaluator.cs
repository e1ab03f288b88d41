namespace Odr.Core;

/// <summary>Outcome of one call of the user's model, in ODRPACK's ISTOP terms.</summary>
internal enum EvaluationStatus
{
    /// <summary>Values computed.</summary>
    Ok = 0,

    /// <summary>The model rejected the point (threw <see cref="OdrStop"/>) or returned NaN/Inf: ISTOP &gt; 0.</summary>
    Rejected = 1,
}

/// <summary>
/// Calls the user's model for the solver: counts evaluations, turns <see cref="OdrStop"/> and
/// non-finite values into a rejected point, and wraps any other exception with the beta at which it
/// happened.
/// </summary>
internal sealed class ModelEvaluator
{
    private readonly Model model;
    private readonly int n;
    private readonly int m;
    private readonly int q;
    private readonly int p;

    public ModelEvaluator(Model model, int n, int m, int q, int p)
    {
        this.model = model;
        this.n = n;
        this.m = m;
        this.q = q;
        this.p = p;
    }

    public Model Model => model;

    /// <summary>Iteration number reported in wrapped exceptions.</summary>
    public int Iteration { get; set; }

    /// <summary>Description of the last rejected point, for the stop reason.</summary>
    public string? LastRejection { get; private set; }

    public EvaluationStatus Function(double[] beta, double[] x, Span<double> f)
    {
        try
        {
            model.Evaluate(beta, x.AsSpan(0, n * m), f.Slice(0, n * q));
        }
        catch (OdrStop stop)
        {
            LastRejection = stop.Message;
            return EvaluationStatus.Rejected;
        }
        catch (Exception e) when (e is not ModelEvaluationException)
        {
            throw new ModelEvaluationException("model function", beta, Iteration, e);
        }
        int bad = FirstNonFinite(f.Slice(0, n * q));
        if (bad >= 0)
        {
            LastRejection = $"the model returned {f[bad]} for observation {bad / q}" + (q > 1 ? $", response {bad % q}" : string.Empty);
            return EvaluationStatus.Rejected;
        }
        return EvaluationStatus.Ok;
    }

    public EvaluationStatus JacobianBeta(double[] beta, double[] x, Span<double> jac)
    {
        try
        {
            model.EvaluateJacobianBeta(beta, x.AsSpan(0, n * m), jac.Slice(0, n * q * p));
        }
        catch (OdrStop stop)
        {
            LastRejection = stop.Message;
            return EvaluationStatus.Rejected;
        }
        catch (Exception e) when (e is not ModelEvaluationException)
        {
            throw new ModelEvaluationException("Jacobian fjacb", beta, Iteration, e);
        }
        int bad = FirstNonFinite(jac.Slice(0, n * q * p));
        if (bad >= 0)
        {
            LastRejection = $"the Jacobian fjacb returned {jac[bad]} for observation {bad / (q * p)}";
            return EvaluationStatus.Rejected;
        }
        return EvaluationStatus.Ok;
    }

    public EvaluationStatus JacobianX(double[] beta, double[] x, Span<double> jac)
    {
        try
        {
            model.EvaluateJacobianX(beta, x.AsSpan(0, n * m), jac.Slice(0, n * q * m));
        }
        catch (OdrStop stop)
        {
            LastRejection = stop.Message;
            return EvaluationStatus.Rejected;
        }
        catch (Exception e) when (e is not ModelEvaluationException)
        {
            throw new ModelEvaluationException("Jacobian fjacd", beta, Iteration, e);
        }
        int bad = FirstNonFinite(jac.Slice(0, n * q * m));
        if (bad >= 0)
        {
            LastRejection = $"the Jacobian fjacd returned {jac[bad]} for observation {bad / (q * m)}";
            return EvaluationStatus.Rejected;
        }
        return EvaluationStatus.Ok;
    }

    private static int FirstNonFinite(ReadOnlySpan<double> v)
    {
        for (int i = 0; i < v.Length; i++)
        {
            if (!double.IsFinite(v[i])) return i;
        }
        return -1;
    }
}

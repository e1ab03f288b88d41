namespace NeuralNet.Optimizers;

/// <summary>
/// Updates parameters from their gradients. Masked parameter entries are never moved.
/// Per-parameter state (velocities, moments) is created on first use.
/// </summary>
public abstract class Optimizer
{
    /// <summary>The learning rate, finite and non-negative; schedules change it between epochs.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN, infinite or negative.</exception>
    public double LearningRate
    {
        get;
        set
        {
            if (!(double.IsFinite(value) && value >= 0.0))
            {
                throw new ArgumentOutOfRangeException(nameof(LearningRate), value, "The learning rate must be finite and non-negative.");
            }

            field = value;
        }
    }

    /// <summary>Applies one update to every parameter using its current gradient.</summary>
    /// <param name="parameters">The parameters.</param>
    public void Step(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        OnStepStarting();
        foreach (Parameter p in parameters)
        {
            Update(p);
        }
    }

    /// <summary>Called once per <see cref="Step"/> before the updates (e.g. to advance Adam's step counter).</summary>
    protected virtual void OnStepStarting()
    {
    }

    /// <summary>Updates one parameter.</summary>
    /// <param name="parameter">The parameter whose <see cref="Parameter.Gradient"/> is current.</param>
    protected abstract void Update(Parameter parameter);

    /// <summary>Adds <paramref name="delta"/> to the parameter's values, skipping masked entries.</summary>
    /// <param name="parameter">The parameter.</param>
    /// <param name="delta">The change; masked entries of it are zeroed in place.</param>
    protected static void ApplyDelta(Parameter parameter, Span<double> delta)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        parameter.ApplyMask(delta);
        Span<double> v = parameter.Value.Span;
        System.Numerics.Tensors.TensorPrimitives.Add(v, delta, v);
    }
}

/// <summary>Options of <see cref="Sgd"/>; the defaults are plain gradient descent with Keras' learning rate.</summary>
public sealed record SgdOptions
{
    /// <summary>Learning rate.</summary>
    public double LearningRate { get; init; } = 0.01;

    /// <summary>Momentum m (0 for plain gradient descent).</summary>
    public double Momentum { get; init; }

    /// <summary>Use Nesterov momentum.</summary>
    public bool Nesterov { get; init; }
}

/// <summary>
/// Stochastic gradient descent. Plain: p −= lr·g. Momentum: v = m·v − lr·g; p += v.
/// Nesterov: v = m·v − lr·g; p += m·v − lr·g.
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly Dictionary<Parameter, double[]> _velocity = [];
    private double[] _delta = [];

    /// <summary>Creates the optimizer.</summary>
    /// <param name="options">Options (defaults when null).</param>
    public Sgd(SgdOptions? options = null)
    {
        options ??= new SgdOptions();
        LearningRate = options.LearningRate;
        Momentum = options.Momentum;
        Nesterov = options.Nesterov;
    }

    /// <summary>Momentum m, finite and non-negative; schedules may change it between epochs.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN, infinite or negative.</exception>
    public double Momentum
    {
        get;
        set
        {
            if (!(double.IsFinite(value) && value >= 0.0))
            {
                throw new ArgumentOutOfRangeException(nameof(Momentum), value, "Momentum must be finite and non-negative.");
            }

            field = value;
        }
    }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    protected override void Update(Parameter parameter)
    {
        ReadOnlySpan<double> g = parameter.Gradient.Span;
        if (_delta.Length < g.Length)
        {
            _delta = new double[g.Length];
        }

        Span<double> delta = _delta.AsSpan(0, g.Length);
        if (Momentum == 0.0 && !_velocity.ContainsKey(parameter))
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(g, -LearningRate, delta);
        }
        else
        {
            if (!_velocity.TryGetValue(parameter, out double[]? v))
            {
                v = new double[g.Length];
                _velocity[parameter] = v;
            }

            for (int i = 0; i < v.Length; i++)
            {
                v[i] = (Momentum * v[i]) - (LearningRate * g[i]);
                delta[i] = Nesterov ? (Momentum * v[i]) - (LearningRate * g[i]) : v[i];
            }

            parameter.ApplyMask(v);
        }

        ApplyDelta(parameter, delta);
    }
}

/// <summary>Where Adam adds ε.</summary>
public enum AdamEpsilon
{
    /// <summary>Keras: p −= lr·√(1−β₂ᵗ)/(1−β₁ᵗ) · m / (√v + ε) (ε on the uncorrected √v).</summary>
    Keras,

    /// <summary>PyTorch: p −= lr · m̂ / (√v̂ + ε) with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ).</summary>
    PyTorch,
}

/// <summary>Options of <see cref="Adam"/>; defaults are Keras'.</summary>
public sealed record AdamOptions
{
    /// <summary>Learning rate.</summary>
    public double LearningRate { get; init; } = 0.001;

    /// <summary>Decay of the first moment.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Decay of the second moment.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>ε (Keras 1e−7; PyTorch uses 1e−8).</summary>
    public double Epsilon { get; init; } = 1e-7;

    /// <summary>Where ε is added.</summary>
    public AdamEpsilon EpsilonPlacement { get; init; } = AdamEpsilon.Keras;
}

/// <summary>Adam (Kingma and Ba) with Keras' or PyTorch's placement of ε.</summary>
public sealed class Adam : Optimizer
{
    private readonly Dictionary<Parameter, (double[] M, double[] V)> _moments = [];
    private double[] _delta = [];
    private int _step;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="options">Options (Keras defaults when null).</param>
    public Adam(AdamOptions? options = null)
    {
        Options = options ?? new AdamOptions();
        LearningRate = Options.LearningRate;
    }

    /// <summary>The options.</summary>
    public AdamOptions Options { get; }

    /// <summary>Number of steps taken.</summary>
    public int Iterations => _step;

    /// <inheritdoc/>
    protected override void OnStepStarting() => _step++;

    /// <inheritdoc/>
    protected override void Update(Parameter parameter)
    {
        ReadOnlySpan<double> g = parameter.Gradient.Span;
        if (!_moments.TryGetValue(parameter, out var mv))
        {
            mv = (new double[g.Length], new double[g.Length]);
            _moments[parameter] = mv;
        }

        if (_delta.Length < g.Length)
        {
            _delta = new double[g.Length];
        }

        Span<double> delta = _delta.AsSpan(0, g.Length);
        double b1 = Options.Beta1, b2 = Options.Beta2, eps = Options.Epsilon;
        double c1 = 1.0 - Math.Pow(b1, _step), c2 = 1.0 - Math.Pow(b2, _step);
        double alpha = LearningRate * Math.Sqrt(c2) / c1;
        (double[] m, double[] v) = mv;
        for (int i = 0; i < g.Length; i++)
        {
            m[i] = (b1 * m[i]) + ((1.0 - b1) * g[i]);
            v[i] = (b2 * v[i]) + ((1.0 - b2) * g[i] * g[i]);
            delta[i] = Options.EpsilonPlacement == AdamEpsilon.Keras
                ? -alpha * m[i] / (Math.Sqrt(v[i]) + eps)
                : -LearningRate * (m[i] / c1) / (Math.Sqrt(v[i] / c2) + eps);
        }

        ApplyDelta(parameter, delta);
    }
}

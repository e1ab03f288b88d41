using System.Globalization;

namespace Odr;

/// <summary>
/// Vectorized model function: writes f(beta, x) for every observation into <paramref name="f"/>
/// without allocating. <paramref name="x"/> holds n·m values observation-major (input j of
/// observation i at <c>x[i*m + j]</c>); <paramref name="f"/> receives n·q values (<c>f[i*q + l]</c>).
/// </summary>
/// <param name="beta">The parameters.</param>
/// <param name="x">The explanatory variables, observation-major.</param>
/// <param name="f">Destination for the model values, observation-major.</param>
public delegate void ModelFunction(ReadOnlySpan<double> beta, ReadOnlySpan<double> x, Span<double> f);

/// <summary>
/// Vectorized Jacobian. For fjacb the destination holds n·q·p values, ∂f_l/∂β_k of observation i at
/// <c>jacobian[(i*q + l)*p + k]</c>; for fjacd n·q·m values, ∂f_l/∂x_j at <c>jacobian[(i*q + l)*m + j]</c>.
/// The destination is all zeros at every call, so derivatives that are zero may be left unwritten.
/// </summary>
/// <param name="beta">The parameters.</param>
/// <param name="x">The explanatory variables, observation-major.</param>
/// <param name="jacobian">Destination for the derivatives.</param>
public delegate void ModelJacobian(ReadOnlySpan<double> beta, ReadOnlySpan<double> x, Span<double> jacobian);

/// <summary>
/// Per-observation model function for any number of inputs m and responses q: writes the q responses
/// of ONE observation, y = f(beta, x), with no index arithmetic. <paramref name="x"/> holds that
/// observation's m inputs (<c>x[j]</c>, j = 0..m-1) and <paramref name="y"/> receives its q values
/// (<c>y[l]</c>, l = 0..q-1); for an implicit model the q equations, each zero on the curve. The
/// spans are only valid during the call.
/// </summary>
/// <param name="beta">The parameters (p values).</param>
/// <param name="x">The inputs of one observation (m values).</param>
/// <param name="y">Destination for the model values of that observation (q values).</param>
public delegate void ObservationFunction(ReadOnlySpan<double> beta, ReadOnlySpan<double> x, Span<double> y);

/// <summary>
/// Per-observation Jacobian of an <see cref="ObservationFunction"/>, a row-major [q, k] matrix: with
/// respect to beta (fjacb) k = p and ∂y_l/∂β_k goes to <c>jacobian[l*p + k]</c>; with respect to x
/// (fjacd) k = m and ∂y_l/∂x_j goes to <c>jacobian[l*m + j]</c>. The destination is all zeros at every
/// call, so derivatives that are zero may be left unwritten.
/// </summary>
/// <param name="beta">The parameters (p values).</param>
/// <param name="x">The inputs of one observation (m values).</param>
/// <param name="jacobian">Destination for the q·p (fjacb) or q·m (fjacd) derivatives, row-major.</param>
public delegate void ObservationJacobian(ReadOnlySpan<double> beta, ReadOnlySpan<double> x, Span<double> jacobian);

/// <summary>Per-observation gradient with respect to beta for a model with one input and one response
/// (the destination is all zeros at every call).</summary>
/// <param name="beta">The parameters.</param>
/// <param name="x">The explanatory variable of one observation.</param>
/// <param name="gradient">Destination for ∂f/∂β_k, k = 0..p-1.</param>
public delegate void ScalarGradient(double[] beta, double x, Span<double> gradient);

/// <summary>
/// Thrown by a model function to reject the point it was asked to evaluate (ODRPACK's ISTOP &gt; 0,
/// scipy's <c>OdrStop</c>): the trial step is rejected and shortened.
/// </summary>
public sealed class OdrStop : Exception
{
    /// <summary>Creates the exception.</summary>
    public OdrStop()
        : base("The model rejected the point.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Why the point was rejected.</param>
    public OdrStop(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">Why the point was rejected.</param>
    /// <param name="inner">The cause.</param>
    public OdrStop(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>
/// The model f(beta, x) to fit, as scipy.odr's <c>Model</c>: the function and, optionally, its analytic
/// Jacobians with respect to the parameters (<c>fjacb</c>) and the inputs (<c>fjacd</c>).
/// </summary>
/// <remarks>
/// <para>Three forms, for n observations of m inputs and q responses (or q equations of an implicit
/// model) and p parameters:</para>
/// <list type="bullet">
/// <item><description><b>Per observation, any m and q</b>
/// (<see cref="Model(int, int, ObservationFunction, ObservationJacobian?, ObservationJacobian?, bool)"/>):
/// inputs in, responses out, for one observation: <c>x[j]</c>, <c>y[l]</c>; Jacobians as row-major
/// [q, p] (<c>jacobian[l*p + k]</c> = ∂y_l/∂β_k) and [q, m] (<c>jacobian[l*m + j]</c> = ∂y_l/∂x_j).
/// The model checks m and q against the data when the fit is set up.</description></item>
/// <item><description><b>Per observation, one input and one response</b>
/// (<see cref="Model(Func{double[], double, double}, ScalarGradient?, Func{double[], double, double}?, bool)"/>):
/// <c>(b, x) =&gt; …</c> returning the value.</description></item>
/// <item><description><b>Vectorized</b>
/// (<see cref="Model(ModelFunction, ModelJacobian?, ModelJacobian?, bool, int)"/>), the fast path for
/// models that compute all observations at once: observation-major spans, input j of observation i at
/// <c>x[i*m + j]</c>, response l at <c>f[i*q + l]</c>, ∂f_l/∂β_k at <c>jacobian[(i*q + l)*p + k]</c>
/// and ∂f_l/∂x_j at <c>jacobian[(i*q + l)*m + j]</c>. Observation i's block of each is exactly the
/// per-observation form's argument. (<see cref="Data"/> and <see cref="Output"/> use scipy's
/// variable-major [m, n] and [q, n] instead.)</description></item>
/// </list>
/// <para>The per-observation forms are called once per observation, on whichever subset of the
/// observations the solver needs; from one thread at a time unless <see cref="IsThreadSafe"/> (or
/// <see cref="ODR.ParallelModelEvaluation"/>) allows parallel chunks. They allocate nothing per
/// call.</para>
/// </remarks>
public sealed class Model
{
    private readonly ModelFunction function;
    private readonly ModelJacobian? jacobianBeta;
    private readonly ModelJacobian? jacobianX;
    private readonly Func<double[], double, double>? scalarFunction;
    private readonly ScalarGradient? scalarJacobianBeta;
    private readonly Func<double[], double, double>? scalarJacobianX;
    private readonly ObservationFunction? observationFunction;

    // One parameter array per thread for the per-observation form (taken while in use, so a nested
    // call on the same thread gets a fresh one): no allocation per call, safe under parallel use.
    [ThreadStatic]
    private static double[]? threadBeta;

    /// <summary>
    /// A model with one input and one response given per observation, e.g.
    /// <c>new Model((b, x) =&gt; b[0] * Math.Exp(b[1] * x))</c>.
    /// </summary>
    /// <param name="fcn">f(beta, x) for one observation.</param>
    /// <param name="fjacb">Optional analytic ∂f/∂β.</param>
    /// <param name="fjacd">Optional analytic ∂f/∂x.</param>
    /// <param name="isImplicit">True when the model is implicit: f(beta, x) = 0 on the curve.</param>
    public Model(Func<double[], double, double> fcn, ScalarGradient? fjacb = null, Func<double[], double, double>? fjacd = null, bool isImplicit = false)
    {
        ArgumentNullException.ThrowIfNull(fcn);
        IsImplicit = isImplicit;
        Responses = 1;
        Inputs = 1;
        ScalarInputOnly = true;
        scalarFunction = fcn;
        scalarJacobianBeta = fjacb;
        scalarJacobianX = fjacd;
        BufferedEvaluation values = (b, x, f) => EvaluateScalar(fcn, b, x, f);
        function = (beta, x, f) => WithBetaBuffer(values, beta, x, f);
        if (fjacb != null)
        {
            BufferedEvaluation gradients = (b, x, jac) => EvaluateScalarGradient(fjacb, b, x, jac);
            jacobianBeta = (beta, x, jac) => WithBetaBuffer(gradients, beta, x, jac);
        }
        if (fjacd != null)
        {
            BufferedEvaluation slopes = (b, x, jac) => EvaluateScalar(fjacd, b, x, jac);
            jacobianX = (beta, x, jac) => WithBetaBuffer(slopes, beta, x, jac);
        }
    }

    /// <summary>One per-observation pass with beta copied into a double[] (the per-observation
    /// callbacks take an array).</summary>
    private delegate void BufferedEvaluation(double[] beta, ReadOnlySpan<double> x, Span<double> output);

    /// <summary>
    /// A vectorized model (the fast path): the function writes all n·q values into a caller-provided
    /// buffer. See <see cref="ModelFunction"/> and <see cref="ModelJacobian"/> for the layouts.
    /// </summary>
    /// <param name="fcn">The model function.</param>
    /// <param name="fjacb">Optional analytic Jacobian with respect to beta.</param>
    /// <param name="fjacd">Optional analytic Jacobian with respect to x.</param>
    /// <param name="isImplicit">True when the model is implicit: f(beta, x) = 0 on the curve.</param>
    /// <param name="implicitResponses">For an implicit model, the number of equations q per observation.</param>
    public Model(ModelFunction fcn, ModelJacobian? fjacb = null, ModelJacobian? fjacd = null, bool isImplicit = false, int implicitResponses = 1)
    {
        ArgumentNullException.ThrowIfNull(fcn);
        if (implicitResponses < 1) throw new ArgumentOutOfRangeException(nameof(implicitResponses), implicitResponses, "An implicit model needs at least one equation.");
        function = fcn;
        jacobianBeta = fjacb;
        jacobianX = fjacd;
        IsImplicit = isImplicit;
        Responses = implicitResponses;
    }

    /// <summary>
    /// A model given per observation for m inputs and q responses: inputs in, responses out, e.g. for
    /// two inputs and two responses
    /// <c>new Model(inputs: 2, responses: 2, (b, x, y) =&gt; { y[0] = b[0] + b[1] * x[0]; y[1] = b[2] * x[0] * x[1]; })</c>.
    /// See <see cref="ObservationFunction"/> and <see cref="ObservationJacobian"/> for the layouts.
    /// </summary>
    /// <param name="inputs">m, the inputs per observation: the rows of the data's x.</param>
    /// <param name="responses">q, the responses per observation (the rows of y), or for an implicit
    /// model the equations per observation.</param>
    /// <param name="fcn">f(beta, x) for one observation.</param>
    /// <param name="fjacb">Optional analytic ∂y/∂β of one observation, row-major [q, p].</param>
    /// <param name="fjacd">Optional analytic ∂y/∂x of one observation, row-major [q, m].</param>
    /// <param name="isImplicit">True when the model is implicit: f(beta, x) = 0 on the curve.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputs"/> or
    /// <paramref name="responses"/> is below 1.</exception>
    public Model(int inputs, int responses, ObservationFunction fcn, ObservationJacobian? fjacb = null, ObservationJacobian? fjacd = null, bool isImplicit = false)
    {
        ArgumentNullException.ThrowIfNull(fcn);
        if (inputs < 1) throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "A model takes at least one input per observation.");
        if (responses < 1) throw new ArgumentOutOfRangeException(nameof(responses), responses, isImplicit ? "An implicit model needs at least one equation." : "A model gives at least one response per observation.");
        IsImplicit = isImplicit;
        Inputs = inputs;
        Responses = responses;
        observationFunction = fcn;
        function = (beta, x, f) => EachObservation(fcn, ObservationCall.Function, beta, x, f);
        if (fjacb != null) jacobianBeta = (beta, x, jac) => EachObservation(fjacb, ObservationCall.JacobianBeta, beta, x, jac);
        if (fjacd != null) jacobianX = (beta, x, jac) => EachObservation(fjacd, ObservationCall.JacobianX, beta, x, jac);
    }

    /// <summary>What a per-observation callback computes: its width per observation follows.</summary>
    private enum ObservationCall
    {
        Function,
        JacobianBeta,
        JacobianX,
    }

    /// <summary>True when the model is implicit, f(beta, x) = 0 (ODRPACK fit type 1).</summary>
    public bool IsImplicit { get; }

    /// <summary>For implicit models, the number of equations per observation; for the per-observation
    /// forms, the q responses (or equations) the model gives per observation.</summary>
    public int Responses { get; }

    /// <summary>The number of inputs m per observation the model takes: declared by the per-observation
    /// forms (1 for the one-input form), null for the vectorized form, which takes whatever x has.</summary>
    public int? Inputs { get; }

    /// <summary>True when an analytic Jacobian with respect to beta was given.</summary>
    public bool HasJacobianBeta => jacobianBeta != null;

    /// <summary>True when an analytic Jacobian with respect to x was given.</summary>
    public bool HasJacobianX => jacobianX != null;

    /// <summary>A name shown in reports, if any.</summary>
    public string? Name { get; init; }

    /// <summary>True for models built from the per-observation form (one input, one response).</summary>
    internal bool ScalarInputOnly { get; }

    /// <summary>True when the model declares its responses per observation (the per-observation forms),
    /// so that an explicit fit's y must have <see cref="Responses"/> rows.</summary>
    internal bool DeclaresResponses => Inputs is not null;

    /// <summary>Evaluates the model at the given parameters and inputs.</summary>
    /// <param name="beta">The parameters.</param>
    /// <param name="x">Inputs, observation-major.</param>
    /// <param name="f">Destination, observation-major.</param>
    public void Evaluate(ReadOnlySpan<double> beta, ReadOnlySpan<double> x, Span<double> f) => function(beta, x, f);

    /// <summary>Evaluates the analytic Jacobian with respect to beta. The destination is cleared first,
    /// so a Jacobian may leave its zero derivatives unwritten (see <see cref="ModelJacobian"/>): the
    /// solver passes the same array at every iteration, still holding the last Jacobian as it weighted
    /// and packed it.</summary>
    /// <param name="beta">The parameters.</param>
    /// <param name="x">Inputs, observation-major.</param>
    /// <param name="jacobian">Destination, layout of <see cref="ModelJacobian"/>.</param>
    public void EvaluateJacobianBeta(ReadOnlySpan<double> beta, ReadOnlySpan<double> x, Span<double> jacobian)
    {
        if (jacobianBeta == null) throw new InvalidOperationException("The model has no analytic Jacobian with respect to beta (fjacb).");
        jacobian.Clear();
        jacobianBeta(beta, x, jacobian);
    }

    /// <summary>Evaluates the analytic Jacobian with respect to x (the destination cleared first, as
    /// for <see cref="EvaluateJacobianBeta(ReadOnlySpan{double}, ReadOnlySpan{double}, Span{double})"/>).</summary>
    /// <param name="beta">The parameters.</param>
    /// <param name="x">Inputs, observation-major.</param>
    /// <param name="jacobian">Destination, layout of <see cref="ModelJacobian"/>.</param>
    public void EvaluateJacobianX(ReadOnlySpan<double> beta, ReadOnlySpan<double> x, Span<double> jacobian)
    {
        if (jacobianX == null) throw new InvalidOperationException("The model has no analytic Jacobian with respect to x (fjacd).");
        jacobian.Clear();
        jacobianX(beta, x, jacobian);
    }

    /// <summary>
    /// The model's declaration that it is pure: each observation's values depend only on beta and that
    /// observation's inputs, and its callbacks share no scratch, lock or cache, so the solver may call
    /// them on disjoint chunks of observations from several threads at once (a large fit's model calls
    /// then run in parallel; the results are the same bit for bit). False by default: the callbacks are
    /// called from one thread at a time, as scipy calls them, whichever form the model has.
    /// <see cref="ODR.ParallelModelEvaluation"/> overrides it for one fit. Set it with an initializer:
    /// <c>new Model(f) { IsThreadSafe = true }</c>.
    /// </summary>
    public bool IsThreadSafe { get; init; }

    /// <summary>True for the per-observation form, which can be called on any subset of the
    /// observations (one thread at a time unless <see cref="IsThreadSafe"/>).</summary>
    internal bool EvaluatesPointwise => scalarFunction != null || observationFunction != null;

    /// <summary>Evaluates the model; the per-observation form copies beta into
    /// <paramref name="betaBuffer"/> (p values, owned by the caller) instead of allocating.</summary>
    internal void Evaluate(ReadOnlySpan<double> beta, double[] betaBuffer, ReadOnlySpan<double> x, Span<double> f)
    {
        if (scalarFunction is null || betaBuffer.Length != beta.Length)
        {
            function(beta, x, f);
            return;
        }
        beta.CopyTo(betaBuffer);
        EvaluateScalar(scalarFunction, betaBuffer, x, f);
    }

    /// <summary>Jacobian with respect to beta, with a caller-owned parameter buffer (see <see cref="Evaluate(ReadOnlySpan{double}, double[], ReadOnlySpan{double}, Span{double})"/>).</summary>
    internal void EvaluateJacobianBeta(ReadOnlySpan<double> beta, double[] betaBuffer, ReadOnlySpan<double> x, Span<double> jacobian)
    {
        if (scalarJacobianBeta is null || betaBuffer.Length != beta.Length)
        {
            EvaluateJacobianBeta(beta, x, jacobian);
            return;
        }
        beta.CopyTo(betaBuffer);
        jacobian.Clear(); // as the public overload does: a gradient may skip its zeros
        EvaluateScalarGradient(scalarJacobianBeta, betaBuffer, x, jacobian);
    }

    /// <summary>Jacobian with respect to x, with a caller-owned parameter buffer.</summary>
    internal void EvaluateJacobianX(ReadOnlySpan<double> beta, double[] betaBuffer, ReadOnlySpan<double> x, Span<double> jacobian)
    {
        if (scalarJacobianX is null || betaBuffer.Length != beta.Length)
        {
            EvaluateJacobianX(beta, x, jacobian);
            return;
        }
        beta.CopyTo(betaBuffer);
        EvaluateScalar(scalarJacobianX, betaBuffer, x, jacobian);
    }

    /// <summary>The vectorized call of a per-observation callback: observation i's slices of x and of
    /// the destination (observation-major, so contiguous) are its arguments. The sizes are checked
    /// first, and an index out of range in the callback is reported with the spans' lengths.</summary>
    private void EachObservation(Delegate callback, ObservationCall call, ReadOnlySpan<double> beta, ReadOnlySpan<double> x, Span<double> output)
    {
        int m = Inputs!.Value, q = Responses, p = beta.Length;
        int width = call switch { ObservationCall.Function => q, ObservationCall.JacobianBeta => q * p, _ => q * m };
        if (x.Length % m != 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"x holds {x.Length} values, not a whole number of observations of the model's {Count(m, "input")}."), nameof(x));
        }
        int n = x.Length / m;
        if (output.Length != n * width)
        {
            string what = call switch
            {
                ObservationCall.Function => string.Create(CultureInfo.InvariantCulture, $"{n} observations × {Count(q, Noun)}"),
                ObservationCall.JacobianBeta => string.Create(CultureInfo.InvariantCulture, $"{n} observations × [{q}, {p}] (responses × parameters)"),
                _ => string.Create(CultureInfo.InvariantCulture, $"{n} observations × [{q}, {m}] (responses × inputs)"),
            };
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The destination holds {output.Length} values; {what} need {n * width}."), call == ObservationCall.Function ? "f" : "jacobian");
        }
        int i = 0;
        try
        {
            if (call == ObservationCall.Function)
            {
                var f = (ObservationFunction)callback;
                for (; i < n; i++) f(beta, x.Slice(i * m, m), output.Slice(i * width, width));
            }
            else
            {
                var jac = (ObservationJacobian)callback;
                for (; i < n; i++) jac(beta, x.Slice(i * m, m), output.Slice(i * width, width));
            }
        }
        catch (IndexOutOfRangeException e)
        {
            string name = call switch { ObservationCall.Function => "model function", ObservationCall.JacobianBeta => "Jacobian fjacb", _ => "Jacobian fjacd" };
            string dest = call switch
            {
                ObservationCall.Function => string.Create(CultureInfo.InvariantCulture, $"y holds q = {q}"),
                ObservationCall.JacobianBeta => string.Create(CultureInfo.InvariantCulture, $"the Jacobian holds q·p = {q}·{p}"),
                _ => string.Create(CultureInfo.InvariantCulture, $"the Jacobian holds q·m = {q}·{m}"),
            };
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The per-observation {name} indexed outside its arguments at observation {i}: beta holds p = {p} values, x holds m = {m} and {dest}; the model declares {Count(m, "input")} and {Count(q, Noun)}."), "model", e);
        }
    }

    private string Noun => IsImplicit ? "equation" : "response";

    /// <summary>"one input", "2 inputs": counts in messages.</summary>
    internal static string Count(int count, string noun) =>
        count == 1 ? "one " + noun : string.Create(CultureInfo.InvariantCulture, $"{count} {noun}s");

    private static void EvaluateScalar(Func<double[], double, double> fcn, double[] b, ReadOnlySpan<double> x, Span<double> f)
    {
        for (int i = 0; i < x.Length; i++) f[i] = fcn(b, x[i]);
    }

    private static void EvaluateScalarGradient(ScalarGradient fjacb, double[] b, ReadOnlySpan<double> x, Span<double> jac)
    {
        int p = b.Length;
        for (int i = 0; i < x.Length; i++) fjacb(b, x[i], jac.Slice(i * p, p));
    }

    /// <summary>Runs <paramref name="evaluate"/> with beta in this thread's reusable array.</summary>
    private static void WithBetaBuffer(BufferedEvaluation evaluate, ReadOnlySpan<double> beta, ReadOnlySpan<double> x, Span<double> output)
    {
        double[] b = RentBeta(beta);
        try
        {
            evaluate(b, x, output);
        }
        finally
        {
            ReturnBeta(b);
        }
    }

    private static double[] RentBeta(ReadOnlySpan<double> beta)
    {
        double[]? b = threadBeta;
        if (b is null || b.Length != beta.Length) b = new double[beta.Length];
        else threadBeta = null;
        beta.CopyTo(b);
        return b;
    }

    private static void ReturnBeta(double[] b) => threadBeta = b;
}

using System.Buffers;
using System.Globalization;
using Odr.Expressions;

namespace Odr.Cli;

/// <summary>
/// One or more formulas (one per response, or one per implicit equation) sharing the parameters
/// B0..B(p-1), turned into an ODRPACK <see cref="Model"/> with analytic Jacobians.
/// </summary>
public sealed class ExpressionModel
{
    private readonly CompiledFormula[] formulas;

    private ExpressionModel(CompiledFormula[] formulas, int parameterCount, int inputCount, IReadOnlyList<int> used)
    {
        this.formulas = formulas;
        ParameterCount = parameterCount;
        InputCount = inputCount;
        UsedParameters = used;
        sessions = new(() => [.. formulas.Select(f => new FormulaSession(f))]);
    }

    /// <summary>Each thread's sessions, one per formula: they reuse what a call computed at the same beta
    /// and x (see <see cref="FormulaSession"/>), for calls small enough (<see cref="InSessions"/>) that
    /// the arrays they keep are small.</summary>
    private readonly ThreadLocal<FormulaSession[]> sessions;

    /// <summary>Whether a call of n observations goes through the thread's sessions: while the arrays a
    /// session keeps (a few of n*(p + m) values) stay small, as for the thread's other scratch.</summary>
    private bool InSessions(int n) => (long)n * formulas.Length * (ParameterCount + InputCount + 1) <= KeptLength;

    /// <summary>How many fjacd calls on this thread were answered with the fjacd computed along with
    /// fjacb, and how many Jacobians were computed from the values an evaluation kept (what the tests
    /// count).</summary>
    internal (int KeptJacobiansX, int JacobiansFromKeptValues) Reuse =>
        sessions.IsValueCreated ? (sessions.Value!.Sum(s => s.KeptJacobiansX), sessions.Value!.Sum(s => s.JacobiansFromKeptValues)) : (0, 0);

    /// <summary>Number of parameters p (highest index used + 1).</summary>
    public int ParameterCount { get; }

    /// <summary>Number of inputs m.</summary>
    public int InputCount { get; }

    /// <summary>Number of formulas q.</summary>
    public int Count => formulas.Length;

    /// <summary>The parameter indices that occur in some formula.</summary>
    public IReadOnlyList<int> UsedParameters { get; }

    /// <summary>The formulas as parsed (simplified) text.</summary>
    public IReadOnlyList<string> Texts => [.. formulas.Select(f => f.ExpressionText)];

    /// <summary>The model keywords, each exactly one of Odr's ready-made models (scipy.odr's definitions):
    /// the fit with a keyword is the fit with that <see cref="Model"/>.</summary>
    public static IReadOnlyDictionary<string, Model> Keywords { get; } = new Dictionary<string, Model>(StringComparer.Ordinal)
    {
        ["linear"] = Models.Unilinear,
        ["quadratic"] = Models.Quadratic,
        ["exp"] = Models.Exponential,
        ["cubic"] = Models.Polynomial(3),
    };

    private Model? keywordModel;

    /// <summary>Parses and compiles the formulas.</summary>
    /// <param name="texts">Formula texts or keywords (<see cref="Keywords"/>).</param>
    /// <param name="inputNames">The names the formulas use for the inputs, in order (identifiers; see
    /// <see cref="FormulaColumns.FormulaNames"/>); m = their count.</param>
    /// <param name="parameterCount">The number of starting values given: checked before anything is compiled.</param>
    /// <param name="isImplicit">An implicit fit (keywords do not apply).</param>
    /// <exception cref="CliException">A formula does not parse, uses no parameter, or not exactly
    /// <paramref name="parameterCount"/> of them; a keyword with several inputs or in an implicit fit.</exception>
    public static ExpressionModel Create(IReadOnlyList<string> texts, IReadOnlyList<string> inputNames, int parameterCount, bool isImplicit)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(inputNames);
        var parsed = new Formula[texts.Count];
        for (int l = 0; l < texts.Count; l++)
        {
            string where = texts.Count == 1 ? "--model" : string.Create(CultureInfo.InvariantCulture, $"--model #{l + 1}");
            string keyword = texts[l].Trim();
            if (Keywords.ContainsKey(keyword))
            {
                if (isImplicit) throw new CliException($"{where} {keyword}: the keywords are explicit models y = f(x); write the implicit formula, zero on the curve");
                if (inputNames.Count != 1)
                {
                    throw new CliException(string.Create(CultureInfo.InvariantCulture,
                        $"{where} {keyword} takes one input but {inputNames.Count} are given ({string.Join(", ", inputNames)}); write the formula instead"));
                }
            }
            try
            {
                parsed[l] = Formula.Parse(texts[l], inputNames);
            }
            catch (ExpressionException e)
            {
                string caret = texts[l].Length <= 200 ? Caret(texts[l], e.Position) : "";
                throw new CliException($"{where} '{Shorten(texts[l])}': {e.Message}{caret}", e);
            }
        }
        int p = Formula.CombinedParameterCount(parsed);
        if (p == 0) throw new CliException("the model has no parameters: write them as B0, B1, ... or B[0], B[1], ...");
        if (p != parameterCount)
        {
            // Before compiling: the derivative kernels are p wide.
            string range = p == 1 ? "B0" : string.Create(CultureInfo.InvariantCulture, $"B0..B{p - 1}");
            throw new CliException(string.Create(CultureInfo.InvariantCulture,
                $"--beta0 has {parameterCount} value{(parameterCount == 1 ? "" : "s")} but the model uses {p} parameter{(p == 1 ? "" : "s")} ({range}); give one starting value per parameter"));
        }
        var compiled = parsed.Select(f => f.Compile(p).Prepare()).ToArray();
        var model = new ExpressionModel(compiled, p, inputNames.Count, Formula.CombinedUsedParameters(parsed));
        if (texts.Count == 1 && Keywords.TryGetValue(texts[0].Trim(), out var keywordModel)) model.keywordModel = keywordModel;
        return model;
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : string.Create(CultureInfo.InvariantCulture, $"{text[..60]}... ({text.Length} characters)");

    private static string Caret(string text, int position)
    {
        if (position < 0 || position > text.Length) return "";
        string before = text[..position];
        string after = text[position..];
        return $" ({before}»{after})";
    }

    /// <summary>The ODRPACK model.</summary>
    /// <param name="isImplicit">True for an implicit fit (the formulas are zero on the curve).</param>
    /// <remarks>A keyword gives its library model itself, so that the fit is the library's to the last bit.
    /// The formulas are pure and the evaluation keeps no state between calls, so the model is declared
    /// thread-safe: the solver may evaluate chunks of the observations in parallel (bit for bit the serial
    /// result, as every chunk's arithmetic is the serial one).</remarks>
    public Model ToModel(bool isImplicit) => keywordModel is { } library && !isImplicit ? library :
        new(Evaluate, JacobianBeta, JacobianX, isImplicit, isImplicit ? formulas.Length : 1) { Name = string.Join("; ", Texts), IsThreadSafe = true };

    /// <summary>Evaluates all formulas, observation-major f[i*q + l]. Safe to call from several threads at
    /// once: the compiled formulas are pure and the scratch arrays are the calling thread's.</summary>
    /// <param name="beta">The parameters.</param>
    /// <param name="x">Inputs, observation-major.</param>
    /// <param name="f">Destination.</param>
    public void Evaluate(ReadOnlySpan<double> beta, ReadOnlySpan<double> x, Span<double> f)
    {
        int n = x.Length / InputCount;
        int q = formulas.Length;
        if (InSessions(n))
        {
            var session = sessions.Value!;
            if (q == 1)
            {
                session[0].Evaluate(beta, x, n, f);
                return;
            }
            var scratch = Take(ref t_values, n);
            for (int l = 0; l < q; l++)
            {
                session[l].Evaluate(beta, x, n, scratch);
                Place(scratch, f, n, q, l, width: 1);
            }
            return;
        }
        var betaBuffer = Copy(ref t_beta, beta);
        var xBuffer = Copy(ref t_x, x);
        var values = Take(ref t_values, n);
        try
        {
            for (int l = 0; l < q; l++)
            {
                formulas[l].Evaluate(betaBuffer, xBuffer, n, values);
                Place(values, f, n, q, l, width: 1);
            }
        }
        finally
        {
            Give(values);
            Give(xBuffer);
            Give(betaBuffer);
        }
    }

    /// <summary>fjacb. The solver asks for fjacd next, at the same beta and x (DEVJAC, and the derivative
    /// check), mostly right after evaluating f there: the sessions compute both Jacobians in one pass from
    /// what the evaluation kept, and keep fjacd for that call.</summary>
    private void JacobianBeta(ReadOnlySpan<double> beta, ReadOnlySpan<double> x, Span<double> jac) => SessionJacobian(beta, x, jac, withRespectToBeta: true);

    /// <summary>fjacd: the one the fjacb call just before computed, when at the same beta and x.</summary>
    private void JacobianX(ReadOnlySpan<double> beta, ReadOnlySpan<double> x, Span<double> jac) => SessionJacobian(beta, x, jac, withRespectToBeta: false);

    private void SessionJacobian(ReadOnlySpan<double> beta, ReadOnlySpan<double> x, Span<double> jac, bool withRespectToBeta)
    {
        int n = x.Length / InputCount;
        int q = formulas.Length, width = withRespectToBeta ? ParameterCount : InputCount;
        if (!InSessions(n))
        {
            Jacobian(beta, x, jac, withRespectToBeta);
            return;
        }
        var session = sessions.Value!;
        if (q == 1)
        {
            if (withRespectToBeta) session[0].JacobianBeta(beta, x, n, jac);
            else session[0].JacobianX(beta, x, n, jac);
            return;
        }
        var rows = Take(ref t_values, n * width);
        for (int l = 0; l < q; l++)
        {
            if (withRespectToBeta) session[l].JacobianBeta(beta, x, n, rows);
            else session[l].JacobianX(beta, x, n, rows);
            Place(rows, jac, n, q, l, width);
        }
    }

    /// <summary>Every formula's Jacobian rows (width p for beta, m for x), observation-major
    /// jac[((i*q + l) * width) + k].</summary>
    private void Jacobian(ReadOnlySpan<double> beta, ReadOnlySpan<double> x, Span<double> jac, bool withRespectToBeta)
    {
        int n = x.Length / InputCount;
        int q = formulas.Length, width = withRespectToBeta ? ParameterCount : InputCount;
        var betaBuffer = Copy(ref t_beta, beta);
        var xBuffer = Copy(ref t_x, x);
        var buffer = Take(ref t_values, n * width);
        try
        {
            for (int l = 0; l < q; l++)
            {
                if (withRespectToBeta) formulas[l].JacobianBeta(betaBuffer, xBuffer, n, buffer);
                else formulas[l].JacobianX(betaBuffer, xBuffer, n, buffer);
                Place(buffer, jac, n, q, l, width);
            }
        }
        finally
        {
            Give(buffer);
            Give(xBuffer);
            Give(betaBuffer);
        }
    }

    /// <summary>Formula l's rows (n rows <paramref name="width"/> wide: its values, width 1, or its
    /// Jacobian) into the model's observation-major layout, jac[((i*q + l) * width) + k].</summary>
    private static void Place(double[] rows, Span<double> jac, int n, int q, int l, int width)
    {
        if (q == 1)
        {
            rows.AsSpan(0, n * width).CopyTo(jac); // the same layout: one copy
            return;
        }
        for (int i = 0; i < n; i++)
        {
            rows.AsSpan(i * width, width).CopyTo(jac.Slice((i * q + l) * width, width));
        }
    }

    // The scratch of the calls on each thread. A small fit (odr batch: thousands of 50-point groups a
    // second) calls the model tens of times per fit; renting its three arrays from the shared pool took
    // the pool's lock on most calls, as two of them fall in the same size class. Arrays longer than
    // KeptLength (large fits) are rented as before, so a thread never holds on to a large array.
    private const int KeptLength = 1 << 14;

    [ThreadStatic]
    private static double[]? t_beta;

    [ThreadStatic]
    private static double[]? t_x;

    [ThreadStatic]
    private static double[]? t_values;

    /// <summary>An array of at least <paramref name="length"/> (the compiled kernels take arrays, at least
    /// as long as they need): the thread's own when small, else rented; hand it back with <see cref="Give"/>.</summary>
    private static double[] Take(ref double[]? kept, int length)
    {
        if (length > KeptLength) return ArrayPool<double>.Shared.Rent(length);
        if (kept is null || kept.Length < length) kept = new double[Math.Max(length, 16)];
        return kept;
    }

    /// <summary>A scratch copy of <paramref name="values"/> (see <see cref="Take"/>).</summary>
    private static double[] Copy(ref double[]? kept, ReadOnlySpan<double> values)
    {
        var array = Take(ref kept, values.Length);
        values.CopyTo(array);
        return array;
    }

    /// <summary>Hands back an array of <see cref="Take"/>: a rented one to the pool.</summary>
    private static void Give(double[] array)
    {
        if (array.Length > KeptLength) ArrayPool<double>.Shared.Return(array);
    }
}

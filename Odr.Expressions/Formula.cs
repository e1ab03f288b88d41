namespace Odr.Expressions;

/// <summary>
/// A parsed model formula y = f(B; x) with its symbolic derivatives.
/// </summary>
/// <remarks>
/// <para>Grammar (whitespace is ignored; names are case-sensitive):</para>
/// <list type="bullet">
/// <item>Parameters <c>B0, B1, ...</c> or <c>B[k]</c> (both mean parameter k).</item>
/// <item>Variables by caller-supplied name, or <c>x[j]</c>, <c>x0, x1, ...</c> (input j) when those
/// names are not among the given names. Bare <c>x</c> means input 0 when there is exactly one input, or
/// when no names were given (the reference-formula convention, e.g. <c>B[0]*pow(x,B[1]) + B[2]*exp(-B[3]*x[1])</c>).</item>
/// <item>Operators <c>+ - * / ^</c>; <c>^</c> is right-associative and binds tighter than unary minus
/// (<c>-x^2</c> is <c>-(x^2)</c>, <c>2^3^2</c> is <c>2^(3^2)</c>, and <c>x^-2</c> is allowed).</item>
/// <item>Functions <c>pow exp log ln log10 sqrt abs fabs sign sin cos tan asin acos atan atan2 sinh cosh tanh</c>
/// (<c>log</c> and <c>ln</c> are natural logarithms; <c>abs</c> = <c>fabs</c>); constants <c>pi</c> and <c>e</c>.</item>
/// <item>Numbers <c>2</c>, <c>2.0</c>, <c>.5</c>, <c>1e-3</c>, <c>1.5E+2</c>, parsed culture-invariantly.</item>
/// </list>
/// <para>Model-name aliases (the whole text), scipy.odr's models and Odr's <c>Models</c>: <c>linear</c> = <c>B0*x + B1</c>
/// (<c>unilinear</c>), <c>quadratic</c> = <c>B0*x^2 + B1*x + B2</c>, <c>exp</c> = <c>B0 + exp(B1*x)</c> (<c>exponential</c>),
/// <c>cubic</c> = <c>B0 + B1*x + B2*x^2 + B3*x^3</c> (<c>polynomial(3)</c>); in aliases x is always input 0.</para>
/// <para>Limits, so that a formula can never exhaust the stack or the memory: at most <see cref="MaxLength"/>
/// characters, <see cref="MaxDepth"/> levels of nesting, and indices up to <see cref="MaxIndex"/>.</para>
/// <para>Errors throw <see cref="ExpressionException"/> whose <see cref="ExpressionException.Position"/> is 0-based.</para>
/// </remarks>
public sealed class Formula
{
    private static readonly Dictionary<string, string> AliasTable = new(StringComparer.Ordinal)
    {
        // scipy.odr's unilinear, quadratic, polynomial(3) and exponential, parameters in scipy's order.
        ["linear"] = "B0*x + B1",
        ["quadratic"] = "B0*x^2 + B1*x + B2",
        ["cubic"] = "B0 + B1*x + B2*x^2 + B3*x^3",
        ["exp"] = "B0 + exp(B1*x)",
    };

    /// <summary>The longest formula text <see cref="Parse"/> accepts, in characters.</summary>
    public const int MaxLength = 10_000;

    /// <summary>
    /// The deepest formula <see cref="Parse"/> accepts: the expression tree's <see cref="Node.Depth"/>, where each
    /// parenthesis, function call, sign and power adds a level, and so does each term of a sum and each factor
    /// of a product (they are evaluated left to right, ((a + b) + c) + d). Evaluation, differentiation,
    /// printing and compilation all recurse this deep (derivatives up to a few times deeper), so the limit
    /// keeps every stage well inside the smallest thread stack .NET uses (1.5 MB).
    /// </summary>
    public const int MaxDepth = 250;

    /// <summary>The highest parameter index (<c>B9999</c>) and input index (<c>x[9999]</c>) a formula may use.</summary>
    public const int MaxIndex = 9_999;

    private readonly Node?[] _betaDerivatives;
    private readonly Node?[] _xDerivatives;

    private Formula(string text, Node expression, IReadOnlyList<string> names)
    {
        Text = text;
        Expression = expression;
        VariableNames = names;
        var used = new SortedSet<int>();
        expression.Walk(n =>
        {
            if (n.Kind == NodeKind.Parameter)
            {
                used.Add(n.Index);
            }
        });
        UsedParameters = [.. used];
        ParameterCount = used.Count == 0 ? 0 : used.Max + 1;
        _betaDerivatives = new Node?[ParameterCount];
        _xDerivatives = new Node?[names.Count];
    }

    /// <summary>True for the names a formula gives a meaning of its own, which are therefore not allowed as
    /// variable names: function names, the constants <c>pi</c> and <c>e</c>, and the parameter names
    /// <c>B</c> and <c>B</c> followed by digits.</summary>
    /// <param name="name">The name.</param>
    public static bool IsReservedName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Parser.IsReservedName(name);
    }

    /// <summary>The model-name aliases and the formulas they stand for.</summary>
    public static IReadOnlyDictionary<string, string> Aliases => AliasTable;

    /// <summary>The text the formula was parsed from (an alias name stays as typed).</summary>
    public string Text { get; }

    /// <summary>The simplified expression tree.</summary>
    public Node Expression { get; }

    /// <summary>Names of the inputs; input j is x[j]. Inferred as <c>x</c> or <c>x0, x1, ...</c> when no names were given.</summary>
    public IReadOnlyList<string> VariableNames { get; }

    /// <summary>Number of inputs m (the stride of observation-major x arrays).</summary>
    public int VariableCount => VariableNames.Count;

    /// <summary>Number of parameters p = highest parameter index used + 1 (0 when none).</summary>
    public int ParameterCount { get; }

    /// <summary>The parameter indices that actually occur, ascending.</summary>
    public IReadOnlyList<int> UsedParameters { get; }

    /// <summary>
    /// Parses a formula.
    /// </summary>
    /// <param name="text">Formula text or a model alias (see <see cref="Aliases"/>).</param>
    /// <param name="variableNames">
    /// Input names in column order, e.g. <c>["time", "signal"]</c>; the count fixes m. When null, inputs are
    /// referred to as <c>x</c>, <c>x[j]</c> or <c>xj</c> and m = max(1, highest index + 1).
    /// </param>
    /// <exception cref="ExpressionException">The text is not a valid formula, or exceeds <see cref="MaxLength"/>,
    /// <see cref="MaxDepth"/> or <see cref="MaxIndex"/>.</exception>
    /// <exception cref="ArgumentException">A variable name is not an identifier, is duplicated, or is reserved
    /// (a function name, <c>pi</c>, <c>e</c>, <c>B</c> or <c>B</c> followed by digits).</exception>
    public static Formula Parse(string text, IReadOnlyList<string>? variableNames = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (variableNames is not null)
        {
            ValidateNames(variableNames);
        }

        if (text.Length > MaxLength)
        {
            throw new ExpressionException($"Formula too long: {text.Length} characters, at most {MaxLength}", MaxLength);
        }

        string trimmed = text.Trim();
        bool alias = AliasTable.TryGetValue(trimmed, out string? expansion);
        var parser = new Parser(alias ? expansion! : text, variableNames, bareXAlwaysInput0: alias);
        Node tree = parser.ParseAll();

        IReadOnlyList<string> names;
        if (variableNames is not null)
        {
            names = [.. variableNames];
        }
        else
        {
            int m = Math.Max(1, parser.MaxVariableIndex + 1);
            names = m == 1 ? ["x"] : [.. Enumerable.Range(0, m).Select(j => $"x{j}")];
            tree = tree.WithVariableNames(names);
        }

        if (alias && names.Count == 0)
        {
            throw new ExpressionException($"Model '{trimmed}' needs at least one input variable", 0);
        }

        return new Formula(text, tree, names);
    }

    /// <summary>
    /// Parses several formulas sharing one parameter vector (a model set, e.g. one per response).
    /// </summary>
    /// <param name="texts">The formula texts.</param>
    /// <param name="variableNames">Input names shared by all formulas (see <see cref="Parse"/>).</param>
    public static IReadOnlyList<Formula> ParseAll(IEnumerable<string> texts, IReadOnlyList<string>? variableNames = null) =>
        [.. texts.Select(t => Parse(t, variableNames))];

    /// <summary>Parameter count of a model set: highest parameter index used by any formula + 1.</summary>
    /// <param name="formulas">The formulas.</param>
    public static int CombinedParameterCount(IEnumerable<Formula> formulas) =>
        formulas.Select(f => f.ParameterCount).DefaultIfEmpty(0).Max();

    /// <summary>Parameter indices used by any formula of a model set, ascending.</summary>
    /// <param name="formulas">The formulas.</param>
    public static IReadOnlyList<int> CombinedUsedParameters(IEnumerable<Formula> formulas) =>
        [.. formulas.SelectMany(f => f.UsedParameters).Distinct().Order()];

    private static void ValidateNames(IReadOnlyList<string> names)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in names)
        {
            if (name is null || !Parser.IsIdentifier(name))
            {
                throw new ArgumentException($"Variable name '{name}' is not an identifier [A-Za-z_][A-Za-z0-9_]*.", nameof(names));
            }

            if (Parser.IsReservedName(name))
            {
                throw new ArgumentException($"Variable name '{name}' is reserved (function, constant or parameter name).", nameof(names));
            }

            if (!seen.Add(name))
            {
                throw new ArgumentException($"Variable name '{name}' occurs more than once.", nameof(names));
            }
        }
    }

    /// <summary>∂f/∂B<sub>k</sub>, simplified (cached). Zero for parameters that do not occur.</summary>
    /// <param name="k">The parameter index.</param>
    public Node DerivativeWithRespectToParameter(int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (k >= _betaDerivatives.Length)
        {
            return Node.Zero;
        }

        return _betaDerivatives[k] ??= Expression.DerivativeWithRespectToParameter(k);
    }

    /// <summary>∂f/∂x<sub>j</sub>, simplified (cached).</summary>
    /// <param name="j">The input index (0 ≤ j &lt; <see cref="VariableCount"/>).</param>
    public Node DerivativeWithRespectToVariable(int j)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(j);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(j, VariableCount);
        return _xDerivatives[j] ??= Expression.DerivativeWithRespectToVariable(j);
    }

    /// <summary>Evaluates by interpreting the tree (slow; for reference and one-off use).</summary>
    /// <param name="beta">Parameter values.</param>
    /// <param name="xRow">Inputs of one observation (length <see cref="VariableCount"/>).</param>
    public double Evaluate(ReadOnlySpan<double> beta, ReadOnlySpan<double> xRow) => Expression.Evaluate(beta, xRow);

    /// <summary>Prepares the formula and its derivatives for fast evaluation.</summary>
    /// <param name="parameterCount">p, the Jacobian row width; defaults to <see cref="ParameterCount"/>.
    /// Pass the model set's <see cref="CombinedParameterCount"/> when several formulas share parameters.</param>
    /// <param name="engine">How to evaluate (the same bits with every engine).</param>
    public CompiledFormula Compile(int? parameterCount = null, FormulaEngine engine = FormulaEngine.Automatic) => new(this, parameterCount ?? ParameterCount, engine);

    /// <summary>The simplified formula as text, using the variable names.</summary>
    public override string ToString() => Expression.ToString();
}

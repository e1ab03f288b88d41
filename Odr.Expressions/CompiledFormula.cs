using System.Runtime.CompilerServices;

namespace Odr.Expressions;

/// <summary>How a <see cref="CompiledFormula"/> evaluates the formula and its derivatives. Every engine
/// gives the same bits: each value is computed with the same operations in the same order.</summary>
public enum FormulaEngine
{
    /// <summary><see cref="Blocks"/> where dynamic code cannot run (Native AOT), <see cref="GeneratedCode"/>
    /// elsewhere.</summary>
    Automatic,

    /// <summary>Code generated once with System.Linq.Expressions, looping over the observations. Where
    /// dynamic code cannot run (Native AOT, where System.Linq.Expressions would interpret its trees one
    /// observation at a time) <see cref="Blocks"/> is used instead.</summary>
    GeneratedCode,

    /// <summary>No generated code: an instruction list run column by column over blocks of 256
    /// observations, so the cost of interpreting each operation is shared by the block.</summary>
    Blocks,
}

/// <summary>
/// A formula prepared once for fast evaluation (see <see cref="FormulaEngine"/>) by kernels that loop
/// over observations. Arrays are observation-major: input j of observation i is x[i*m + j].
/// Calls do not allocate. Instances are safe to use from several threads at once.
/// </summary>
public sealed class CompiledFormula
{
    private readonly Func<double[], double[], double> _point;
    private BatchKernel? _evaluate;
    private BatchKernel? _jacobianBeta;
    private BatchKernel? _jacobianX;
    private SplitKernel? _jacobians;
    private KeptValues? _kept;
    private string[]? _betaTexts;
    private string[]? _xTexts;

    internal CompiledFormula(Formula formula, int parameterCount, FormulaEngine engine = FormulaEngine.Automatic)
    {
        ArgumentNullException.ThrowIfNull(formula);
        ArgumentOutOfRangeException.ThrowIfLessThan(parameterCount, formula.ParameterCount);
        if (!Enum.IsDefined(engine))
        {
            throw new ArgumentOutOfRangeException(nameof(engine));
        }

        Formula = formula;
        ParameterCount = parameterCount;
        // Tested on RuntimeFeature.IsDynamicCodeSupported itself so that Native AOT, where it is the
        // constant false, leaves System.Linq.Expressions out of the executable.
        Engine = RuntimeFeature.IsDynamicCodeSupported && engine != FormulaEngine.Blocks ? FormulaEngine.GeneratedCode : FormulaEngine.Blocks;
        if (Engine == FormulaEngine.GeneratedCode)
        {
            _point = Compiler.CompilePoint(formula.Expression);
        }
        else
        {
            var program = new BlockProgram([formula.Expression], formula.VariableCount);
            _point = (beta, xRow) =>
            {
                Span<double> value = stackalloc double[1];
                program.Run(beta, xRow, 1, value);
                return value[0];
            };
        }

        _evaluate = Kernel([formula.Expression]);
    }

    /// <summary>The engine in use: never <see cref="FormulaEngine.Automatic"/>.</summary>
    public FormulaEngine Engine { get; }

    private BatchKernel Kernel(IReadOnlyList<Node> outputs) => RuntimeFeature.IsDynamicCodeSupported && Engine == FormulaEngine.GeneratedCode
        ? Compiler.CompileBatch(outputs, VariableCount)
        : new BlockProgram(outputs, VariableCount).Run;

    /// <summary>Parses and compiles a formula in one step.</summary>
    /// <param name="text">Formula text or alias (see <see cref="Formula.Parse"/>).</param>
    /// <param name="variableNames">Input names in column order, or null for x / x[j].</param>
    /// <param name="parameterCount">Jacobian row width p; defaults to the formula's own parameter count.</param>
    /// <param name="engine">How to evaluate (the same bits either way).</param>
    public static CompiledFormula Compile(string text, IReadOnlyList<string>? variableNames = null, int? parameterCount = null, FormulaEngine engine = FormulaEngine.Automatic) =>
        Formula.Parse(text, variableNames).Compile(parameterCount, engine);

    /// <summary>The parsed formula.</summary>
    public Formula Formula { get; }

    /// <summary>The text the formula was parsed from.</summary>
    public string Text => Formula.Text;

    /// <summary>The simplified formula as text.</summary>
    public string ExpressionText => Formula.ToString();

    /// <summary>p: the width of <see cref="JacobianBeta"/> rows and the minimum length of beta.</summary>
    public int ParameterCount { get; }

    /// <summary>Parameter indices that occur in the formula, ascending.</summary>
    public IReadOnlyList<int> UsedParameters => Formula.UsedParameters;

    /// <summary>m: the number of inputs per observation (the stride of x).</summary>
    public int VariableCount => Formula.VariableCount;

    /// <summary>Names of the inputs in column order.</summary>
    public IReadOnlyList<string> VariableNames => Formula.VariableNames;

    /// <summary>∂f/∂B<sub>k</sub> as text for k = 0..p-1 (<c>0</c> for unused parameters).</summary>
    public IReadOnlyList<string> ParameterDerivativeTexts =>
        _betaTexts ??= [.. Enumerable.Range(0, ParameterCount).Select(k => Formula.DerivativeWithRespectToParameter(k).ToString())];

    /// <summary>∂f/∂x<sub>j</sub> as text for j = 0..m-1.</summary>
    public IReadOnlyList<string> VariableDerivativeTexts =>
        _xTexts ??= [.. Enumerable.Range(0, VariableCount).Select(j => Formula.DerivativeWithRespectToVariable(j).ToString())];

    /// <summary>Evaluates f at one observation.</summary>
    /// <param name="beta">Parameters (length ≥ <see cref="ParameterCount"/>).</param>
    /// <param name="xRow">Inputs of the observation (length ≥ <see cref="VariableCount"/>).</param>
    public double Evaluate(double[] beta, double[] xRow)
    {
        Check(beta, xRow, 1, xRow, 0);
        return _point(beta, xRow);
    }

    /// <summary>f[i] = f(beta; x[i*m .. i*m + m - 1]) for i = 0..n-1.</summary>
    /// <param name="beta">Parameters (length ≥ <see cref="ParameterCount"/>).</param>
    /// <param name="x">Inputs, observation-major with stride m (length ≥ n*m).</param>
    /// <param name="n">Number of observations.</param>
    /// <param name="f">Receives the n values.</param>
    public void Evaluate(double[] beta, double[] x, int n, double[] f)
    {
        Check(beta, x, n, f, 1);
        _evaluate!(beta, x, n, f);
    }

    /// <summary>jac[i*p + k] = ∂f/∂B<sub>k</sub> at observation i (0 for unused parameters).</summary>
    /// <param name="beta">Parameters (length ≥ p).</param>
    /// <param name="x">Inputs, observation-major with stride m (length ≥ n*m).</param>
    /// <param name="n">Number of observations.</param>
    /// <param name="jac">Receives n*p values.</param>
    public void JacobianBeta(double[] beta, double[] x, int n, double[] jac)
    {
        Check(beta, x, n, jac, ParameterCount);
        BatchKernel kernel = _jacobianBeta ??= Kernel(
            [.. Enumerable.Range(0, ParameterCount).Select(Formula.DerivativeWithRespectToParameter)]);
        kernel(beta, x, n, jac);
    }

    /// <summary>jac[i*m + j] = ∂f/∂x<sub>j</sub> at observation i.</summary>
    /// <param name="beta">Parameters (length ≥ p).</param>
    /// <param name="x">Inputs, observation-major with stride m (length ≥ n*m).</param>
    /// <param name="n">Number of observations.</param>
    /// <param name="jac">Receives n*m values.</param>
    public void JacobianX(double[] beta, double[] x, int n, double[] jac)
    {
        Check(beta, x, n, jac, VariableCount);
        BatchKernel kernel = _jacobianX ??= Kernel(
            [.. Enumerable.Range(0, VariableCount).Select(Formula.DerivativeWithRespectToVariable)]);
        kernel(beta, x, n, jac);
    }

    /// <summary>Both Jacobians in one pass over the observations, as <see cref="JacobianBeta"/> and
    /// <see cref="JacobianX"/> write them. A subexpression the derivatives have in common (the
    /// exponential of a Gaussian peak, in every one of them) is computed once per observation instead
    /// of once per Jacobian; the values are those of the two calls, bit for bit.</summary>
    /// <param name="beta">Parameters (length ≥ p).</param>
    /// <param name="x">Inputs, observation-major with stride m (length ≥ n*m).</param>
    /// <param name="n">Number of observations.</param>
    /// <param name="jacBeta">Receives n*p values: jacBeta[i*p + k] = ∂f/∂B<sub>k</sub> at observation i.</param>
    /// <param name="jacX">Receives n*m values: jacX[i*m + j] = ∂f/∂x<sub>j</sub> at observation i.</param>
    public void Jacobians(double[] beta, double[] x, int n, double[] jacBeta, double[] jacX)
    {
        Check(beta, x, n, jacBeta, ParameterCount);
        Check(beta, x, n, jacX, VariableCount);
        SplitKernel kernel = _jacobians ??= JacobiansKernel();
        kernel(beta, x, [], n, jacBeta, jacX);
    }

    private SplitKernel JacobiansKernel()
    {
        Node[] outputs =
        [
            .. Enumerable.Range(0, ParameterCount).Select(Formula.DerivativeWithRespectToParameter),
            .. Enumerable.Range(0, VariableCount).Select(Formula.DerivativeWithRespectToVariable),
        ];
        return SplitKernel(outputs, VariableCount, ParameterCount, 0);
    }

    /// <summary>R: how many values per observation <see cref="EvaluateKeeping"/> keeps for
    /// <see cref="JacobiansFromKept"/>. They are the subexpressions of f that the derivatives use, that
    /// depend on the inputs and call a function (exp, sin, pow, ...); the largest such ones. 0 when
    /// the derivatives have nothing to reuse.</summary>
    internal int KeptCount => Kept.Count;

    /// <summary>The kept subexpressions, and the derivatives that read them (kept value r as input
    /// m + r): what the tests look at.</summary>
    internal (IReadOnlyList<Node> Kept, IReadOnlyList<Node> Reading) KeptProgram => (Kept.Nodes, Kept.Reading);

    /// <summary><see cref="Evaluate(double[], double[], int, double[])"/>, also writing the
    /// <see cref="KeptCount"/> kept values of observation i to kept[i*R .. i*R + R - 1]. Lengths are
    /// the caller's to check (<see cref="FormulaSession"/> does).</summary>
    internal void EvaluateKeeping(double[] beta, double[] x, int n, double[] f, double[] kept) =>
        Kept.Evaluate(beta, x, [], n, f, kept);

    /// <summary><see cref="Jacobians"/> reading the kept values instead of computing them: the values
    /// <see cref="EvaluateKeeping"/> kept at the same beta and x. Those are the values this program would
    /// compute, from the same operations in the same order, so the Jacobians are the same bits; kept
    /// values of another point give the Jacobians of no point at all, which is why this is not public
    /// (<see cref="FormulaSession"/> keeps track of the point). Lengths are the caller's to check.</summary>
    internal void JacobiansFromKept(double[] beta, double[] x, double[] kept, int n, double[] jacBeta, double[] jacX) =>
        Kept.Jacobians(beta, x, kept, n, jacBeta, jacX);

    private KeptValues Kept => _kept ??= new KeptValues(this);

    private SplitKernel SplitKernel(IReadOnlyList<Node> outputs, int m, int split, int keptWidth) =>
        RuntimeFeature.IsDynamicCodeSupported && Engine == FormulaEngine.GeneratedCode
            ? Compiler.CompileSplit(outputs, m, split, keptWidth)
            : new BlockProgram(outputs, m, split, keptWidth).Run;

    /// <summary>The programs of <see cref="EvaluateKeeping"/> and <see cref="JacobiansFromKept"/>.</summary>
    private sealed class KeptValues
    {
        public KeptValues(CompiledFormula owner)
        {
            Formula formula = owner.Formula;
            int m = owner.VariableCount;
            Node[] derivatives =
            [
                .. Enumerable.Range(0, owner.ParameterCount).Select(formula.DerivativeWithRespectToParameter),
                .. Enumerable.Range(0, m).Select(formula.DerivativeWithRespectToVariable),
            ];

            // Worth keeping: f's own subexpressions that vary by observation and call a function. The
            // derivatives are searched from the top, so a kept subexpression's inside is not looked at
            // unless a derivative uses it elsewhere too.
            var inF = new HashSet<Node>();
            formula.Expression.Walk(node => inF.Add(node));
            var worth = new Dictionary<Node, (bool Varies, bool Calls)>(ReferenceEqualityComparer.Instance);
            var kept = new List<Node>();
            var slots = new Dictionary<Node, Node>();
            Node? Slot(Node node)
            {
                if (!inF.Contains(node) || !Worth(node, worth))
                {
                    return null;
                }

                if (!slots.TryGetValue(node, out Node? slot))
                {
                    slot = Node.Variable(m + kept.Count, $"kept{kept.Count}");
                    slots[node] = slot;
                    kept.Add(node);
                }

                return slot;
            }

            var done = new Dictionary<Node, Node>();
            Node[] reading = [.. derivatives.Select(d => d.Substitute(Slot, done))];
            Nodes = kept;
            Reading = reading;
            Evaluate = owner.SplitKernel([formula.Expression, .. kept], m, 1, 0);
            Jacobians = owner.SplitKernel(reading, m, owner.ParameterCount, Count);
        }

        public int Count => Nodes.Count;

        /// <summary>The kept subexpressions, in the order of their values.</summary>
        public IReadOnlyList<Node> Nodes { get; }

        /// <summary>∂f/∂B<sub>0..p-1</sub> and ∂f/∂x<sub>0..m-1</sub> with kept value r read as input m + r.</summary>
        public IReadOnlyList<Node> Reading { get; }

        /// <summary>f to the first array, the kept values to the second.</summary>
        public SplitKernel Evaluate { get; }

        /// <summary>Both Jacobians from inputs followed by the kept values.</summary>
        public SplitKernel Jacobians { get; }

        /// <summary>Whether a subexpression varies by observation and calls a function of the
        /// observation (a power other than a square or a square root counts): computing it costs more
        /// than keeping it.</summary>
        private static bool Worth(Node node, Dictionary<Node, (bool Varies, bool Calls)> memo)
        {
            var (varies, calls) = VariesAndCalls(node, memo);
            return varies && calls;
        }

        private static (bool Varies, bool Calls) VariesAndCalls(Node node, Dictionary<Node, (bool Varies, bool Calls)> memo)
        {
            RuntimeHelpers.EnsureSufficientExecutionStack();
            if (memo.TryGetValue(node, out var known))
            {
                return known;
            }

            bool varies = node.Kind == NodeKind.Variable, calls = false;
            foreach (Node? child in (Node?[])[node.Left, node.Right])
            {
                if (child is not null)
                {
                    var (v, c) = VariesAndCalls(child, memo);
                    varies |= v;
                    calls |= c;
                }
            }

            // A function of the parameters alone is computed once per call, not per observation.
            calls |= varies && ((node.Kind == NodeKind.Call && node.Function is not (MathFunction.Abs or MathFunction.Sign))
                || (node.Kind == NodeKind.Power && !node.Right!.IsConstant(2) && !node.Right.IsConstant(0.5)));

            memo[node] = (varies, calls);
            return (varies, calls);
        }
    }

    /// <summary>Prepares the Jacobian kernels now rather than on first use.</summary>
    public CompiledFormula Prepare()
    {
        _ = ParameterDerivativeTexts;
        if (_jacobianBeta is null || _jacobianX is null || _jacobians is null)
        {
            JacobianBeta(new double[ParameterCount], [], 0, []);
            JacobianX(new double[ParameterCount], [], 0, []);
            Jacobians(new double[ParameterCount], [], 0, [], []);
        }

        _ = Kept; // FormulaSession's programs
        return this;
    }

    private void Check(double[] beta, double[] x, int n, double[] output, int width)
    {
        ArgumentNullException.ThrowIfNull(beta);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(output);
        CheckLengths(ParameterCount, VariableCount, beta.Length, x.Length, n, output.Length, width);
    }

    /// <summary>The argument checks of every evaluation (here and in <see cref="FormulaSession"/>):
    /// n not negative, and beta, x and the output long enough.</summary>
    internal static void CheckLengths(int parameterCount, int variableCount, int betaLength, int xLength, int n, int outputLength, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (betaLength < parameterCount)
        {
            throw new ArgumentException($"beta has {betaLength} elements; the formula needs {parameterCount}.", "beta");
        }

        if ((long)n * variableCount > xLength)
        {
            throw new ArgumentException($"x has {xLength} elements; {n} observations of {variableCount} inputs need {(long)n * variableCount}.", "x");
        }

        if ((long)n * width > outputLength)
        {
            throw new ArgumentException($"The output has {outputLength} elements; {(long)n * width} are needed.", "output");
        }
    }
}

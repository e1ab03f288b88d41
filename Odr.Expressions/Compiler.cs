using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using LExpr = System.Linq.Expressions.Expression;

namespace Odr.Expressions;

/// <summary>Vectorised kernel: loops over n observations inside compiled code.</summary>
internal delegate void BatchKernel(double[] beta, double[] x, int n, double[] output);

/// <summary>A <see cref="BatchKernel"/> whose outputs go to two arrays: the first <c>split</c> outputs to
/// <c>output</c> (rows <c>split</c> wide), the others to <c>output2</c>; inputs from index m on are read
/// from <c>kept</c> (values an earlier program kept, rows as wide as there are such inputs).</summary>
internal delegate void SplitKernel(double[] beta, double[] x, double[] kept, int n, double[] output, double[] output2);

/// <summary>Translates expression trees to System.Linq.Expressions with common-subexpression elimination.</summary>
internal sealed class Compiler
{
    private static readonly MethodInfo MathPow = typeof(Math).GetMethod(nameof(Math.Pow), [typeof(double), typeof(double)])!;
    private static readonly MethodInfo MathSqrt = typeof(Math).GetMethod(nameof(Math.Sqrt), [typeof(double)])!;
    private static readonly MethodInfo MathAtan2 = typeof(Math).GetMethod(nameof(Math.Atan2), [typeof(double), typeof(double)])!;

    private readonly Dictionary<Node, int> _counts = [];
    private readonly Dictionary<Node, LExpr> _cache = [];
    private readonly List<ParameterExpression> _locals = [];
    private readonly List<LExpr> _statements = [];
    private readonly Func<int, LExpr> _parameter;
    private readonly Func<int, LExpr> _variable;

    private Compiler(IEnumerable<Node> roots, Func<int, LExpr> parameter, Func<int, LExpr> variable)
    {
        _parameter = parameter;
        _variable = variable;
        foreach (Node root in roots)
        {
            Count(root);
        }
    }

    private void Count(Node node)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        _counts.TryGetValue(node, out int c);
        _counts[node] = c + 1;
        if (c == 0)
        {
            if (node.Left is not null)
            {
                Count(node.Left);
            }

            if (node.Right is not null)
            {
                Count(node.Right);
            }
        }
    }

    private static MethodInfo MathMethod(MathFunction f) => f switch
    {
        MathFunction.Sign => typeof(Functions).GetMethod(nameof(Functions.Sign))!,
        MathFunction.Abs => typeof(Math).GetMethod(nameof(Math.Abs), [typeof(double)])!,
        _ => typeof(Math).GetMethod(f.ToString(), [typeof(double)])!,
    };

    private LExpr Emit(Node node)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        if (_cache.TryGetValue(node, out LExpr? cached))
        {
            return cached;
        }

        LExpr result = node.Kind switch
        {
            NodeKind.Constant => LExpr.Constant(node.Value),
            NodeKind.Parameter => _parameter(node.Index),
            NodeKind.Variable => _variable(node.Index),
            NodeKind.Negate => LExpr.Negate(Emit(node.Left!)),
            NodeKind.Add => LExpr.Add(Emit(node.Left!), Emit(node.Right!)),
            NodeKind.Subtract => LExpr.Subtract(Emit(node.Left!), Emit(node.Right!)),
            NodeKind.Multiply => LExpr.Multiply(Emit(node.Left!), Emit(node.Right!)),
            NodeKind.Divide => LExpr.Divide(Emit(node.Left!), Emit(node.Right!)),
            NodeKind.Power => EmitPower(node),
            NodeKind.Call => node.Function == MathFunction.Atan2
                ? LExpr.Call(MathAtan2, Emit(node.Left!), Emit(node.Right!))
                : LExpr.Call(MathMethod(node.Function), Emit(node.Left!)),
            _ => throw new InvalidOperationException(),
        };

        bool leaf = node.Kind is NodeKind.Constant or NodeKind.Parameter or NodeKind.Variable;
        if (!leaf && _counts.TryGetValue(node, out int count) && count > 1)
        {
            result = Spill(result);
        }

        _cache[node] = result;
        return result;
    }

    private ParameterExpression Spill(LExpr value)
    {
        ParameterExpression local = LExpr.Variable(typeof(double), "t" + _locals.Count);
        _locals.Add(local);
        _statements.Add(LExpr.Assign(local, value));
        return local;
    }

    private LExpr EmitPower(Node node)
    {
        LExpr a = Emit(node.Left!);
        if (node.Right!.IsConstant(2))
        {
            if (a is not (ParameterExpression or ConstantExpression))
            {
                a = Spill(a);
            }

            return LExpr.Multiply(a, a);
        }

        if (node.Right.IsConstant(0.5))
        {
            return LExpr.Call(MathSqrt, a);
        }

        return LExpr.Call(MathPow, a, Emit(node.Right));
    }

    private static SortedSet<int> Indices(IEnumerable<Node> roots, NodeKind kind)
    {
        var set = new SortedSet<int>();
        foreach (Node r in roots)
        {
            r.Walk(n =>
            {
                if (n.Kind == kind)
                {
                    set.Add(n.Index);
                }
            });
        }

        return set;
    }

    /// <summary>
    /// Builds a kernel writing output[i*width + c] = outputs[c] at observation i, where input j of
    /// observation i is x[i*m + j].
    /// </summary>
    public static BatchKernel CompileBatch(IReadOnlyList<Node> outputs, int m)
    {
        ParameterExpression output = LExpr.Parameter(typeof(double[]), "output");
        return CompileLoop<BatchKernel>(outputs, m, null, 0, [(output, outputs.Count)]);
    }

    /// <summary>
    /// Builds a kernel writing output[i*split + c] = outputs[c] for c &lt; split and
    /// output2[i*(count - split) + c - split] = outputs[c] for the others, where input j of observation
    /// i is x[i*m + j] for j &lt; m and kept[i*keptWidth + j - m] for the others.
    /// </summary>
    public static SplitKernel CompileSplit(IReadOnlyList<Node> outputs, int m, int split, int keptWidth)
    {
        ParameterExpression kept = LExpr.Parameter(typeof(double[]), "kept");
        ParameterExpression output = LExpr.Parameter(typeof(double[]), "output");
        ParameterExpression output2 = LExpr.Parameter(typeof(double[]), "output2");
        return CompileLoop<SplitKernel>(outputs, m, kept, keptWidth, [(output, split), (output2, outputs.Count - split)]);
    }

    /// <summary>The loop over observations; the outputs are dealt out to the arrays in order, each
    /// taking as many as its row width.</summary>
    private static TKernel CompileLoop<TKernel>(IReadOnlyList<Node> outputs, int m, ParameterExpression? kept, int keptWidth, (ParameterExpression Array, int Width)[] destinations)
        where TKernel : Delegate
    {
        ParameterExpression beta = LExpr.Parameter(typeof(double[]), "beta");
        ParameterExpression x = LExpr.Parameter(typeof(double[]), "x");
        ParameterExpression n = LExpr.Parameter(typeof(int), "n");
        ParameterExpression i = LExpr.Variable(typeof(int), "i");
        ParameterExpression xOff = LExpr.Variable(typeof(int), "xOff");
        ParameterExpression keptOff = LExpr.Variable(typeof(int), "keptOff");
        ParameterExpression[] offsets = [.. destinations.Select((_, d) => LExpr.Variable(typeof(int), "oOff" + d))];

        // Parameters are loaded once, before the loop.
        var outerLocals = new List<ParameterExpression> { i, xOff, keptOff };
        outerLocals.AddRange(offsets);
        var prologue = new List<LExpr>();
        var betaLocals = new Dictionary<int, ParameterExpression>();
        foreach (int k in Indices(outputs, NodeKind.Parameter))
        {
            ParameterExpression b = LExpr.Variable(typeof(double), "b" + k);
            betaLocals[k] = b;
            outerLocals.Add(b);
            prologue.Add(LExpr.Assign(b, LExpr.ArrayIndex(beta, LExpr.Constant(k))));
        }

        // Inputs are loaded once per observation, at the start of the loop body.
        var xLocals = new Dictionary<int, ParameterExpression>();
        var xLoads = new List<LExpr>();
        foreach (int j in Indices(outputs, NodeKind.Variable))
        {
            ParameterExpression v = LExpr.Variable(typeof(double), "x" + j);
            xLocals[j] = v;
            xLoads.Add(LExpr.Assign(v, j < m
                ? LExpr.ArrayIndex(x, LExpr.Add(xOff, LExpr.Constant(j)))
                : LExpr.ArrayIndex(kept!, LExpr.Add(keptOff, LExpr.Constant(j - m)))));
        }

        var compiler = new Compiler(outputs, k => betaLocals[k], j => xLocals[j]);
        var body = new List<LExpr>
        {
            LExpr.Assign(xOff, LExpr.Multiply(i, LExpr.Constant(m))),
            LExpr.Assign(keptOff, LExpr.Multiply(i, LExpr.Constant(keptWidth))),
        };
        for (int d = 0; d < destinations.Length; d++)
        {
            body.Add(LExpr.Assign(offsets[d], LExpr.Multiply(i, LExpr.Constant(destinations[d].Width))));
        }

        body.AddRange(xLoads);
        for (int c = 0, d = 0, first = 0; c < outputs.Count; c++)
        {
            while (c - first >= destinations[d].Width)
            {
                first += destinations[d++].Width;
            }

            LExpr value = compiler.Emit(outputs[c]);
            body.AddRange(compiler._statements);
            compiler._statements.Clear();
            LExpr target = LExpr.ArrayAccess(destinations[d].Array, LExpr.Add(offsets[d], LExpr.Constant(c - first)));
            body.Add(LExpr.Assign(target, value));
        }

        body.Add(LExpr.PreIncrementAssign(i));
        LabelTarget done = LExpr.Label("done");
        LExpr loop = LExpr.Loop(
            LExpr.IfThenElse(
                LExpr.LessThan(i, n),
                LExpr.Block([.. xLocals.Values, .. compiler._locals], body),
                LExpr.Break(done)),
            done);

        prologue.Add(LExpr.Assign(i, LExpr.Constant(0)));
        prologue.Add(loop);
        ParameterExpression[] inputs = kept is null ? [beta, x, n] : [beta, x, kept, n];
        var lambda = LExpr.Lambda<TKernel>(LExpr.Block(outerLocals, prologue), [.. inputs, .. destinations.Select(o => o.Array)]);
        return lambda.Compile();
    }

    /// <summary>Builds a per-point function f(beta, xRow).</summary>
    public static Func<double[], double[], double> CompilePoint(Node root)
    {
        ParameterExpression beta = LExpr.Parameter(typeof(double[]), "beta");
        ParameterExpression x = LExpr.Parameter(typeof(double[]), "xRow");
        var compiler = new Compiler(
            [root],
            k => LExpr.ArrayIndex(beta, LExpr.Constant(k)),
            j => LExpr.ArrayIndex(x, LExpr.Constant(j)));
        LExpr value = compiler.Emit(root);
        var statements = new List<LExpr>(compiler._statements) { value };
        var lambda = LExpr.Lambda<Func<double[], double[], double>>(LExpr.Block(compiler._locals, statements), beta, x);
        return lambda.Compile();
    }
}

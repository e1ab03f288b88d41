using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Odr.Expressions;

/// <summary>The kind of an expression tree node.</summary>
public enum NodeKind
{
    /// <summary>A numeric constant (<see cref="Node.Value"/>).</summary>
    Constant,
    /// <summary>A model parameter B<sub>k</sub> (<see cref="Node.Index"/> = k).</summary>
    Parameter,
    /// <summary>An input variable x<sub>j</sub> (<see cref="Node.Index"/> = j).</summary>
    Variable,
    /// <summary>Unary minus of <see cref="Node.Left"/>.</summary>
    Negate,
    /// <summary>Left + Right.</summary>
    Add,
    /// <summary>Left - Right.</summary>
    Subtract,
    /// <summary>Left * Right.</summary>
    Multiply,
    /// <summary>Left / Right.</summary>
    Divide,
    /// <summary>Left ^ Right (also written pow(Left, Right)).</summary>
    Power,
    /// <summary>A call of <see cref="Node.Function"/> with <see cref="Node.Left"/> (and <see cref="Node.Right"/> for atan2).</summary>
    Call,
}

/// <summary>Elementary functions that may appear in a formula.</summary>
public enum MathFunction
{
    /// <summary>No function (the node is not a call).</summary>
    None,
    /// <summary>e<sup>u</sup>.</summary>
    Exp,
    /// <summary>Natural logarithm.</summary>
    Log,
    /// <summary>Base-10 logarithm.</summary>
    Log10,
    /// <summary>Square root.</summary>
    Sqrt,
    /// <summary>Absolute value (abs or fabs).</summary>
    Abs,
    /// <summary>Sign: -1, 0 or 1 (the derivative of abs).</summary>
    Sign,
    /// <summary>Sine.</summary>
    Sin,
    /// <summary>Cosine.</summary>
    Cos,
    /// <summary>Tangent.</summary>
    Tan,
    /// <summary>Inverse sine.</summary>
    Asin,
    /// <summary>Inverse cosine.</summary>
    Acos,
    /// <summary>Inverse tangent.</summary>
    Atan,
    /// <summary>Two-argument inverse tangent atan2(y, x).</summary>
    Atan2,
    /// <summary>Hyperbolic sine.</summary>
    Sinh,
    /// <summary>Hyperbolic cosine.</summary>
    Cosh,
    /// <summary>Hyperbolic tangent.</summary>
    Tanh,
}

/// <summary>
/// An immutable node of a formula's expression tree. Build nodes with the static factory
/// methods, which simplify as they build (constant folding, x*0, x*1, x+0, 0/x, x^1, ...).
/// Equality is structural.
/// </summary>
public sealed class Node : IEquatable<Node>
{
    private const double Ln10 = 2.302585092994046;
    private readonly int _hash;

    private Node(NodeKind kind, double value, int index, string? name, MathFunction function, Node? left, Node? right)
    {
        Kind = kind;
        Value = value;
        Index = index;
        Name = name;
        Function = function;
        Left = left;
        Right = right;
        // Saturating: a derivative shares subtrees, so its size as a tree can outgrow int.
        Size = (int)Math.Min(int.MaxValue, 1L + (left?.Size ?? 0) + (right?.Size ?? 0));
        Depth = 1 + Math.Max(left?.Depth ?? 0, right?.Depth ?? 0);
        _hash = HashCode.Combine(kind, kind == NodeKind.Constant ? value : 0.0, index, function, left?._hash ?? 0, right?._hash ?? 0);
    }

    /// <summary>The kind of this node.</summary>
    public NodeKind Kind { get; }

    /// <summary>The value of a <see cref="NodeKind.Constant"/> node; 0 otherwise.</summary>
    public double Value { get; }

    /// <summary>The parameter index k of a parameter node or the input index j of a variable node.</summary>
    public int Index { get; }

    /// <summary>Display name of a variable node (null prints as <c>x[j]</c>).</summary>
    public string? Name { get; }

    /// <summary>The function of a <see cref="NodeKind.Call"/> node.</summary>
    public MathFunction Function { get; }

    /// <summary>First operand (or the only one); null for leaves.</summary>
    public Node? Left { get; }

    /// <summary>Second operand of binary operators and atan2; null otherwise.</summary>
    public Node? Right { get; }

    /// <summary>Number of nodes in this subtree, counted as a tree (shared subtrees count each time they
    /// occur; saturates at <see cref="int.MaxValue"/>).</summary>
    public int Size { get; }

    /// <summary>Number of nodes on the longest path from this node to a leaf (1 for a leaf).</summary>
    /// <remarks>Every operation on a tree (evaluation, differentiation, printing, compiling) recurses this
    /// deep; <see cref="Formula.Parse"/> refuses formulas deeper than <see cref="Formula.MaxDepth"/>, and a
    /// tree built by the factories too deep for the thread's stack throws
    /// <see cref="InsufficientExecutionStackException"/> instead of overflowing the stack.</remarks>
    public int Depth { get; }

    /// <summary>True when this node is a constant equal to <paramref name="value"/>.</summary>
    /// <param name="value">The value to compare with.</param>
    public bool IsConstant(double value) => Kind == NodeKind.Constant && Value == value;

    /// <summary>The constant 0.</summary>
    public static Node Zero { get; } = new(NodeKind.Constant, 0, 0, null, MathFunction.None, null, null);

    /// <summary>The constant 1.</summary>
    public static Node One { get; } = new(NodeKind.Constant, 1, 0, null, MathFunction.None, null, null);

    /// <summary>A numeric constant.</summary>
    /// <param name="value">The value.</param>
    public static Node Constant(double value) =>
        value == 0 && !double.IsNegative(value) ? Zero
        : value == 1 ? One
        : new(NodeKind.Constant, value, 0, null, MathFunction.None, null, null);

    /// <summary>Parameter B<sub>k</sub>.</summary>
    /// <param name="index">The parameter index k (non-negative).</param>
    public static Node Parameter(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return new(NodeKind.Parameter, 0, index, null, MathFunction.None, null, null);
    }

    /// <summary>Input variable x<sub>j</sub>.</summary>
    /// <param name="index">The input index j (non-negative).</param>
    /// <param name="name">Display name; null prints as <c>x[j]</c>.</param>
    public static Node Variable(int index, string? name = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return new(NodeKind.Variable, 0, index, name, MathFunction.None, null, null);
    }

    /// <summary>-u, simplified.</summary>
    /// <param name="u">The operand.</param>
    public static Node Negate(Node u)
    {
        if (u.Kind == NodeKind.Constant)
        {
            return Constant(-u.Value);
        }

        if (u.Kind == NodeKind.Negate)
        {
            return u.Left!;
        }

        return new(NodeKind.Negate, 0, 0, null, MathFunction.None, u, null);
    }

    /// <summary>a + b, simplified.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand.</param>
    public static Node Add(Node a, Node b)
    {
        if (a.Kind == NodeKind.Constant && b.Kind == NodeKind.Constant)
        {
            return Constant(a.Value + b.Value);
        }

        if (a.IsConstant(0))
        {
            return b;
        }

        if (b.IsConstant(0))
        {
            return a;
        }

        if (b.Kind == NodeKind.Negate)
        {
            return Subtract(a, b.Left!);
        }

        return new(NodeKind.Add, 0, 0, null, MathFunction.None, a, b);
    }

    /// <summary>a - b, simplified.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand.</param>
    public static Node Subtract(Node a, Node b)
    {
        if (a.Kind == NodeKind.Constant && b.Kind == NodeKind.Constant)
        {
            return Constant(a.Value - b.Value);
        }

        if (b.IsConstant(0))
        {
            return a;
        }

        if (a.IsConstant(0))
        {
            return Negate(b);
        }

        if (b.Kind == NodeKind.Negate)
        {
            return Add(a, b.Left!);
        }

        return new(NodeKind.Subtract, 0, 0, null, MathFunction.None, a, b);
    }

    /// <summary>a * b, simplified.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand.</param>
    public static Node Multiply(Node a, Node b)
    {
        if (a.Kind == NodeKind.Constant && b.Kind == NodeKind.Constant)
        {
            return Constant(a.Value * b.Value);
        }

        if (a.IsConstant(0) || b.IsConstant(0))
        {
            return Zero;
        }

        if (a.IsConstant(1))
        {
            return b;
        }

        if (b.IsConstant(1))
        {
            return a;
        }

        if (a.IsConstant(-1))
        {
            return Negate(b);
        }

        if (b.IsConstant(-1))
        {
            return Negate(a);
        }

        if (a.Kind == NodeKind.Negate && b.Kind == NodeKind.Negate)
        {
            return Multiply(a.Left!, b.Left!);
        }

        return new(NodeKind.Multiply, 0, 0, null, MathFunction.None, a, b);
    }

    /// <summary>a / b, simplified.</summary>
    /// <param name="a">Numerator.</param>
    /// <param name="b">Denominator.</param>
    public static Node Divide(Node a, Node b)
    {
        if (a.Kind == NodeKind.Constant && b.Kind == NodeKind.Constant && b.Value != 0)
        {
            return Constant(a.Value / b.Value);
        }

        if (a.IsConstant(0) && !b.IsConstant(0))
        {
            return Zero;
        }

        if (b.IsConstant(1))
        {
            return a;
        }

        if (b.IsConstant(-1))
        {
            return Negate(a);
        }

        if (a.Kind == NodeKind.Negate && b.Kind == NodeKind.Negate)
        {
            return Divide(a.Left!, b.Left!);
        }

        return new(NodeKind.Divide, 0, 0, null, MathFunction.None, a, b);
    }

    /// <summary>a ^ b, simplified.</summary>
    /// <param name="a">Base.</param>
    /// <param name="b">Exponent.</param>
    public static Node Power(Node a, Node b)
    {
        if (a.Kind == NodeKind.Constant && b.Kind == NodeKind.Constant)
        {
            double v = Math.Pow(a.Value, b.Value);
            if (double.IsFinite(v))
            {
                return Constant(v);
            }
        }

        if (b.IsConstant(1))
        {
            return a;
        }

        if (b.IsConstant(0))
        {
            return One;
        }

        if (a.IsConstant(1))
        {
            return One;
        }

        return new(NodeKind.Power, 0, 0, null, MathFunction.None, a, b);
    }

    /// <summary>A function call, simplified (calls on constants are folded when the result is finite).</summary>
    /// <param name="function">The function.</param>
    /// <param name="arguments">One argument, or two for <see cref="MathFunction.Atan2"/>.</param>
    public static Node Call(MathFunction function, params Node[] arguments)
    {
        int arity = Arity(function);
        if (arguments.Length != arity)
        {
            throw new ArgumentException($"{function} takes {arity} argument(s), got {arguments.Length}.", nameof(arguments));
        }

        Node u = arguments[0];
        Node? v = arity == 2 ? arguments[1] : null;
        if (u.Kind == NodeKind.Constant && (v is null || v.Kind == NodeKind.Constant))
        {
            double r = Apply(function, u.Value, v?.Value ?? 0);
            if (double.IsFinite(r))
            {
                return Constant(r);
            }
        }

        return new(NodeKind.Call, 0, 0, null, function, u, v);
    }

    /// <summary>Number of arguments a function takes (2 for atan2, 1 otherwise).</summary>
    /// <param name="function">The function.</param>
    public static int Arity(MathFunction function) => function switch
    {
        MathFunction.None => throw new ArgumentOutOfRangeException(nameof(function)),
        MathFunction.Atan2 => 2,
        _ => 1,
    };

    /// <summary>Evaluates a function on doubles exactly as compiled code does.</summary>
    /// <param name="function">The function.</param>
    /// <param name="u">First argument.</param>
    /// <param name="v">Second argument (atan2 only: atan2(u, v)).</param>
    public static double Apply(MathFunction function, double u, double v = 0) => function switch
    {
        MathFunction.Exp => Math.Exp(u),
        MathFunction.Log => Math.Log(u),
        MathFunction.Log10 => Math.Log10(u),
        MathFunction.Sqrt => Math.Sqrt(u),
        MathFunction.Abs => Math.Abs(u),
        MathFunction.Sign => Functions.Sign(u),
        MathFunction.Sin => Math.Sin(u),
        MathFunction.Cos => Math.Cos(u),
        MathFunction.Tan => Math.Tan(u),
        MathFunction.Asin => Math.Asin(u),
        MathFunction.Acos => Math.Acos(u),
        MathFunction.Atan => Math.Atan(u),
        MathFunction.Atan2 => Math.Atan2(u, v),
        MathFunction.Sinh => Math.Sinh(u),
        MathFunction.Cosh => Math.Cosh(u),
        MathFunction.Tanh => Math.Tanh(u),
        _ => throw new ArgumentOutOfRangeException(nameof(function)),
    };

    /// <summary>Evaluates this tree by interpretation (slow path, used as a reference).</summary>
    /// <param name="beta">Parameter values; B<sub>k</sub> is beta[k].</param>
    /// <param name="x">Input values of one observation; x<sub>j</sub> is x[j].</param>
    /// <exception cref="InsufficientExecutionStackException">The tree is too deep for the thread's stack.</exception>
    public double Evaluate(ReadOnlySpan<double> beta, ReadOnlySpan<double> x)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        return EvaluateNode(beta, x);
    }

    private double EvaluateNode(ReadOnlySpan<double> beta, ReadOnlySpan<double> x) => Kind switch
    {
        NodeKind.Constant => Value,
        NodeKind.Parameter => beta[Index],
        NodeKind.Variable => x[Index],
        NodeKind.Negate => -Left!.Evaluate(beta, x),
        NodeKind.Add => Left!.Evaluate(beta, x) + Right!.Evaluate(beta, x),
        NodeKind.Subtract => Left!.Evaluate(beta, x) - Right!.Evaluate(beta, x),
        NodeKind.Multiply => Left!.Evaluate(beta, x) * Right!.Evaluate(beta, x),
        NodeKind.Divide => Left!.Evaluate(beta, x) / Right!.Evaluate(beta, x),
        NodeKind.Power => EvaluatePower(beta, x),
        NodeKind.Call => Apply(Function, Left!.Evaluate(beta, x), Right?.Evaluate(beta, x) ?? 0),
        _ => throw new InvalidOperationException(),
    };

    private double EvaluatePower(ReadOnlySpan<double> beta, ReadOnlySpan<double> x)
    {
        // Mirrors the compiler: a constant exponent 2 is a*a and 0.5 is sqrt(a).
        double a = Left!.Evaluate(beta, x);
        if (Right!.IsConstant(2))
        {
            return a * a;
        }

        if (Right.IsConstant(0.5))
        {
            return Math.Sqrt(a);
        }

        return Math.Pow(a, Right.Evaluate(beta, x));
    }

    /// <summary>True when the subtree contains the parameter (or variable) selected.</summary>
    /// <param name="kind"><see cref="NodeKind.Parameter"/> or <see cref="NodeKind.Variable"/>.</param>
    /// <param name="index">The parameter or input index.</param>
    public bool DependsOn(NodeKind kind, int index)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        return DependsOnNode(kind, index);
    }

    private bool DependsOnNode(NodeKind kind, int index) =>
        (Kind == kind && Index == index)
        || (Left is not null && Left.DependsOn(kind, index))
        || (Right is not null && Right.DependsOn(kind, index));

    /// <summary>Symbolic derivative with respect to parameter B<sub>k</sub>, simplified.</summary>
    /// <param name="k">The parameter index.</param>
    public Node DerivativeWithRespectToParameter(int k) => Differentiate(NodeKind.Parameter, k);

    /// <summary>Symbolic derivative with respect to input variable x<sub>j</sub>, simplified.</summary>
    /// <param name="j">The input index.</param>
    public Node DerivativeWithRespectToVariable(int j) => Differentiate(NodeKind.Variable, j);

    /// <summary>Symbolic derivative with respect to a parameter or variable, simplified.</summary>
    /// <param name="kind"><see cref="NodeKind.Parameter"/> or <see cref="NodeKind.Variable"/>.</param>
    /// <param name="index">The parameter or input index.</param>
    public Node Differentiate(NodeKind kind, int index)
    {
        if (kind is not (NodeKind.Parameter or NodeKind.Variable))
        {
            throw new ArgumentOutOfRangeException(nameof(kind));
        }

        RuntimeHelpers.EnsureSufficientExecutionStack();
        if (!DependsOn(kind, index))
        {
            return Zero;
        }

        Node D(Node n) => n.Differentiate(kind, index);
        Node u = Left!;
        switch (Kind)
        {
            case NodeKind.Parameter:
            case NodeKind.Variable:
                return One; // DependsOn already matched kind and index
            case NodeKind.Negate:
                return Negate(D(u));
            case NodeKind.Add:
                return Add(D(u), D(Right!));
            case NodeKind.Subtract:
                return Subtract(D(u), D(Right!));
            case NodeKind.Multiply:
                return Add(Multiply(D(u), Right!), Multiply(u, D(Right!)));
            case NodeKind.Divide:
                {
                    Node v = Right!;
                    Node dv = D(v);
                    if (dv.IsConstant(0))
                    {
                        return Divide(D(u), v);
                    }

                    return Subtract(Divide(D(u), v), Divide(Multiply(u, dv), Multiply(v, v)));
                }

            case NodeKind.Power:
                {
                    Node v = Right!;
                    Node du = D(u);
                    if (!v.DependsOn(kind, index))
                    {
                        // d(u^c) = c * u^(c-1) * u'
                        return Multiply(Multiply(v, Power(u, Subtract(v, One))), du);
                    }

                    Node dv = D(v);
                    Node lnu = Call(MathFunction.Log, u);
                    if (du.IsConstant(0))
                    {
                        return Multiply(this, Multiply(dv, lnu));
                    }

                    // u^v * (v' ln u + v u'/u)
                    return Multiply(this, Add(Multiply(dv, lnu), Divide(Multiply(v, du), u)));
                }

            case NodeKind.Call:
                return DifferentiateCall(D);
            default:
                throw new InvalidOperationException();
        }
    }

    private Node DifferentiateCall(Func<Node, Node> d)
    {
        Node u = Left!;
        if (Function == MathFunction.Atan2)
        {
            // atan2(y, x): (x y' - y x') / (x^2 + y^2)
            Node y = u, x = Right!;
            Node num = Subtract(Multiply(x, d(y)), Multiply(y, d(x)));
            return Divide(num, Add(Multiply(x, x), Multiply(y, y)));
        }

        Node du = d(u);
        Node two = Constant(2);
        Node outer = Function switch
        {
            MathFunction.Exp => this,
            MathFunction.Log => Divide(One, u),
            MathFunction.Log10 => Divide(One, Multiply(u, Constant(Ln10))),
            MathFunction.Sqrt => Divide(One, Multiply(two, this)),
            MathFunction.Abs => Call(MathFunction.Sign, u),
            MathFunction.Sign => Zero,
            MathFunction.Sin => Call(MathFunction.Cos, u),
            MathFunction.Cos => Negate(Call(MathFunction.Sin, u)),
            MathFunction.Tan => Divide(One, Power(Call(MathFunction.Cos, u), two)),
            MathFunction.Asin => Divide(One, Call(MathFunction.Sqrt, Subtract(One, Multiply(u, u)))),
            MathFunction.Acos => Negate(Divide(One, Call(MathFunction.Sqrt, Subtract(One, Multiply(u, u))))),
            MathFunction.Atan => Divide(One, Add(One, Multiply(u, u))),
            MathFunction.Sinh => Call(MathFunction.Cosh, u),
            MathFunction.Cosh => Call(MathFunction.Sinh, u),
            MathFunction.Tanh => Divide(One, Power(Call(MathFunction.Cosh, u), two)),
            _ => throw new InvalidOperationException(),
        };

        if (outer.Kind == NodeKind.Divide && outer.Left!.IsConstant(1))
        {
            return Divide(du, outer.Right!);
        }

        if (outer.Kind == NodeKind.Negate && outer.Left!.Kind == NodeKind.Divide && outer.Left.Left!.IsConstant(1))
        {
            return Negate(Divide(du, outer.Left.Right!));
        }

        return Multiply(outer, du);
    }

    /// <summary>Returns the tree with variable display names taken from <paramref name="names"/>.</summary>
    internal Node WithVariableNames(IReadOnlyList<string> names)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        if (Kind == NodeKind.Variable)
        {
            return Index < names.Count ? new(Kind, 0, Index, names[Index], MathFunction.None, null, null) : this;
        }

        if (Left is null)
        {
            return this;
        }

        Node l = Left.WithVariableNames(names);
        Node? r = Right?.WithVariableNames(names);
        return ReferenceEquals(l, Left) && ReferenceEquals(r, Right) ? this : new(Kind, Value, Index, Name, Function, l, r);
    }

    /// <summary>The tree with the subtrees <paramref name="replacement"/> names replaced, and nothing else
    /// changed: no simplification, so every other operation stays as it was, in the same order (what a
    /// program reading a kept value instead of recomputing it needs to give the same bits).</summary>
    /// <param name="replacement">The node to put in place of a subtree, or null to keep it (and look
    /// inside it).</param>
    /// <param name="done">Subtrees already rewritten (a derivative shares subtrees: each is rewritten once).</param>
    internal Node Substitute(Func<Node, Node?> replacement, Dictionary<Node, Node> done)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        if (done.TryGetValue(this, out Node? result))
        {
            return result;
        }

        result = replacement(this);
        if (result is null)
        {
            Node? l = Left?.Substitute(replacement, done);
            Node? r = Right?.Substitute(replacement, done);
            result = ReferenceEquals(l, Left) && ReferenceEquals(r, Right) ? this : new(Kind, Value, Index, Name, Function, l, r);
        }

        done[this] = result;
        return result;
    }

    /// <summary>Visits every node of the subtree (pre-order).</summary>
    /// <param name="visit">Called for each node.</param>
    public void Walk(Action<Node> visit)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        visit(this);
        Left?.Walk(visit);
        Right?.Walk(visit);
    }

    /// <summary>Structural equality (variable display names are ignored; the constants 0 and -0 differ).</summary>
    /// <param name="other">The node to compare with.</param>
    public bool Equals(Node? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        RuntimeHelpers.EnsureSufficientExecutionStack();

        if (other is null || _hash != other._hash || Kind != other.Kind || Index != other.Index
            || Function != other.Function || !SameConstant(Value, other.Value))
        {
            return false;
        }

        return Equals(Left, other.Left) && Equals(Right, other.Right);
    }

    private static bool Equals(Node? a, Node? b) => a is null ? b is null : a.Equals(b);

    /// <summary>Constants are equal when they are the same double: 0 and -0 differ (double.Equals would
    /// merge them, and the compiled code's shared subexpressions with them), every NaN is one NaN.</summary>
    private static bool SameConstant(double a, double b) =>
        BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b) || (double.IsNaN(a) && double.IsNaN(b));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Node n && Equals(n);

    /// <inheritdoc/>
    public override int GetHashCode() => _hash;

    /// <summary>
    /// A readable formula (e.g. <c>B0*exp(B1*x) + B2</c>) that <see cref="Formula.Parse"/> turns back into
    /// a tree that evaluates identically (given the same variable names).
    /// </summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        Print(sb);
        return sb.ToString();
    }

    private const int PrecAdd = 1, PrecMul = 2, PrecNeg = 3, PrecPow = 4, PrecAtom = 5;

    private int Precedence => Kind switch
    {
        NodeKind.Add or NodeKind.Subtract => PrecAdd,
        NodeKind.Multiply or NodeKind.Divide => PrecMul,
        NodeKind.Negate => PrecNeg,
        NodeKind.Power => PrecPow,
        NodeKind.Constant => double.IsNegative(Value) ? PrecNeg : PrecAtom,
        _ => PrecAtom,
    };

    private void PrintChild(StringBuilder sb, Node child, bool parens)
    {
        if (parens)
        {
            sb.Append('(');
        }

        child.Print(sb);
        if (parens)
        {
            sb.Append(')');
        }
    }

    private void Print(StringBuilder sb)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (Kind)
        {
            case NodeKind.Constant:
                sb.Append(FormatNumber(Value));
                break;
            case NodeKind.Parameter:
                sb.Append('B').Append(Index.ToString(CultureInfo.InvariantCulture));
                break;
            case NodeKind.Variable:
                sb.Append(Name ?? $"x[{Index.ToString(CultureInfo.InvariantCulture)}]");
                break;
            case NodeKind.Negate:
                sb.Append('-');
                PrintChild(sb, Left!, Left!.Precedence < PrecPow);
                break;
            case NodeKind.Add:
            case NodeKind.Subtract:
                PrintChild(sb, Left!, Left!.Precedence < PrecAdd);
                sb.Append(Kind == NodeKind.Add ? " + " : " - ");
                PrintChild(sb, Right!, Right!.Precedence <= PrecAdd);
                break;
            case NodeKind.Multiply:
            case NodeKind.Divide:
                PrintChild(sb, Left!, Left!.Precedence < PrecMul);
                sb.Append(Kind == NodeKind.Multiply ? '*' : '/');
                PrintChild(sb, Right!, Right!.Precedence <= PrecMul);
                break;
            case NodeKind.Power:
                PrintChild(sb, Left!, Left!.Precedence <= PrecPow);
                sb.Append('^');
                PrintChild(sb, Right!, Right!.Precedence < PrecNeg);
                break;
            case NodeKind.Call:
                sb.Append(FunctionName(Function)).Append('(');
                Left!.Print(sb);
                if (Right is not null)
                {
                    sb.Append(", ");
                    Right.Print(sb);
                }

                sb.Append(')');
                break;
        }
    }

    private static string FormatNumber(double v)
    {
        if (double.IsPositiveInfinity(v))
        {
            return "1e999";
        }

        if (double.IsNegativeInfinity(v))
        {
            return "-1e999";
        }

        if (double.IsNaN(v))
        {
            return "(0/0)";
        }

        return v.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>The name of a function as written in formulas (e.g. <c>atan2</c>).</summary>
    /// <param name="function">The function.</param>
    public static string FunctionName(MathFunction function) => function switch
    {
        MathFunction.None => throw new ArgumentOutOfRangeException(nameof(function)),
        _ => function.ToString().ToLowerInvariant(),
    };
}

/// <summary>Helper functions called from compiled code.</summary>
internal static class Functions
{
    /// <summary>Sign as a double: -1, 0 or 1; NaN for NaN.</summary>
    public static double Sign(double x) => x > 0 ? 1 : x < 0 ? -1 : x == 0 ? 0 : x;
}

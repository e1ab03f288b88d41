using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Odr.Expressions;

/// <summary>
/// Evaluates expression trees without generating code: the trees become a list of instructions over
/// columns, and each instruction runs over a block of observations at a time, so that the cost of
/// dispatching an instruction is shared by <see cref="BlockLength"/> values. Subexpressions that
/// depend only on parameters and constants are computed once per call, shared subexpressions once per
/// block. Every value is computed with the same operations, in the same order, as the code
/// <see cref="Compiler"/> generates, so both give the same bits.
/// </summary>
/// <remarks>Used where dynamic code cannot run (Native AOT) and wherever it is as fast. Instances are
/// immutable; scratch columns are kept per thread, so calls are thread-safe and do not allocate once
/// a thread has made one.</remarks>
internal sealed class BlockProgram
{
    /// <summary>Observations per block: 256 columns of 2 KB stay in the first- and second-level caches
    /// for any formula of reasonable size.</summary>
    public const int BlockLength = 256;

    private enum Op : byte
    {
        Negate,
        Add,
        Subtract,
        Multiply,
        Divide,
        Square,
        Sqrt,
        Pow,
        Call,
        Atan2,
    }

    /// <summary>One operation: destination and operands are column indices (vector code) or scalar
    /// slots (scalar code). In vector code an operand of + − × ÷ may be a scalar slot instead
    /// (<see cref="Operands"/>): the value the same for every observation, read once per block rather
    /// than broadcast into a column.</summary>
    private readonly record struct Instruction(Op Op, MathFunction Function, int Destination, int A, int B, ScalarOperand Operands = ScalarOperand.None);

    /// <summary>Which operand of a vector instruction is a scalar slot.</summary>
    private enum ScalarOperand : byte
    {
        None,
        A,
        B,
    }

    /// <summary>Where an output value lives: a column, or a scalar slot (a value the same for every
    /// observation).</summary>
    private readonly record struct Operand(bool IsScalar, int Index);

    // Scratch of the calls on each thread: a program's calls never nest, and its columns are bounded
    // by the program (not by n), so they are kept rather than rented from the shared pool, whose lock
    // a model evaluated thousands of times per second (odr batch) kept taking.
    [ThreadStatic]
    private static double[]? t_scalars;

    [ThreadStatic]
    private static double[]? t_columns;

    private readonly Instruction[] _scalarCode;
    private readonly Instruction[] _vectorCode;
    private readonly (int Slot, double Value)[] _constants;
    private readonly (int Slot, int K)[] _parameters;
    private readonly (int Column, int J)[] _variables;
    private readonly (int Column, int Slot)[] _broadcasts;
    private readonly Operand[] _outputs;
    private readonly int _scalarCount;
    private readonly int _columnCount;
    private readonly int _m;
    private readonly int _split;
    private readonly int _keptWidth;

    /// <summary>Builds the program writing output[i*width + c] = outputs[c] at observation i, where
    /// input j of observation i is x[i*m + j]; with <paramref name="split"/>, outputs from that index on
    /// go to a second array instead, and inputs from index m on are read from a second input array
    /// <c>kept</c>, rows <paramref name="keptWidth"/> wide (see <see cref="Run(double[], double[], double[], int, double[], double[])"/>).</summary>
    public BlockProgram(IReadOnlyList<Node> outputs, int m, int? split = null, int keptWidth = 0)
    {
        _keptWidth = keptWidth;
        var builder = new Builder();
        _outputs = [.. outputs.Select(builder.Emit)];
        _m = m;
        _split = split ?? _outputs.Length;
        _scalarCode = [.. builder.ScalarCode];
        _constants = [.. builder.Constants];
        _parameters = [.. builder.Parameters];
        _scalarCount = builder.ScalarCount;
        (_vectorCode, _variables, _broadcasts, _columnCount) = builder.AllocateColumns(_outputs);
    }

    /// <summary>A <see cref="BatchKernel"/> over this program.</summary>
    public void Run(double[] beta, double[] x, int n, double[] output) => Run(beta, x, default, n, output.AsSpan(), default);

    /// <summary>A <see cref="SplitKernel"/> over this program: outputs before the split to
    /// <paramref name="output"/> (rows split wide), the others to <paramref name="output2"/>; inputs
    /// from index m on from <paramref name="kept"/>.</summary>
    public void Run(double[] beta, double[] x, double[] kept, int n, double[] output, double[] output2) =>
        Run(beta, x, kept, n, output.AsSpan(), output2.AsSpan());

    /// <summary>Evaluates the outputs at n observations.</summary>
    public void Run(ReadOnlySpan<double> beta, ReadOnlySpan<double> x, int n, Span<double> output) => Run(beta, x, default, n, output, default);

    private void Run(ReadOnlySpan<double> beta, ReadOnlySpan<double> x, ReadOnlySpan<double> kept, int n, Span<double> output, Span<double> output2)
    {
        int split = _split, width2 = _outputs.Length - split;
        double[] scalars = Scratch(ref t_scalars, _scalarCount);
        double[] columns = Scratch(ref t_columns, _columnCount * BlockLength);
        foreach (var (slot, value) in _constants)
        {
            scalars[slot] = value;
        }

        foreach (var (slot, k) in _parameters)
        {
            scalars[slot] = beta[k];
        }

        foreach (Instruction ins in _scalarCode)
        {
            scalars[ins.Destination] = Scalar(ins, scalars[ins.A], scalars[ins.B]);
        }

        // Columns holding a parameter-only value are filled once: the vector code never writes them.
        // Only as far as the blocks reach: a small fit (50 points) would otherwise fill more than it
        // computes.
        foreach (var (column, slot) in _broadcasts)
        {
            columns.AsSpan(column * BlockLength, Math.Min(n, BlockLength)).Fill(scalars[slot]);
        }

        for (int start = 0; start < n; start += BlockLength)
        {
            int len = Math.Min(BlockLength, n - start);
            foreach (var (column, j) in _variables)
            {
                Span<double> dst = columns.AsSpan(column * BlockLength, len);
                ReadOnlySpan<double> source = j < _m ? x : kept;
                (int stride, int offset) = j < _m ? (_m, j) : (_keptWidth, j - _m);
                if (stride == 1)
                {
                    source.Slice(start, len).CopyTo(dst);
                }
                else
                {
                    ReadOnlySpan<double> src = source[((start * stride) + offset)..];
                    for (int i = 0; i < len; i++)
                    {
                        dst[i] = src[i * stride];
                    }
                }
            }

            foreach (Instruction ins in _vectorCode)
            {
                Vector(ins, columns, scalars, len);
            }

            for (int c = 0; c < _outputs.Length; c++)
            {
                int width = c < split ? split : width2;
                Span<double> dst = c < split ? output[((start * split) + c)..] : output2[((start * width2) + c - split)..];
                Operand o = _outputs[c];
                if (o.IsScalar)
                {
                    double v = scalars[o.Index];
                    for (int i = 0; i < len; i++)
                    {
                        dst[i * width] = v;
                    }
                }
                else
                {
                    ReadOnlySpan<double> src = columns.AsSpan(o.Index * BlockLength, len);
                    if (width == 1)
                    {
                        src.CopyTo(dst);
                    }
                    else
                    {
                        for (int i = 0; i < len; i++)
                        {
                            dst[i * width] = src[i];
                        }
                    }
                }
            }
        }
    }

    /// <summary>How many times the program calls <paramref name="function"/> per observation (parameter-only
    /// calls, made once per run, not counted): what the sharing of subexpressions saves.</summary>
    internal int CallsPerObservation(MathFunction function) =>
        _vectorCode.Count(ins => ins.Op == Op.Call && ins.Function == function);

    /// <summary>This thread's scratch array, grown to at least <paramref name="length"/>.</summary>
    private static double[] Scratch(ref double[]? kept, int length) =>
        kept is not null && kept.Length >= length ? kept : (kept = new double[Math.Max(1, length)]);

    private static bool IsBinaryVector(Op op) => op is Op.Add or Op.Subtract or Op.Multiply or Op.Divide or Op.Pow or Op.Atan2;

    private static double Scalar(Instruction ins, double a, double b) => ins.Op switch
    {
        Op.Negate => -a,
        Op.Add => a + b,
        Op.Subtract => a - b,
        Op.Multiply => a * b,
        Op.Divide => a / b,
        Op.Square => a * a,
        Op.Sqrt => Math.Sqrt(a),
        Op.Pow => Math.Pow(a, b),
        Op.Atan2 => Math.Atan2(a, b),
        Op.Call => Node.Apply(ins.Function, a),
        _ => throw new InvalidOperationException(),
    };

    private static void Vector(Instruction ins, double[] columns, double[] scalars, int len)
    {
        Span<double> d = columns.AsSpan(ins.Destination * BlockLength, len);
        if (ins.Operands == ScalarOperand.A)
        {
            ArithmeticScalar(ins.Op, columns.AsSpan(ins.B * BlockLength, len), scalars[ins.A], scalarFirst: true, d);
            return;
        }
        ReadOnlySpan<double> a = columns.AsSpan(ins.A * BlockLength, len);
        if (ins.Operands == ScalarOperand.B)
        {
            ArithmeticScalar(ins.Op, a, scalars[ins.B], scalarFirst: false, d);
            return;
        }
        switch (ins.Op)
        {
            case Op.Negate:
                Negate(a, d);
                break;
            case Op.Add:
            case Op.Subtract:
            case Op.Multiply:
            case Op.Divide:
                Arithmetic(ins.Op, a, columns.AsSpan(ins.B * BlockLength, len), d);
                break;
            case Op.Square:
                Elementwise<MultiplyOp>(a, a, d);
                break;
            case Op.Sqrt:
                for (int i = 0; i < d.Length; i++)
                {
                    d[i] = Math.Sqrt(a[i]);
                }

                break;
            case Op.Pow:
                {
                    ReadOnlySpan<double> b = columns.AsSpan(ins.B * BlockLength, len);
                    for (int i = 0; i < d.Length; i++)
                    {
                        d[i] = Math.Pow(a[i], b[i]);
                    }

                    break;
                }

            case Op.Atan2:
                {
                    ReadOnlySpan<double> b = columns.AsSpan(ins.B * BlockLength, len);
                    for (int i = 0; i < d.Length; i++)
                    {
                        d[i] = Math.Atan2(a[i], b[i]);
                    }

                    break;
                }

            case Op.Call:
                Call(ins.Function, a, d);
                break;
            default:
                throw new InvalidOperationException();
        }
    }

    /// <summary>Element-wise + − × ÷: IEEE operations, so the SIMD lanes give the scalar results. The
    /// operation is chosen once per column, not once per element (a generic loop per operation).</summary>
    private static void Arithmetic(Op op, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> d)
    {
        switch (op)
        {
            case Op.Add:
                Elementwise<AddOp>(a, b, d);
                break;
            case Op.Subtract:
                Elementwise<SubtractOp>(a, b, d);
                break;
            case Op.Multiply:
                Elementwise<MultiplyOp>(a, b, d);
                break;
            default:
                Elementwise<DivideOp>(a, b, d);
                break;
        }
    }

    /// <summary>column[i] op s, or with <paramref name="scalarFirst"/> s op column[i], for every element:
    /// the same IEEE operation, in the same operand order, as with s broadcast into a column.</summary>
    private static void ArithmeticScalar(Op op, ReadOnlySpan<double> column, double s, bool scalarFirst, Span<double> d)
    {
        switch (op)
        {
            case Op.Add:
                Scalar<AddOp>(column, s, scalarFirst, d);
                break;
            case Op.Subtract:
                Scalar<SubtractOp>(column, s, scalarFirst, d);
                break;
            case Op.Multiply:
                Scalar<MultiplyOp>(column, s, scalarFirst, d);
                break;
            default:
                Scalar<DivideOp>(column, s, scalarFirst, d);
                break;
        }
    }

    private static void Scalar<TOp>(ReadOnlySpan<double> column, double s, bool scalarFirst, Span<double> d)
        where TOp : struct, IElementwise
    {
        if (scalarFirst)
        {
            ScalarSecond<Swapped<TOp>>(column, s, d);
        }
        else
        {
            ScalarSecond<TOp>(column, s, d);
        }
    }

    private static void ScalarSecond<TOp>(ReadOnlySpan<double> a, double s, Span<double> d)
        where TOp : struct, IElementwise
    {
        int i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated && d.Length >= Vector<double>.Count)
        {
            var vs = new Vector<double>(s);
            var va = MemoryMarshal.Cast<double, Vector<double>>(a);
            var vd = MemoryMarshal.Cast<double, Vector<double>>(d);
            for (int v = 0; v < vd.Length; v++)
            {
                vd[v] = TOp.Apply(va[v], vs);
            }

            i = vd.Length * Vector<double>.Count;
        }

        for (; i < d.Length; i++)
        {
            d[i] = TOp.Apply(a[i], s);
        }
    }

    private static void Elementwise<TOp>(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> d)
        where TOp : struct, IElementwise
    {
        int i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated && d.Length >= Vector<double>.Count)
        {
            var va = MemoryMarshal.Cast<double, Vector<double>>(a);
            var vb = MemoryMarshal.Cast<double, Vector<double>>(b);
            var vd = MemoryMarshal.Cast<double, Vector<double>>(d);
            for (int v = 0; v < vd.Length; v++)
            {
                vd[v] = TOp.Apply(va[v], vb[v]);
            }

            i = vd.Length * Vector<double>.Count;
        }

        for (; i < d.Length; i++)
        {
            d[i] = TOp.Apply(a[i], b[i]);
        }
    }

    /// <summary>-a for every element: the sign bit flipped, as the compiled code's negation flips it
    /// (not 0 - a, which gives +0 where -a gives -0).</summary>
    private static void Negate(ReadOnlySpan<double> a, Span<double> d)
    {
        int i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated && d.Length >= Vector<double>.Count)
        {
            var va = MemoryMarshal.Cast<double, Vector<double>>(a);
            var vd = MemoryMarshal.Cast<double, Vector<double>>(d);
            var sign = new Vector<double>(-0.0);
            for (int v = 0; v < vd.Length; v++)
            {
                vd[v] = System.Numerics.Vector.Xor(va[v], sign);
            }

            i = vd.Length * Vector<double>.Count;
        }

        for (; i < d.Length; i++)
        {
            d[i] = -a[i];
        }
    }

    /// <summary>One IEEE operation, on doubles and on SIMD lanes.</summary>
    private interface IElementwise
    {
        static abstract double Apply(double a, double b);

        static abstract Vector<double> Apply(Vector<double> a, Vector<double> b);
    }

    /// <summary>TOp with its operands the other way round: Apply(a, b) is TOp.Apply(b, a).</summary>
    private readonly struct Swapped<TOp> : IElementwise
        where TOp : struct, IElementwise
    {
        public static double Apply(double a, double b) => TOp.Apply(b, a);

        public static Vector<double> Apply(Vector<double> a, Vector<double> b) => TOp.Apply(b, a);
    }

    private readonly struct AddOp : IElementwise
    {
        public static double Apply(double a, double b) => a + b;

        public static Vector<double> Apply(Vector<double> a, Vector<double> b) => a + b;
    }

    private readonly struct SubtractOp : IElementwise
    {
        public static double Apply(double a, double b) => a - b;

        public static Vector<double> Apply(Vector<double> a, Vector<double> b) => a - b;
    }

    private readonly struct MultiplyOp : IElementwise
    {
        public static double Apply(double a, double b) => a * b;

        public static Vector<double> Apply(Vector<double> a, Vector<double> b) => a * b;
    }

    private readonly struct DivideOp : IElementwise
    {
        public static double Apply(double a, double b) => a / b;

        public static Vector<double> Apply(Vector<double> a, Vector<double> b) => a / b;
    }

    private static void Call(MathFunction function, ReadOnlySpan<double> a, Span<double> d)
    {
        switch (function)
        {
            case MathFunction.Exp:
                for (int i = 0; i < d.Length; i++)
                {
                    d[i] = Math.Exp(a[i]);
                }

                break;
            case MathFunction.Log:
                for (int i = 0; i < d.Length; i++)
                {
                    d[i] = Math.Log(a[i]);
                }

                break;
            case MathFunction.Sin:
                for (int i = 0; i < d.Length; i++)
                {
                    d[i] = Math.Sin(a[i]);
                }

                break;
            case MathFunction.Cos:
                for (int i = 0; i < d.Length; i++)
                {
                    d[i] = Math.Cos(a[i]);
                }

                break;
            default:
                for (int i = 0; i < d.Length; i++)
                {
                    d[i] = Node.Apply(function, a[i]);
                }

                break;
        }
    }

    /// <summary>Turns trees into scalar and vector instructions, sharing equal subtrees.</summary>
    private sealed class Builder
    {
        private readonly Dictionary<Node, Operand> _cache = [];
        private readonly List<Instruction> _vector = [];
        private int _values;

        public List<Instruction> ScalarCode { get; } = [];

        public List<(int Slot, double Value)> Constants { get; } = [];

        public List<(int Slot, int K)> Parameters { get; } = [];

        public int ScalarCount { get; private set; }

        /// <summary>Vector leaves before column allocation: value id → input index j.</summary>
        private readonly Dictionary<int, int> _variableValues = [];

        /// <summary>Value ids of vector operands that are scalars (filled once per call).</summary>
        private readonly Dictionary<int, int> _broadcastValues = [];

        private readonly Dictionary<int, int> _broadcastOf = [];

        public Operand Emit(Node node)
        {
            RuntimeHelpers.EnsureSufficientExecutionStack();
            if (_cache.TryGetValue(node, out Operand cached))
            {
                return cached;
            }

            Operand result;
            switch (node.Kind)
            {
                case NodeKind.Constant:
                    result = new(true, ScalarCount++);
                    Constants.Add((result.Index, node.Value));
                    break;
                case NodeKind.Parameter:
                    result = new(true, ScalarCount++);
                    Parameters.Add((result.Index, node.Index));
                    break;
                case NodeKind.Variable:
                    result = new(false, _values++);
                    _variableValues[result.Index] = node.Index;
                    break;
                case NodeKind.Negate:
                    result = Instruction(Op.Negate, MathFunction.None, Emit(node.Left!), null);
                    break;
                case NodeKind.Add:
                case NodeKind.Subtract:
                case NodeKind.Multiply:
                case NodeKind.Divide:
                    {
                        Op op = node.Kind switch
                        {
                            NodeKind.Add => Op.Add,
                            NodeKind.Subtract => Op.Subtract,
                            NodeKind.Multiply => Op.Multiply,
                            _ => Op.Divide,
                        };
                        Operand a = Emit(node.Left!);
                        result = Instruction(op, MathFunction.None, a, Emit(node.Right!));
                        break;
                    }

                case NodeKind.Power:
                    {
                        // As the compiler: a constant exponent 2 is a*a and 0.5 is sqrt(a).
                        Operand a = Emit(node.Left!);
                        result = node.Right!.IsConstant(2) ? Instruction(Op.Square, MathFunction.None, a, null)
                            : node.Right.IsConstant(0.5) ? Instruction(Op.Sqrt, MathFunction.None, a, null)
                            : Instruction(Op.Pow, MathFunction.None, a, Emit(node.Right));
                        break;
                    }

                case NodeKind.Call:
                    {
                        Operand a = Emit(node.Left!);
                        result = node.Function == MathFunction.Atan2
                            ? Instruction(Op.Atan2, MathFunction.None, a, Emit(node.Right!))
                            : Instruction(Op.Call, node.Function, a, null);
                        break;
                    }

                default:
                    throw new InvalidOperationException();
            }

            _cache[node] = result;
            return result;
        }

        private Operand Instruction(Op op, MathFunction function, Operand a, Operand? b)
        {
            if (a.IsScalar && (b is null || b.Value.IsScalar))
            {
                var s = new Operand(true, ScalarCount++);
                ScalarCode.Add(new(op, function, s.Index, a.Index, b?.Index ?? 0));
                return s;
            }

            var v = new Operand(false, _values++);
            if (op is Op.Add or Op.Subtract or Op.Multiply or Op.Divide && (a.IsScalar || b!.Value.IsScalar))
            {
                // One operand the same for every observation: read from its slot, not broadcast.
                _vector.Add(a.IsScalar
                    ? new(op, function, v.Index, a.Index, b!.Value.Index, ScalarOperand.A)
                    : new(op, function, v.Index, a.Index, b!.Value.Index, ScalarOperand.B));
                return v;
            }

            _vector.Add(new(op, function, v.Index, VectorValue(a), b is { } bb ? VectorValue(bb) : 0));
            return v;
        }

        /// <summary>The value id of an operand in vector code: a scalar is broadcast into a column.</summary>
        private int VectorValue(Operand o)
        {
            if (!o.IsScalar)
            {
                return o.Index;
            }

            if (!_broadcastOf.TryGetValue(o.Index, out int id))
            {
                id = _values++;
                _broadcastOf[o.Index] = id;
                _broadcastValues[id] = o.Index;
            }

            return id;
        }

        /// <summary>Maps value ids to columns: inputs, broadcasts and outputs keep their own columns; a
        /// temporary's column is reused once its last reader has run.</summary>
        public (Instruction[] Code, (int Column, int J)[] Variables, (int Column, int Slot)[] Broadcasts, int Columns) AllocateColumns(Operand[] outputs)
        {
            var lastUse = new Dictionary<int, int>();
            for (int t = 0; t < _vector.Count; t++)
            {
                if (_vector[t].Operands != ScalarOperand.A)
                {
                    lastUse[_vector[t].A] = t;
                }

                if (IsBinaryVector(_vector[t].Op) && _vector[t].Operands != ScalarOperand.B)
                {
                    lastUse[_vector[t].B] = t;
                }
            }

            var pinned = new HashSet<int>(_variableValues.Keys.Concat(_broadcastValues.Keys));
            foreach (Operand o in outputs)
            {
                if (!o.IsScalar)
                {
                    pinned.Add(o.Index);
                }
            }

            var column = new Dictionary<int, int>();
            int columns = 0;
            foreach (int id in pinned.Order())
            {
                column[id] = columns++;
            }

            var free = new Stack<int>();
            var code = new Instruction[_vector.Count];
            for (int t = 0; t < _vector.Count; t++)
            {
                Instruction ins = _vector[t];
                bool columnA = ins.Operands != ScalarOperand.A;
                bool columnB = IsBinaryVector(ins.Op) && ins.Operands != ScalarOperand.B;
                int a = columnA ? column[ins.A] : ins.A;
                int b = !IsBinaryVector(ins.Op) ? a : columnB ? column[ins.B] : ins.B; // a unary op's B is unused

                // Operands read for the last time free their columns before the destination is chosen:
                // element-wise operations may write over their own operands.
                int[] operands = columnA && columnB ? (ins.B != ins.A ? [ins.A, ins.B] : [ins.A]) : columnA ? [ins.A] : columnB ? [ins.B] : [];
                foreach (int operand in operands)
                {
                    if (!pinned.Contains(operand) && lastUse[operand] == t)
                    {
                        free.Push(column[operand]);
                    }
                }

                if (!pinned.Contains(ins.Destination))
                {
                    column[ins.Destination] = free.Count > 0 ? free.Pop() : columns++;
                }

                code[t] = ins with { Destination = column[ins.Destination], A = a, B = b };
            }

            var variables = _variableValues.Select(kv => (column[kv.Key], kv.Value)).ToArray();
            var broadcasts = _broadcastValues.Select(kv => (column[kv.Key], kv.Value)).ToArray();
            for (int c = 0; c < outputs.Length; c++)
            {
                if (!outputs[c].IsScalar)
                {
                    outputs[c] = outputs[c] with { Index = column[outputs[c].Index] };
                }
            }

            return (code, variables, broadcasts, columns);
        }
    }
}

using System.Globalization;
using System.Runtime.CompilerServices;

namespace Odr.Expressions;

/// <summary>Recursive-descent parser for formula text. Positions are 0-based.</summary>
internal sealed class Parser
{
    private static readonly Dictionary<string, MathFunction> FunctionsByName = new(StringComparer.Ordinal)
    {
        ["exp"] = MathFunction.Exp,
        ["log"] = MathFunction.Log,
        ["ln"] = MathFunction.Log,
        ["log10"] = MathFunction.Log10,
        ["sqrt"] = MathFunction.Sqrt,
        ["abs"] = MathFunction.Abs,
        ["fabs"] = MathFunction.Abs,
        ["sign"] = MathFunction.Sign,
        ["sin"] = MathFunction.Sin,
        ["cos"] = MathFunction.Cos,
        ["tan"] = MathFunction.Tan,
        ["asin"] = MathFunction.Asin,
        ["acos"] = MathFunction.Acos,
        ["atan"] = MathFunction.Atan,
        ["atan2"] = MathFunction.Atan2,
        ["sinh"] = MathFunction.Sinh,
        ["cosh"] = MathFunction.Cosh,
        ["tanh"] = MathFunction.Tanh,
    };

    internal static IReadOnlyCollection<string> FunctionNames { get; } = [.. FunctionsByName.Keys, "pow"];

    internal static bool IsReservedName(string name) =>
        FunctionsByName.ContainsKey(name) || name is "pow" or "pi" or "e" or "B"
        || (name.Length > 1 && name[0] == 'B' && name.Skip(1).All(char.IsAsciiDigit));

    internal static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private readonly string _text;
    private readonly IReadOnlyList<string>? _names;
    private readonly bool _bareXAlwaysInput0;
    private int _pos;
    private int _nesting;

    /// <summary>Highest input index referenced (-1 if none).</summary>
    public int MaxVariableIndex { get; private set; } = -1;

    public Parser(string text, IReadOnlyList<string>? names, bool bareXAlwaysInput0)
    {
        _text = text;
        _names = names;
        _bareXAlwaysInput0 = bareXAlwaysInput0 || names is null;
    }

    public Node ParseAll()
    {
        SkipSpace();
        if (_pos >= _text.Length)
        {
            throw new ExpressionException("Empty expression", 0);
        }

        Node result = ParseSum();
        SkipSpace();
        if (_pos < _text.Length)
        {
            if (_text[_pos] == ')')
            {
                throw new ExpressionException("Unbalanced parenthesis: unmatched ')'", _pos);
            }

            char c = _text[_pos];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '('))
            {
                throw new ExpressionException($"Unexpected character '{c}'", _pos);
            }

            throw new ExpressionException($"Unexpected trailing input '{Snippet(_pos)}'", _pos);
        }

        return result;
    }

    private string Snippet(int at)
    {
        string rest = _text[at..];
        return rest.Length > 20 ? rest[..20] + "..." : rest;
    }

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }

    private char Peek()
    {
        SkipSpace();
        return _pos < _text.Length ? _text[_pos] : '\0';
    }

    private Node ParseSum()
    {
        // The depth limit keeps the parser inside any ordinary stack; this guards a caller's small one.
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new ExpressionException("Formula nested too deeply for this thread's stack", _pos);
        }

        Node left = ParseProduct();
        while (true)
        {
            char c = Peek();
            if (c == '+')
            {
                _pos++;
                left = Checked(Node.Add(left, ParseProduct()));
            }
            else if (c == '-')
            {
                _pos++;
                left = Checked(Node.Subtract(left, ParseProduct()));
            }
            else
            {
                return left;
            }
        }
    }

    private Node ParseProduct()
    {
        Node left = ParseUnary();
        while (true)
        {
            char c = Peek();
            if (c == '*')
            {
                _pos++;
                if (Peek() == '*')
                {
                    // Accept ** as a synonym of ^ only when written without a gap: reject "* *".
                    throw new ExpressionException("Unexpected character '*' (use ^ for powers)", _pos);
                }

                left = Checked(Node.Multiply(left, ParseUnary()));
            }
            else if (c == '/')
            {
                _pos++;
                left = Checked(Node.Divide(left, ParseUnary()));
            }
            else
            {
                return left;
            }
        }
    }

    private Node ParseUnary()
    {
        char c = Peek();
        if (c == '-')
        {
            _pos++;
            Enter();
            Node negated = Checked(Node.Negate(ParseUnary()));
            _nesting--;
            return negated;
        }

        if (c == '+')
        {
            _pos++;
            Enter();
            Node operand = ParseUnary();
            _nesting--;
            return operand;
        }

        return ParsePower();
    }

    private Node ParsePower()
    {
        Node b = ParsePrimary();
        if (Peek() == '^')
        {
            _pos++;
            Enter();
            Node power = Checked(Node.Power(b, ParseUnary()));
            _nesting--;
            return power;
        }

        return b;
    }

    private Node ParsePrimary()
    {
        char c = Peek();
        int start = _pos;
        if (c == '\0')
        {
            throw new ExpressionException("Unexpected end of expression", _pos);
        }

        if (c == '(')
        {
            _pos++;
            if (Peek() == ')')
            {
                throw new ExpressionException("Empty expression inside parentheses", _pos);
            }

            Enter();
            Node inner = ParseSum();
            _nesting--;
            Expect(')', start);
            return inner;
        }

        if (char.IsAsciiDigit(c) || c == '.')
        {
            return ParseNumber();
        }

        if (char.IsAsciiLetter(c) || c == '_')
        {
            return ParseIdentifier();
        }

        if (c == ')')
        {
            throw new ExpressionException("Unbalanced parenthesis: unexpected ')'", _pos);
        }

        throw new ExpressionException($"Unexpected character '{c}'", _pos);
    }

    private void Expect(char close, int openPosition)
    {
        char c = Peek();
        if (c == close)
        {
            _pos++;
            return;
        }

        if (c == '\0')
        {
            throw new ExpressionException($"Unbalanced parenthesis: '(' at position {openPosition} is not closed", openPosition);
        }

        throw new ExpressionException($"Unexpected character '{c}', expected '{close}'", _pos);
    }

    private Node ParseNumber()
    {
        int start = _pos;
        while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
        {
            _pos++;
        }

        if (_pos < _text.Length && _text[_pos] == '.')
        {
            _pos++;
            while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
            {
                _pos++;
            }
        }

        if (_pos - start == 1 && _text[start] == '.')
        {
            throw new ExpressionException("Unexpected character '.'", start);
        }

        if (_pos < _text.Length && (_text[_pos] == 'e' || _text[_pos] == 'E'))
        {
            int p = _pos + 1;
            if (p < _text.Length && (_text[p] == '+' || _text[p] == '-'))
            {
                p++;
            }

            if (p < _text.Length && char.IsAsciiDigit(_text[p]))
            {
                while (p < _text.Length && char.IsAsciiDigit(_text[p]))
                {
                    p++;
                }

                _pos = p;
            }
        }

        string literal = _text[start.._pos];
        double value = double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture);
        return Node.Constant(value);
    }

    private int ParseIndex(string what)
    {
        // after '['
        SkipSpace();
        int start = _pos;
        while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
        {
            _pos++;
        }

        if (start == _pos)
        {
            throw new ExpressionException($"Expected a non-negative integer index after '{what}['", start);
        }

        if (!int.TryParse(_text.AsSpan(start, _pos - start), NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index > Formula.MaxIndex)
        {
            throw new ExpressionException($"Index too large in '{what}[': the highest index is {Formula.MaxIndex}", start);
        }

        SkipSpace();
        if (_pos >= _text.Length || _text[_pos] != ']')
        {
            throw new ExpressionException($"Expected ']' after '{what}[{index}'", _pos);
        }

        _pos++;
        return index;
    }

    private Node ParseIdentifier()
    {
        int start = _pos;
        while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '_'))
        {
            _pos++;
        }

        string name = _text[start.._pos];
        int afterName = _pos;
        char next = Peek();

        if (next == '(')
        {
            _pos++;
            return ParseCall(name, start);
        }

        _pos = afterName;

        // Caller-supplied variable names take precedence over x, x0, x[j].
        if (_names is not null)
        {
            for (int j = 0; j < _names.Count; j++)
            {
                if (_names[j] == name)
                {
                    return Variable(j, name);
                }
            }
        }

        if (name == "pi")
        {
            return Node.Constant(Math.PI);
        }

        if (name == "e")
        {
            return Node.Constant(Math.E);
        }

        if (name == "B" && next == '[')
        {
            _pos = afterName;
            SkipSpace();
            _pos++;
            return Parameter(ParseIndex("B"), start);
        }

        if (name.Length > 1 && name[0] == 'B' && name.Skip(1).All(char.IsAsciiDigit))
        {
            if (!int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int k))
            {
                k = int.MaxValue;
            }

            return Parameter(k, start);
        }

        if (name == "x" && next == '[')
        {
            _pos = afterName;
            SkipSpace();
            _pos++;
            int j = ParseIndex("x");
            if (_names is not null && j >= _names.Count)
            {
                throw UnknownVariable($"x[{j}]", start);
            }

            return Variable(j, _names?[j]);
        }

        if (name == "x" && (_bareXAlwaysInput0 || _names!.Count == 1))
        {
            if (_names is not null && _names.Count == 0)
            {
                throw UnknownVariable(name, start);
            }

            return Variable(0, _names is null ? null : _names[0]);
        }

        if (name.Length > 1 && name[0] == 'x' && name.Skip(1).All(char.IsAsciiDigit)
            && int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int xj)
            && (_names is null || xj < _names.Count))
        {
            if (xj > Formula.MaxIndex)
            {
                throw new ExpressionException($"Index too large in '{name}': the highest input is x{Formula.MaxIndex}", start);
            }

            return Variable(xj, _names?[xj]);
        }

        if (FunctionsByName.ContainsKey(name) || name == "pow")
        {
            throw new ExpressionException($"Function '{name}' must be followed by '(' and its arguments", afterName);
        }

        throw UnknownVariable(name, start);
    }

    private static Node Parameter(int k, int position)
    {
        if (k > Formula.MaxIndex)
        {
            throw new ExpressionException($"Parameter index too large: the highest parameter is B{Formula.MaxIndex}", position);
        }

        return Node.Parameter(k);
    }

    /// <summary>One level deeper in the parser's recursion (parentheses, arguments, unary signs, exponents).</summary>
    private void Enter()
    {
        if (++_nesting > Formula.MaxDepth)
        {
            throw TooDeep();
        }
    }

    /// <summary>Refuses a tree deeper than the limit before anything recurses over it.</summary>
    private Node Checked(Node node) => node.Depth > Formula.MaxDepth ? throw TooDeep() : node;

    private ExpressionException TooDeep() =>
        new($"Formula nested too deeply: at most {Formula.MaxDepth} levels (parentheses, function calls, signs, powers, and one per term of a sum or factor of a product)", Math.Min(_pos, _text.Length));

    private Node Variable(int j, string? name)
    {
        MaxVariableIndex = Math.Max(MaxVariableIndex, j);
        return Node.Variable(j, name);
    }

    private ExpressionException UnknownVariable(string name, int position)
    {
        string known;
        if (_names is null)
        {
            known = "x, x0, x1, ..., x[0], x[1], ...";
        }
        else
        {
            var list = new List<string>(_names);
            if (_names.Count == 1 && !_names.Contains("x"))
            {
                list.Add("x");
            }

            if (_names.Count > 0 && !_names.Contains("x"))
            {
                list.Add(_names.Count == 1 ? "x[0]" : $"x[0]..x[{_names.Count - 1}]");
            }

            known = list.Count == 0 ? "(none)" : string.Join(", ", list);
        }

        return new ExpressionException($"Unknown variable '{name}'; known variables: {known}; parameters are B0, B1, ... or B[k]", position);
    }

    private Node ParseCall(string name, int start)
    {
        bool isPow = name == "pow";
        if (!isPow && !FunctionsByName.ContainsKey(name))
        {
            throw new ExpressionException($"Unknown function '{name}' (known: {string.Join(", ", FunctionNames.Order(StringComparer.Ordinal))})", start);
        }

        int open = _pos - 1;
        var args = new List<Node>();
        if (Peek() == ')')
        {
            _pos++;
        }
        else
        {
            while (true)
            {
                Enter();
                args.Add(ParseSum());
                _nesting--;
                char c = Peek();
                if (c == ',')
                {
                    _pos++;
                    continue;
                }

                Expect(')', open);
                break;
            }
        }

        int expected = isPow ? 2 : Node.Arity(FunctionsByName[name]);
        if (args.Count != expected)
        {
            throw new ExpressionException($"Function '{name}' takes {expected} argument{(expected == 1 ? "" : "s")} but got {args.Count}", start);
        }

        return Checked(isPow ? Node.Power(args[0], args[1]) : Node.Call(FunctionsByName[name], [.. args]));
    }
}

using FsCheck;
using FsCheck.Fluent;
using Odr.Expressions;

namespace Odr.Expressions.Tests;

/// <summary>Random expression trees and evaluation points for property tests.</summary>
internal static class Generators
{
    public static readonly string[] Names = ["u", "v"];
    public const int ParameterCount = 3;

    private static Node C(double v) => Node.Constant(v);

    private static Node Sq1(Node u) => Node.Add(Node.Multiply(u, u), Node.One); // u*u + 1 > 0

    private static Gen<Node> Leaf { get; } = Gen.Frequency(
        (2, Gen.Choose(-30, 30).Select(i => C(i / 10.0))),
        (3, Gen.Choose(0, ParameterCount - 1).Select(Node.Parameter)),
        (3, Gen.Choose(0, Names.Length - 1).Select(j => Node.Variable(j, Names[j]))));

    /// <summary>
    /// Trees whose functions are applied only inside their smooth domains (exp of bounded arguments,
    /// log of squares + 1, ...), so values and derivatives stay finite and moderate.
    /// </summary>
    public static Gen<Node> Safe(int depth)
    {
        if (depth == 0)
        {
            return Leaf;
        }

        Gen<Node> sub = Safe(depth - 1);
        Gen<Node> unary = from u in sub
                          from k in Gen.Choose(0, 17)
                          select k switch
                          {
                              0 => Node.Negate(u),
                              1 => Node.Call(MathFunction.Exp, Node.Call(MathFunction.Sin, u)),
                              2 => Node.Call(MathFunction.Log, Sq1(u)),
                              3 => Node.Call(MathFunction.Log10, Sq1(u)),
                              4 => Node.Call(MathFunction.Sqrt, Sq1(u)),
                              5 => Node.Call(MathFunction.Abs, u),
                              6 => Node.Call(MathFunction.Sin, u),
                              7 => Node.Call(MathFunction.Cos, u),
                              8 => Node.Call(MathFunction.Tan, Node.Call(MathFunction.Tanh, u)),
                              9 => Node.Call(MathFunction.Asin, Node.Multiply(C(0.9), Node.Call(MathFunction.Tanh, u))),
                              10 => Node.Call(MathFunction.Acos, Node.Multiply(C(0.9), Node.Call(MathFunction.Tanh, u))),
                              11 => Node.Call(MathFunction.Atan, u),
                              12 => Node.Call(MathFunction.Sinh, Node.Call(MathFunction.Tanh, u)),
                              13 => Node.Call(MathFunction.Cosh, Node.Call(MathFunction.Sin, u)),
                              14 => Node.Call(MathFunction.Tanh, u),
                              15 => Node.Power(u, C(3)),
                              16 => Node.Power(Sq1(u), C(-1.5)),
                              _ => Node.Power(u, C(2)),
                          };
        Gen<Node> binary = from a in sub
                           from b in sub
                           from k in Gen.Choose(0, 6)
                           select k switch
                           {
                               0 => Node.Add(a, b),
                               1 => Node.Subtract(a, b),
                               2 => Node.Multiply(a, b),
                               3 => Node.Divide(a, Sq1(b)),
                               4 => Node.Power(Sq1(a), Node.Call(MathFunction.Sin, b)),
                               5 => Node.Call(MathFunction.Atan2, a, Node.Add(Node.Multiply(b, b), C(0.5))),
                               _ => Node.Power(Node.Call(MathFunction.Exp, Node.Call(MathFunction.Cos, a)), Node.Call(MathFunction.Sin, b)),
                           };
        return Gen.Frequency((1, Leaf), (3, unary), (3, binary));
    }

    /// <summary>Trees with any operator and function and arbitrary constants (values may be NaN or infinite).</summary>
    public static Gen<Node> Any(int depth)
    {
        Gen<Node> leaf = Gen.Frequency(
            (6, Leaf),
            (1, from m in Gen.Choose(-100000, 100000)
                from e in Gen.Choose(-12, 12)
                select C(m * Math.Pow(10, e) / 7.0)));
        if (depth == 0)
        {
            return leaf;
        }

        Gen<Node> sub = Any(depth - 1);
        MathFunction[] functions = [.. Enum.GetValues<MathFunction>().Where(f => f is not MathFunction.None and not MathFunction.Atan2)];
        Gen<Node> call = from u in sub
                         from f in Gen.Elements(functions)
                         select Node.Call(f, u);
        Gen<Node> binary = from a in sub
                           from b in sub
                           from k in Gen.Choose(0, 5)
                           select k switch
                           {
                               0 => Node.Add(a, b),
                               1 => Node.Subtract(a, b),
                               2 => Node.Multiply(a, b),
                               3 => Node.Divide(a, b),
                               4 => Node.Power(a, b),
                               _ => Node.Call(MathFunction.Atan2, a, b),
                           };
        Gen<Node> negate = sub.Select(Node.Negate);
        return Gen.Frequency((1, leaf), (3, call), (4, binary), (1, negate));
    }

    public static Gen<double> Bounded(double lo, double hi) =>
        Gen.Choose(0, 1_000_000).Select(i => lo + ((hi - lo) * i / 1_000_000.0));

    public static Gen<double[]> Vector(int length, double lo, double hi) => Gen.ArrayOf(Bounded(lo, hi), length);

    /// <summary>A tree, parameters and one evaluation point.</summary>
    public sealed record Case(Node Tree, double[] Beta, double[] X)
    {
        public override string ToString() =>
            $"f = {Tree}; beta = [{string.Join(", ", Beta)}]; x = [{string.Join(", ", X)}]";
    }

    public static Arbitrary<Case> SafeCases() =>
        (from depth in Gen.Choose(1, 4)
         from tree in Safe(depth)
         from beta in Vector(ParameterCount, -2, 2)
         from x in Vector(Names.Length, -2, 2)
         select new Case(tree, beta, x)).ToArbitrary();

    public static Arbitrary<Case> AnyCases() =>
        (from depth in Gen.Choose(0, 6)
         from tree in Any(depth)
         from beta in Vector(ParameterCount, -3, 3)
         from x in Vector(Names.Length, -3, 3)
         select new Case(tree, beta, x)).ToArbitrary();

    /// <summary>A tree, parameters and n observations (observation-major, stride 2).</summary>
    public sealed record BatchCase(Node Tree, double[] Beta, double[] X, int N)
    {
        public override string ToString() =>
            $"f = {Tree}; n = {N}; beta = [{string.Join(", ", Beta)}]; x = [{string.Join(", ", X)}]";
    }

    /// <summary>Batch cases of the given sizes n, trees up to depth 5, values in [-3, 3]: the engine
    /// comparisons' cases (the block interpreter's block boundaries lie among the sizes).</summary>
    public static Arbitrary<BatchCase> BatchCasesOfSizes(bool safe, int[] sizes) =>
        (from depth in Gen.Choose(0, 5)
         from tree in safe ? Safe(depth) : Any(depth)
         from beta in Vector(ParameterCount, -3, 3)
         from n in Gen.Elements(sizes)
         from x in Vector(n * Names.Length, -3, 3)
         select new BatchCase(tree, beta, x, n)).ToArbitrary();

    /// <summary>The same bits (so 0 and -0 differ), or both NaN (whatever the payload).</summary>
    public static bool SameBits(double a, double b) =>
        BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b) || (double.IsNaN(a) && double.IsNaN(b));

    public static Arbitrary<BatchCase> BatchCases(bool safe) =>
        (from depth in Gen.Choose(0, 4)
         from tree in safe ? Safe(depth) : Any(depth)
         from beta in Vector(ParameterCount, -2, 2)
         from n in Gen.Choose(0, 12)
         from x in Vector(n * Names.Length, -2, 2)
         select new BatchCase(tree, beta, x, n)).ToArbitrary();
}

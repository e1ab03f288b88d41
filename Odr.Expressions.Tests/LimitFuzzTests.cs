using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Odr.Expressions;

namespace Odr.Expressions.Tests;

/// <summary>Random nesting, sum lengths and padding around the limits.</summary>
public class LimitFuzzTests
{
    private static readonly string[] Wrappers = ["sin(", "(", "atan(", " ( "];

    /// <summary>
    /// A formula of random wrappers around a sum x + x + ... is accepted exactly when its parenthesis nesting
    /// (one per wrapper), its tree depth (one per function, one per term) and its length are within the
    /// documented limits; when accepted it evaluates to the functions applied in turn to (terms × x); when
    /// refused it is an <see cref="ExpressionException"/>, never anything else.
    /// </summary>
    [Property(MaxTest = 300)]
    public Property NestingSumsAndLengthAreAcceptedExactlyWithinTheLimits()
    {
        var gen = from count in Gen.Frequency((3, Gen.Choose(0, 300)), (1, Gen.Choose(240, 260)), (1, Gen.Choose(0, 6000)))
                  from kinds in Gen.ArrayOf(Gen.Choose(0, Wrappers.Length - 1), count)
                  from terms in Gen.Frequency((3, Gen.Choose(1, 300)), (1, Gen.Choose(1, 5)))
                  from padding in Gen.Frequency((4, Gen.Constant(0)), (1, Gen.Choose(0, 12_000)))
                  select (kinds, terms, padding);
        return Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var (kinds, terms, padding) = t;
            var sb = new System.Text.StringBuilder();
            foreach (int k in kinds) sb.Append(Wrappers[k]);
            sb.Append('x');
            for (int i = 1; i < terms; i++) sb.Append("+x");
            sb.Append(')', kinds.Length);
            sb.Append(' ', padding);
            string text = sb.ToString();

            int functions = kinds.Count(k => k is 0 or 2);
            int depth = functions + terms;
            bool expected = kinds.Length <= Formula.MaxDepth && depth <= Formula.MaxDepth && text.Length <= Formula.MaxLength;

            Formula f;
            try
            {
                f = Formula.Parse(text);
            }
            catch (ExpressionException)
            {
                return (!expected).Label($"refused: nesting {kinds.Length}, depth {depth}, length {text.Length}");
            }
            if (!expected) return false.Label($"accepted: nesting {kinds.Length}, depth {depth}, length {text.Length}");

            double v = terms * 0.5;
            for (int i = kinds.Length - 1; i >= 0; i--)
            {
                if (kinds[i] == 0) v = Math.Sin(v);
                else if (kinds[i] == 2) v = Math.Atan(v);
            }
            return (f.Evaluate([], [0.5]) == v && f.Expression.Depth == depth).Label($"value {f.Evaluate([], [0.5]):R} against {v:R}, depth {f.Expression.Depth} against {depth}");
        });
    }
}

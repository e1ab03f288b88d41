using Odr.Expressions;

namespace Odr.Expressions.Tests;

public class ParserTests
{
    private static readonly double[] Beta = [1.5, -0.7, 2.25, 0.3, -1.1];

    private static double Eval(string text, double[] x, IReadOnlyList<string>? names = null) =>
        Formula.Parse(text, names).Evaluate(Beta, x);

    [Theory]
    [InlineData("1 + 2 * 3", 7)]
    [InlineData("(1 + 2) * 3", 9)]
    [InlineData("2 ^ 3 ^ 2", 512)]
    [InlineData("(2 ^ 3) ^ 2", 64)]
    [InlineData("-2^2", -4)]
    [InlineData("(-2)^2", 4)]
    [InlineData("2^-1", 0.5)]
    [InlineData("8 / 4 / 2", 1)]
    [InlineData("8 - 4 - 2", 2)]
    [InlineData("--3", 3)]
    [InlineData("+3 - -3", 6)]
    [InlineData("-3 * 2", -6)]
    [InlineData("2 * -3", -6)]
    [InlineData("2*3^2", 18)]
    [InlineData("-2^-2", -0.25)]
    [InlineData("pow(2, 10)", 1024)]
    [InlineData("pi", Math.PI)]
    [InlineData("e", Math.E)]
    [InlineData("1e-3", 0.001)]
    [InlineData("1E+3", 1000)]
    [InlineData(".5", 0.5)]
    [InlineData("2.", 2)]
    [InlineData("  7  ", 7)]
    public void PrecedenceAndAssociativity(string text, double expected)
    {
        Assert.Equal(expected, Eval(text, [0.0]), 12);
    }

    [Theory]
    [InlineData("2", "2.0")]
    [InlineData("2", "2.000")]
    [InlineData(".5", "0.5")]
    [InlineData("1e-3", "0.001")]
    [InlineData("B1", "B[1]")]
    [InlineData("B[10]*x", "B10*x")]
    [InlineData("B[ 1 ]", "B1")]
    [InlineData("x[0]", "x")]
    [InlineData("x0", "x")]
    [InlineData("abs(x)", "fabs(x)")]
    [InlineData("log(x)", "ln(x)")]
    [InlineData("pow(x, 3)", "x^3")]
    [InlineData("-x^2", "-(x^2)")]
    [InlineData("x^2^3", "x^(2^3)")]
    public void EquivalentSpellingsGiveTheSameTree(string a, string b)
    {
        Assert.Equal(Formula.Parse(a).Expression, Formula.Parse(b).Expression);
    }

    [Fact]
    public void LiteralsAreCultureInvariant()
    {
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.Equal(2.5, Eval("2.5", [0.0]));
            Assert.Equal("2.5*x", Formula.Parse("2.5*x").ToString());
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void ParametersAreCountedFromTheHighestIndex()
    {
        var f = Formula.Parse("B0 + B[3]*x");
        Assert.Equal(4, f.ParameterCount);
        Assert.Equal([0, 3], f.UsedParameters);
        var g = Formula.Parse("x^2");
        Assert.Equal(0, g.ParameterCount);
        Assert.Empty(g.UsedParameters);
    }

    [Fact]
    public void ModelSetParameterCount()
    {
        var set = Formula.ParseAll(["B0 + B1*x", "B4*exp(x)"]);
        Assert.Equal(5, Formula.CombinedParameterCount(set));
        Assert.Equal([0, 1, 4], Formula.CombinedUsedParameters(set));
    }

    [Theory]
    // scipy.odr's unilinear, quadratic, polynomial(3) and exponential.
    [InlineData("linear", "B0*x + B1", 2)]
    [InlineData("quadratic", "B0*x^2 + B1*x + B2", 3)]
    [InlineData("cubic", "B0 + B1*x + B2*x^2 + B3*x^3", 4)]
    [InlineData("exp", "B0 + exp(B1*x)", 2)]
    [InlineData(" linear ", "B0*x + B1", 2)]
    public void Aliases(string alias, string expansion, int p)
    {
        var f = Formula.Parse(alias);
        Assert.Equal(Formula.Parse(expansion).Expression, f.Expression);
        Assert.Equal(p, f.ParameterCount);
        Assert.Equal(expansion, Formula.Aliases[alias.Trim()]);
        Assert.Equal(Formula.Parse(expansion).Evaluate(Beta, [1.7]), f.Evaluate(Beta, [1.7]));
    }

    [Fact]
    public void AliasWithNamedColumnUsesTheFirstColumn()
    {
        var f = Formula.Parse("quadratic", ["time"]);
        Assert.Equal("B0*time^2 + B1*time + B2", f.ToString());
    }

    [Fact]
    public void VariablesByName()
    {
        string[] names = ["time", "signal"];
        var f = Formula.Parse("B0*time + B1*signal^2 + x[1]", names);
        Assert.Equal(2, f.VariableCount);
        Assert.Equal(names, f.VariableNames);
        double t = 2.0, s = 3.0;
        Assert.Equal(Beta[0] * t + Beta[1] * s * s + s, f.Evaluate(Beta, [t, s]), 12);
        Assert.Equal(f.Evaluate(Beta, [t, s]), Formula.Parse("B0*x0 + B1*x1^2 + signal", names).Evaluate(Beta, [t, s]));
    }

    [Fact]
    public void NamesAreCaseSensitive()
    {
        var ex = Assert.Throws<ExpressionException>(() => Formula.Parse("Time", ["time"]));
        Assert.Contains("'Time'", ex.Message);
        Assert.Throws<ExpressionException>(() => Formula.Parse("EXP(x)"));
    }

    [Fact]
    public void BareXWithOneNamedColumnIsThatColumn()
    {
        var f = Formula.Parse("B0*x", ["temperature"]);
        Assert.Equal("B0*temperature", f.ToString());
        Assert.Equal(Beta[0] * 4.0, f.Evaluate(Beta, [4.0]));
    }

    [Fact]
    public void BareXIsRejectedWithSeveralNamedColumns()
    {
        var ex = Assert.Throws<ExpressionException>(() => Formula.Parse("B0*x", ["a", "b"]));
        Assert.Equal(3, ex.Position);
        Assert.Contains("Unknown variable 'x'", ex.Message);
        Assert.Contains("a, b", ex.Message);
    }

    [Fact]
    public void ANamedColumnCalledXWins()
    {
        var f = Formula.Parse("x*y", ["y", "x"]);
        Assert.Equal(12.0, f.Evaluate(Beta, [3.0, 4.0]));
        Assert.Equal(1, f.Expression.Left!.Index);
    }

    [Fact]
    public void InferredVariableCount()
    {
        var f = Formula.Parse("B[0]*pow(x,B[1]) + B[2]*exp(-B[3]*x[1])");
        Assert.Equal(2, f.VariableCount);
        Assert.Equal(["x0", "x1"], f.VariableNames);
        double x0 = 1.3, x1 = 0.4;
        double expected = Beta[0] * Math.Pow(x0, Beta[1]) + Beta[2] * Math.Exp(-Beta[3] * x1);
        Assert.Equal(expected, f.Evaluate(Beta, [x0, x1]), 12);
        Assert.Equal(["x"], Formula.Parse("B0").VariableNames);
    }

    [Fact]
    public void ReferenceRationalFormula()
    {
        var f = Formula.Parse("(B[0]+B[1]*x+B[2]*x*x+B[3]*x*x*x)/(1.0+B[4]*x+B[5]*x*x+B[6]*x*x*x)");
        double[] b = [1, 2, 3, 4, 5, 6, 7];
        double x = 0.37;
        double expected = (b[0] + b[1] * x + b[2] * x * x + b[3] * x * x * x) / (1.0 + b[4] * x + b[5] * x * x + b[6] * x * x * x);
        Assert.Equal(expected, f.Evaluate(b, [x]), 14);
        Assert.Equal(7, f.ParameterCount);
    }

    [Theory]
    [InlineData("", 0, "Empty expression")]
    [InlineData("   ", 0, "Empty expression")]
    [InlineData("x + #", 4, "Unexpected character '#'")]
    [InlineData("x $ 2", 2, "Unexpected character '$'")]
    [InlineData("(x + 1", 0, "Unbalanced parenthesis")]
    [InlineData("2*(x + (1)", 2, "Unbalanced parenthesis")]
    [InlineData("x + 1)", 5, "Unbalanced parenthesis")]
    [InlineData(")", 0, "Unbalanced parenthesis")]
    [InlineData("()", 1, "Empty expression")]
    [InlineData("foo(x)", 0, "Unknown function 'foo'")]
    [InlineData("2 + Exp(x)", 4, "Unknown function 'Exp'")]
    [InlineData("B0 * y", 5, "Unknown variable 'y'")]
    [InlineData("x[3]", 0, "Unknown variable 'x[3]'")]
    [InlineData("atan2(x)", 0, "takes 2 arguments but got 1")]
    [InlineData("pow(x)", 0, "takes 2 arguments but got 1")]
    [InlineData("1 + sin(x, 2)", 4, "takes 1 argument but got 2")]
    [InlineData("exp()", 0, "takes 1 argument but got 0")]
    [InlineData("x 2", 2, "Unexpected trailing input '2'")]
    [InlineData("2x", 1, "Unexpected trailing input 'x'")]
    [InlineData("x +", 3, "Unexpected end of expression")]
    [InlineData("B[x]", 2, "integer index")]
    [InlineData("B[1", 3, "Expected ']'")]
    [InlineData("sin x", 3, "must be followed by '('")]
    [InlineData("x ** 2", 3, "Unexpected character '*'")]
    [InlineData(".", 0, "Unexpected character '.'")]
    public void Errors(string text, int position, string fragment)
    {
        IReadOnlyList<string>? names = text.StartsWith("x[3]", StringComparison.Ordinal) ? ["a", "b"] : null;
        var ex = Assert.Throws<ExpressionException>(() => Formula.Parse(text, names));
        Assert.Equal(position, ex.Position);
        Assert.Contains(fragment, ex.Message);
        Assert.Contains($"at position {position}", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.IsAssignableFrom<FormatException>(ex);
    }

    [Fact]
    public void UnknownVariableListsTheKnownNames()
    {
        var ex = Assert.Throws<ExpressionException>(() => Formula.Parse("B0*tme", ["time", "signal"]));
        Assert.Equal(3, ex.Position);
        Assert.Contains("'tme'", ex.Message);
        Assert.Contains("time, signal", ex.Message);
    }

    [Theory]
    [InlineData("2a")]
    [InlineData("exp")]
    [InlineData("pi")]
    [InlineData("B2")]
    [InlineData("")]
    public void InvalidVariableNamesAreRejected(string name)
    {
        Assert.Throws<ArgumentException>(() => Formula.Parse("1", [name]));
    }

    [Fact]
    public void DuplicateVariableNamesAreRejected()
    {
        Assert.Throws<ArgumentException>(() => Formula.Parse("a", ["a", "a"]));
    }
}

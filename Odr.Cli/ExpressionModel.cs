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
    private double[] betaBuffer = [];
    private double[] xBuffer = [];
    private double[] valueBuffer = [];
    private double[] jacobianBuffer = [];

    private ExpressionModel(CompiledFormula[] formulas, int parameterCount, int inputCount, IReadOnlyList<int> used)
    {
        this.formulas = formulas;
        ParameterCount = parameterCount;
        InputCount = inputCount;
        UsedParameters = used;
    }

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

    /// <summary>Parses and compiles the formulas.</summary>
    /// <param name="texts">Formula texts or aliases.</param>
    /// <param name="inputNames">The input names (column names), in order; m = their count.</param>
    /// <exception cref="CliException">A formula does not parse, or uses no parameter.</exception>
    public static ExpressionModel Create(IReadOnlyList<string> texts, IReadOnlyList<string> inputNames)
    {
        var names = UsableNames(inputNames);
        var parsed = new Formula[texts.Count];
        for (int l = 0; l < texts.Count; l++)
        {
            try
            {
                parsed[l] = Formula.Parse(texts[l], names);
            }
            catch (ExpressionException e)
            {
                string where = texts.Count == 1 ? "--model" : string.Create(CultureInfo.InvariantCulture, $"--model #{l + 1}");
                throw new CliException($"{where} '{texts[l]}': {e.Message}{Caret(texts[l], e.Position)}", e);
            }
        }
        int p = Formula.CombinedParameterCount(parsed);
        if (p == 0) throw new CliException("the model has no parameters: write them as B0, B1, ... or B[0], B[1], ...");
        var compiled = parsed.Select(f => f.Compile(p).Prepare()).ToArray();
        return new ExpressionModel(compiled, p, names.Count, Formula.CombinedUsedParameters(parsed));
    }

    /// <summary>The column names if they are all usable as formula identifiers, else x (one input) or x0, x1, ...</summary>
    /// <param name="columnNames">The column names.</param>
    public static IReadOnlyList<string> UsableNames(IReadOnlyList<string> columnNames)
    {
        try
        {
            Formula.Parse("0", columnNames);
            return columnNames;
        }
        catch (ArgumentException)
        {
            return columnNames.Count == 1 ? ["x"] : [.. Enumerable.Range(0, columnNames.Count).Select(j => string.Create(CultureInfo.InvariantCulture, $"x{j}"))];
        }
    }

    private static string Caret(string text, int position)
    {
        if (position < 0 || position > text.Length) return "";
        string before = text[..position];
        string after = text[position..];
        return $" ({before}»{after})";
    }

    /// <summary>The ODRPACK model.</summary>
    /// <param name="isImplicit">True for an implicit fit (the formulas are zero on the curve).</param>
    public Model ToModel(bool isImplicit) =>
        new(Evaluate, JacobianBeta, JacobianX, isImplicit, isImplicit ? formulas.Length : 1) { Name = string.Join("; ", Texts) };

    /// <summary>Evaluates all formulas, observation-major f[i*q + l].</summary>
    /// <param name="beta">The parameters.</param>
    /// <param name="x">Inputs, observation-major.</param>
    /// <param name="f">Destination.</param>
    public void Evaluate(ReadOnlySpan<double> beta, ReadOnlySpan<double> x, Span<double> f)
    {
        int n = Load(beta, x);
        int q = formulas.Length;
        var values = Buffer(ref valueBuffer, n);
        for (int l = 0; l < q; l++)
        {
            formulas[l].Evaluate(betaBuffer, xBuffer, n, values);
            for (int i = 0; i < n; i++) f[i * q + l] = values[i];
        }
    }

    private void JacobianBeta(ReadOnlySpan<double> beta, ReadOnlySpan<double> x, Span<double> jac) => Jacobian(beta, x, jac, withRespectToBeta: true);

    private void JacobianX(ReadOnlySpan<double> beta, ReadOnlySpan<double> x, Span<double> jac) => Jacobian(beta, x, jac, withRespectToBeta: false);

    /// <summary>Every formula's Jacobian rows (width p for beta, m for x), observation-major
    /// jac[((i*q + l) * width) + k].</summary>
    private void Jacobian(ReadOnlySpan<double> beta, ReadOnlySpan<double> x, Span<double> jac, bool withRespectToBeta)
    {
        int n = Load(beta, x);
        int q = formulas.Length, width = withRespectToBeta ? ParameterCount : InputCount;
        var buffer = Buffer(ref jacobianBuffer, n * Math.Max(ParameterCount, InputCount));
        for (int l = 0; l < q; l++)
        {
            if (withRespectToBeta) formulas[l].JacobianBeta(betaBuffer, xBuffer, n, buffer);
            else formulas[l].JacobianX(betaBuffer, xBuffer, n, buffer);
            for (int i = 0; i < n; i++)
            {
                buffer.AsSpan(i * width, width).CopyTo(jac.Slice((i * q + l) * width, width));
            }
        }
    }

    private int Load(ReadOnlySpan<double> beta, ReadOnlySpan<double> x)
    {
        var b = Buffer(ref betaBuffer, beta.Length);
        beta.CopyTo(b);
        var xb = Buffer(ref xBuffer, x.Length);
        x.CopyTo(xb);
        return x.Length / InputCount;
    }

    private static double[] Buffer(ref double[] buffer, int length)
    {
        if (buffer.Length != length) buffer = new double[length];
        return buffer;
    }
}

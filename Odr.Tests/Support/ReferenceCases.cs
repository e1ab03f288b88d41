using System.Text.Json;
using Odr.Expressions;

namespace Odr.Tests.Support;

/// <summary>Loads ODRPACK's own results (../shared/reference/odr-cases.json, copied into Data/) and
/// builds the library's inputs from them.</summary>
public static class ReferenceCases
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "odr-cases.json"))));

    public static IEnumerable<JsonElement> All => Document.Value.RootElement.GetProperty("cases").EnumerateArray();

    public static JsonElement Get(string name) => All.First(c => c.GetProperty("name").GetString() == name);

    public static IEnumerable<object[]> Names(Func<JsonElement, bool> filter) =>
        All.Where(filter).Select(c => new object[] { c.GetProperty("name").GetString()! });

    public static bool IsNull(this JsonElement e, string property) =>
        !e.TryGetProperty(property, out var v) || v.ValueKind == JsonValueKind.Null;

    public static double[] Doubles(this JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static int[] Ints(this JsonElement e) => e.EnumerateArray().Select(v => v.GetInt32()).ToArray();

    /// <summary>A nested JSON array as an NdArray of its shape.</summary>
    public static NdArray ToNdArray(this JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Number) return e.GetDouble();
        var shape = new List<int>();
        var cur = e;
        while (cur.ValueKind == JsonValueKind.Array)
        {
            shape.Add(cur.GetArrayLength());
            cur = cur[0];
        }
        var values = new List<double>();
        Flatten(e, values);
        return NdArray.FromShape(shape.ToArray(), values.ToArray());

        static void Flatten(JsonElement a, List<double> acc)
        {
            if (a.ValueKind == JsonValueKind.Array)
            {
                foreach (var v in a.EnumerateArray()) Flatten(v, acc);
            }
            else
            {
                acc.Add(a.GetDouble());
            }
        }
    }

    /// <summary>The case's model with its formulas (and analytic Jacobian formulas when given),
    /// compiled by Odr.Expressions.</summary>
    public static Model BuildModel(JsonElement c)
    {
        int m = c.GetProperty("m").GetInt32();
        int q = c.GetProperty("q").GetInt32();
        int p = c.GetProperty("p").GetInt32();
        bool isImplicit = c.GetProperty("kind").GetString() == "implicit";
        // Name every input so that a derivative formula using fewer inputs keeps the stride m.
        string[] names = m == 1 ? new[] { "x" } : Enumerable.Range(0, m).Select(j => $"x{j}").ToArray();
        var f = c.GetProperty("model").EnumerateArray().Select(t => CompiledFormula.Compile(t.GetString()!, names, p)).ToArray();
        CompiledFormula[][]? jb = c.IsNull("fjacb") ? null : c.GetProperty("fjacb").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(t => CompiledFormula.Compile(t.GetString()!, names, p)).ToArray()).ToArray();
        CompiledFormula[][]? jd = c.IsNull("fjacd") ? null : c.GetProperty("fjacd").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(t => CompiledFormula.Compile(t.GetString()!, names, p)).ToArray()).ToArray();
        return FormulaModel(f, jb, jd, m, q, p, isImplicit);
    }

    public static Model FormulaModel(CompiledFormula[] f, CompiledFormula[][]? jb, CompiledFormula[][]? jd, int m, int q, int p, bool isImplicit)
    {
        void Eval(CompiledFormula[] formulas, ReadOnlySpan<double> beta, ReadOnlySpan<double> x, Span<double> dst, int stride, int offset)
        {
            int n = x.Length / m;
            var b = beta.ToArray();
            var xs = x.ToArray();
            var tmp = new double[n];
            for (int l = 0; l < formulas.Length; l++)
            {
                formulas[l].Evaluate(b, xs, n, tmp);
                for (int i = 0; i < n; i++) dst[i * stride + offset + l] = tmp[i];
            }
        }

        ModelFunction fcn = (beta, x, dst) => Eval(f, beta, x, dst, q, 0);
        ModelJacobian? fjacb = jb is null ? null : (beta, x, dst) =>
        {
            // dst[(i*q + l)*p + k]
            for (int l = 0; l < q; l++)
            {
                for (int k = 0; k < p; k++) Eval(new[] { jb[l][k] }, beta, x, dst, q * p, l * p + k);
            }
        };
        ModelJacobian? fjacd = jd is null ? null : (beta, x, dst) =>
        {
            for (int l = 0; l < q; l++)
            {
                for (int j = 0; j < m; j++) Eval(new[] { jd[l][j] }, beta, x, dst, q * m, l * m + j);
            }
        };
        return new Model(fcn, fjacb, fjacd, isImplicit, isImplicit ? q : 1);
    }

    /// <summary>The case's ODR set up as scipy.odr was, with the weights exactly as passed to ODRPACK.</summary>
    public static ODR BuildOdr(JsonElement c, int? maxitOverride = null, Model? modelOverride = null)
    {
        var model = modelOverride ?? BuildModel(c);
        NdArray x = c.GetProperty("x").ToNdArray();
        NdArray? y = c.IsNull("y") ? null : c.GetProperty("y").ToNdArray();
        NdArray? we = c.IsNull("we") ? null : c.GetProperty("we").ToNdArray();
        NdArray? wd = c.IsNull("wd") ? null : c.GetProperty("wd").ToNdArray();
        var data = new Data(x, y, we, wd);
        var o = c.GetProperty("options");
        var odr = new ODR(
            data,
            model,
            c.GetProperty("beta0").Doubles(),
            delta0: c.IsNull("delta0") ? null : c.GetProperty("delta0").ToNdArray(),
            ifixb: c.IsNull("ifixb") ? null : c.GetProperty("ifixb").Ints(),
            ifixx: c.IsNull("ifixx") ? null : c.GetProperty("ifixx").ToNdArray(),
            job: c.GetProperty("job").GetInt32() % 10000,
            maxit: maxitOverride ?? (o.TryGetProperty("maxit", out var mi) ? mi.GetInt32() : -1),
            sstol: o.TryGetProperty("sstol", out var st) ? st.GetDouble() : -1,
            partol: o.TryGetProperty("partol", out var pt) ? pt.GetDouble() : -1,
            taufac: o.TryGetProperty("taufac", out var tf) ? tf.GetDouble() : 0,
            stpb: o.TryGetProperty("stpb", out var sb) ? sb.Doubles() : null,
            sclb: o.TryGetProperty("sclb", out var cb) ? cb.Doubles() : null,
            stpd: o.TryGetProperty("stpd", out var sd) ? sd.ToNdArray() : null,
            scld: o.TryGetProperty("scld", out var cd) ? cd.ToNdArray() : null);
        // ODRPACK's own first step with checked analytic derivatives (the checker's raw Jacobian;
        // see Solver.CheckerJacobianServesFirstIteration), so that its reports and counts compare.
        odr.OdrpackCheckedFirstJacobian = true;
        return odr;
    }
}

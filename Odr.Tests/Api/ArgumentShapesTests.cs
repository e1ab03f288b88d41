namespace Odr.Tests.Api;

/// <summary>
/// The shapes each array argument accepts (<see cref="ArgumentShapes"/>), through the public
/// constructors, against a table written here from scipy.odr's documentation of Data, RealData and
/// ODR (we/wd: scalar, (n,) for one variable, (d,), (d, d), (d, n), (d, d, n); covx/covy: the
/// covariance matrix shared or per observation, or n variances for one variable; fix/ifixx and
/// stpd/scld: per input and observation, broadcast from (m,); delta0: the shape of x). A refused shape
/// gets one message style naming the argument, its shape and the shapes accepted.
/// </summary>
public class ArgumentShapesTests
{
    private const int N = 5;

    /// <summary>An array of the shape: identity matrices where the shape holds square blocks, the
    /// constant elsewhere (valid values for every argument, so only the shape decides).</summary>
    private static NdArray Filled(int[] shape, double value, int dim)
    {
        int count = shape.Aggregate(1, (a, b) => a * b);
        var v = new double[count];
        bool square = shape.Length >= 2 && shape[0] == dim && shape[1] == dim && dim > 1;
        if (square)
        {
            int blocks = shape.Length == 3 ? shape[2] : 1;
            for (int r = 0; r < dim; r++)
            {
                for (int i = 0; i < blocks; i++) v[(r * dim + r) * blocks + i] = value;
            }
        }
        else
        {
            Array.Fill(v, value);
        }
        return NdArray.FromShape(shape, v);
    }

    private static double[,] X(int m)
    {
        var x = new double[m, N];
        for (int j = 0; j < m; j++)
        {
            for (int i = 0; i < N; i++) x[j, i] = i + 0.3 * j * j + 0.1 * i * i * j;
        }
        return x;
    }

    private static double[,] Y(int q)
    {
        var y = new double[q, N];
        for (int l = 0; l < q; l++)
        {
            for (int i = 0; i < N; i++) y[l, i] = 1 + 2 * i + 0.1 * ((i * (l + 3)) % 4);
        }
        return y;
    }

    private static Model Linear(int m, int q) => new(m, q, (b, x, y) =>
    {
        for (int l = 0; l < q; l++)
        {
            y[l] = b[0] + l * b[0];
            for (int j = 0; j < x.Length; j++) y[l] += b[1] * x[j];
        }
    });

    /// <summary>Builds (and for ODR's arguments runs) a fit with <paramref name="argument"/> of the shape.</summary>
    private static void Use(string argument, int dim, int[] shape)
    {
        switch (argument)
        {
            case "we":
                _ = new Data(X(1), Y(dim), we: Filled(shape, 2.0, dim));
                break;
            case "wd":
                _ = new Data(X(dim), Y(1), wd: Filled(shape, 2.0, dim));
                break;
            case "sy":
                _ = new RealData(X(1), Y(dim), sy: Filled(shape, 0.5, dim));
                break;
            case "covx":
                _ = new RealData(X(dim), Y(1), covx: Filled(shape, 0.25, dim));
                break;
            case "covy":
                _ = new RealData(X(1), Y(dim), covy: Filled(shape, 0.25, dim));
                break;
            case "fix":
                _ = new Data(X(dim), Y(1), fix: Filled(shape, 1, dim));
                break;
            case "rxy":
                _ = new RealData(X(1), Y(1), sx: 0.1, sy: 0.1, rxy: Filled(shape, 0.2, dim));
                break;
            default:
                {
                    var a = Filled(shape, argument == "delta0" ? 0.01 : 1e-3, dim);
                    var odr = argument switch
                    {
                        "ifixx" => new ODR(new Data(X(dim), Y(1)), Linear(dim, 1), new[] { 1.0, 1.0 }, ifixx: a),
                        "stpd" => new ODR(new Data(X(dim), Y(1)), Linear(dim, 1), new[] { 1.0, 1.0 }, stpd: a),
                        "scld" => new ODR(new Data(X(dim), Y(1)), Linear(dim, 1), new[] { 1.0, 1.0 }, scld: a),
                        _ => new ODR(new Data(X(dim), Y(1)), Linear(dim, 1), new[] { 1.0, 1.0 }, delta0: a),
                    };
                    odr.MaxIt = 1;
                    odr.Run();
                    break;
                }
        }
    }

    // The accepted shapes, from scipy.odr's documentation (n = 5).
    public static IEnumerable<object[]> Table()
    {
        object[] Row(string argument, int dim, int[] shape, bool accepted) => new object[] { argument, dim, shape, accepted };
        // sy is read as weights 1/sy²: the shapes of we.
        yield return Row("sy", 2, Array.Empty<int>(), true);
        yield return Row("sy", 2, new[] { 2 }, true);
        yield return Row("sy", 2, new[] { 2, N }, true);
        yield return Row("sy", 2, new[] { N }, false);
        yield return Row("sy", 1, new[] { N }, true);
        yield return Row("sy", 1, new[] { N + 1 }, false);
        foreach (string w in new[] { "we", "wd" })
        {
            // Two variables.
            yield return Row(w, 2, Array.Empty<int>(), true);
            yield return Row(w, 2, new[] { 2 }, true);
            yield return Row(w, 2, new[] { 2, 2 }, true);
            yield return Row(w, 2, new[] { 2, N }, true);
            yield return Row(w, 2, new[] { 2, 2, N }, true);
            yield return Row(w, 2, new[] { 2, 2, 1 }, true);
            yield return Row(w, 2, new[] { N }, false);
            yield return Row(w, 2, new[] { 3 }, false);
            yield return Row(w, 2, new[] { N, 2 }, false);
            yield return Row(w, 2, new[] { 2, 2, 3 }, false);

            // One variable.
            yield return Row(w, 1, Array.Empty<int>(), true);
            yield return Row(w, 1, new[] { N }, true);
            yield return Row(w, 1, new[] { 1 }, true);
            yield return Row(w, 1, new[] { 1, N }, true);
            yield return Row(w, 1, new[] { 1, 1, N }, true);
            yield return Row(w, 1, new[] { 1, 1, 1 }, true);
            yield return Row(w, 1, new[] { N - 1 }, false);
            yield return Row(w, 1, new[] { N, 1 }, false);
        }
        foreach (string c in new[] { "covx", "covy" })
        {
            yield return Row(c, 2, new[] { 2, 2 }, true);
            yield return Row(c, 2, new[] { 2, 2, N }, true);
            yield return Row(c, 2, Array.Empty<int>(), false);
            yield return Row(c, 2, new[] { 2 }, false);
            yield return Row(c, 2, new[] { 2, N }, false);
            yield return Row(c, 2, new[] { 2, 2, 1 }, false);
            yield return Row(c, 1, new[] { N }, true);
            yield return Row(c, 1, new[] { 1 }, true);
            yield return Row(c, 1, new[] { 1, 1, N }, true);
            yield return Row(c, 1, Array.Empty<int>(), false);
            yield return Row(c, 1, new[] { 1, 1 }, false);
        }
        foreach (string f in new[] { "fix", "ifixx" })
        {
            yield return Row(f, 2, new[] { 2 }, true);
            yield return Row(f, 2, new[] { 2, N }, true);
            yield return Row(f, 2, Array.Empty<int>(), false);
            yield return Row(f, 2, new[] { N }, false);
            yield return Row(f, 2, new[] { 2, 2 }, false);
            yield return Row(f, 1, new[] { N }, true);
            yield return Row(f, 1, new[] { 1 }, true);
            yield return Row(f, 1, new[] { 1, N }, true);
            yield return Row(f, 1, Array.Empty<int>(), false);
        }
        foreach (string s in new[] { "stpd", "scld" })
        {
            yield return Row(s, 2, Array.Empty<int>(), true);
            yield return Row(s, 2, new[] { 2 }, true);
            yield return Row(s, 2, new[] { 2, N }, true);
            yield return Row(s, 2, new[] { N }, false);
            yield return Row(s, 2, new[] { 2, 2 }, false);
            yield return Row(s, 1, new[] { N }, true);
            yield return Row(s, 1, new[] { 1, N }, true);
            yield return Row(s, 1, new[] { 3 }, false);
        }
        yield return Row("delta0", 2, new[] { 2, N }, true);
        yield return Row("delta0", 2, new[] { 2 }, false);
        yield return Row("delta0", 2, Array.Empty<int>(), false);
        yield return Row("delta0", 1, new[] { N }, true);
        yield return Row("delta0", 1, new[] { 1, N }, true);
        yield return Row("delta0", 1, new[] { 1 }, false);
        yield return Row("rxy", 1, Array.Empty<int>(), true);
        yield return Row("rxy", 1, new[] { N }, true);
        yield return Row("rxy", 1, new[] { 1 }, true);
        yield return Row("rxy", 1, new[] { 2 }, false);
        yield return Row("rxy", 1, new[] { 1, N }, false);
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void EachArgumentAcceptsItsShapesAndNamesThemOtherwise(string argument, int dim, int[] shape, bool accepted)
    {
        if (accepted)
        {
            Use(argument, dim, shape);
            return;
        }
        var e = Assert.ThrowsAny<ArgumentException>(() => Use(argument, dim, shape));
        Assert.Equal(argument, e.ParamName);
        string shown = shape.Length == 0 ? "()" : shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";
        Assert.StartsWith($"{argument} has shape {shown}; expected ", e.Message);
        // The accepted shapes are listed with this data's sizes.
        Assert.Contains(dim == 1 ? $"({N},)" : argument is "covx" or "covy" ? "(2, 2)" : $"(2, {N})", e.Message);
    }

    /// <summary>The shapes that mean the same per-input values (a scalar, (m,), (m, n)) are one
    /// normalized array: the fits are the same bits.</summary>
    [Fact]
    public void EquivalentShapesOfPerInputSettingsFitTheSameBits()
    {
        var data = new Data(X(2), Y(1));
        Output Fit(NdArray stpd, NdArray scld, NdArray ifixx)
        {
            var odr = new ODR(data, Linear(2, 1), new[] { 1.0, 1.0 }, stpd: stpd, scld: scld, ifixx: ifixx);
            return odr.Run();
        }

        var scalar = Fit(1e-4, 2.0, new[] { 1, 1 });
        var perInput = Fit(new[] { 1e-4, 1e-4 }, new[] { 2.0, 2.0 }, new[] { 1, 1 });
        var full = Fit(Filled(new[] { 2, N }, 1e-4, 1), Filled(new[] { 2, N }, 2.0, 1), Filled(new[] { 2, N }, 1, 1));
        foreach (var other in new[] { perInput, full })
        {
            Assert.Equal(scalar.Beta, other.Beta);
            Assert.Equal(scalar.SdBeta, other.SdBeta);
            Assert.Equal(scalar.Delta, other.Delta);
            Assert.Equal(scalar.Iterations, other.Iterations);
        }
    }

    /// <summary>A wrong shape is refused even when its first value asks for ODRPACK's default
    /// (a non-positive first stpd/scld), as scipy, whose numpy shapes are checked before ODRPACK
    /// reads the value; before, it was silently taken as the default.</summary>
    [Fact]
    public void AWrongShapeIsRefusedEvenWhenItAsksForTheDefault()
    {
        var odr = new ODR(new Data(X(2), Y(1)), Linear(2, 1), new[] { 1.0, 1.0 }, scld: new[] { -1.0, 1, 1 });
        var e = Assert.Throws<ArgumentException>(() => odr.Run());
        Assert.Equal("scld", e.ParamName);
        Assert.Contains("has shape (3,)", e.Message);

        // The right shape with a non-positive first value still means the default scales.
        var byDefault = new ODR(new Data(X(2), Y(1)), Linear(2, 1), new[] { 1.0, 1.0 }, scld: new[] { -1.0, 1 }).Run();
        var none = new ODR(new Data(X(2), Y(1)), Linear(2, 1), new[] { 1.0, 1.0 }).Run();
        Assert.Equal(none.Beta, byDefault.Beta);
    }
}

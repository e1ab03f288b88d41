using Odr.Tests.Support;

namespace Odr.Tests.Api;

/// <summary>
/// <see cref="OdrOptions"/>, the typed settings with null for ODRPACK's defaults, against the
/// scipy/ODRPACK compatibility layer: the integer JOB (digits as scipy's <c>set_job</c> documents
/// them, written out here) and the sentinels of the constructor (negative sstol/partol/maxit, 0
/// taufac/ndigit for the defaults). Both must give the same fit, bit for bit.
/// </summary>
public class OdrOptionsTests
{
    private static readonly double[] X = { 0.1, 0.9, 2.1, 2.9, 4.2, 5.0, 5.8, 7.1 };
    private static readonly double[] Y = { 1.2, 1.9, 3.2, 4.6, 7.4, 9.9, 13.1, 19.6 };

    // y = b0·exp(b1·x) + b2, with analytic Jacobians for the analytic derivative modes.
    private static Model ExpModel() => new(
        (b, x) => b[0] * Math.Exp(b[1] * x) + b[2],
        (b, x, g) =>
        {
            g[0] = Math.Exp(b[1] * x);
            g[1] = b[0] * x * Math.Exp(b[1] * x);
            g[2] = 1;
        },
        (b, x) => b[0] * b[1] * Math.Exp(b[1] * x));

    private static Data ExpData() => new RealData(X, Y, sx: 0.1, sy: 0.3);

    private static readonly double[] Beta0 = { 1.0, 0.3, 0.5 };

    public static IEnumerable<object[]> Combinations()
    {
        // fit type digit, deriv digit, var_calc digit, sstol, partol, maxit, taufac, ndigit
        yield return new object[] { 0, 0, 0, null!, null!, null!, null!, null! };
        yield return new object[] { 0, 1, 0, 1e-10, null!, null!, null!, null! };
        yield return new object[] { 0, 2, 1, null!, 1e-9, 30, null!, null! };
        yield return new object[] { 0, 3, 2, 1e-12, 1e-12, 3, 0.5, 10 };
        yield return new object[] { 2, 0, 0, null!, null!, null!, 0.1, null! };
        yield return new object[] { 2, 1, 1, null!, null!, 0, null!, 12 };
        yield return new object[] { 2, 3, 0, 1e-6, 1e-4, 100, 1.0, null! };
        yield return new object[] { 0, 0, 2, null!, null!, 5, null!, 8 };
    }

    private static readonly FitKind[] FitByDigit = { FitKind.ExplicitOdr, FitKind.ImplicitOdr, FitKind.OrdinaryLeastSquares };
    private static readonly DerivativeKind[] DerivativeByDigit =
    {
        DerivativeKind.ForwardDifference, DerivativeKind.CentralDifference, DerivativeKind.AnalyticChecked, DerivativeKind.AnalyticUnchecked,
    };

    private static readonly CovarianceKind[] CovarianceByDigit = { CovarianceKind.FreshJacobian, CovarianceKind.LastJacobian, CovarianceKind.None };

    [Theory]
    [MemberData(nameof(Combinations))]
    public void TypedOptionsAndIntegerJobGiveTheSameFit(int fitType, int deriv, int varCalc, double? sstol, double? partol, int? maxit, double? taufac, int? ndigit)
    {
        int job = 100 * varCalc + 10 * deriv + fitType;
        var compat = new ODR(
            ExpData(),
            ExpModel(),
            Beta0,
            job: job,
            sstol: sstol ?? -1,
            partol: partol ?? -1,
            maxit: maxit ?? -1,
            taufac: taufac ?? 0,
            ndigit: ndigit ?? 0);
        var options = new OdrOptions
        {
            Fit = FitByDigit[fitType],
            Derivative = DerivativeByDigit[deriv],
            Covariance = CovarianceByDigit[varCalc],
            SsTol = sstol,
            ParTol = partol,
            MaxIt = maxit,
            TauFac = taufac,
            NDigit = ndigit,
        };
        var typed = new ODR(ExpData(), ExpModel(), Beta0, options);
        var viaProperty = new ODR(ExpData(), ExpModel(), Beta0) { Options = options };
        Assert.Equal(job, typed.Job);
        Assert.Equal(job, viaProperty.Job);
        Assert.Equal(options, compat.Options);

        var expected = compat.Run();
        FitAssert.BitIdentical(expected, typed.Run());
        FitAssert.BitIdentical(expected, viaProperty.Run());
    }


    /// <summary>An implicit model with no Fit given: implicit ODR (JOB 1), as the integer constructor
    /// chooses; delta0 sets JOB's del_init digit (1000) in both.</summary>
    [Fact]
    public void DefaultsFollowTheModelAndDelta0AsTheIntegerConstructor()
    {
        var c = Odr.Tests.Support.ReferenceCases.Get("ug_implicit_ellipse");
        var data = new Data(Odr.Tests.Support.ReferenceCases.ToNdArray(c.GetProperty("x")));
        var beta0 = Odr.Tests.Support.ReferenceCases.Doubles(c.GetProperty("beta0"));
        var model = new Model(2, 1, (b, x, y) => y[0] = b[2] * (x[0] - b[0]) * (x[0] - b[0]) + 2 * b[3] * (x[0] - b[0]) * (x[1] - b[1]) + b[4] * (x[1] - b[1]) * (x[1] - b[1]) - 1, isImplicit: true);
        var compat = new ODR(data, model, beta0);
        var typed = new ODR(data, model, beta0, new OdrOptions());
        Assert.Equal(1, compat.Job);
        Assert.Equal(1, typed.Job);
        FitAssert.BitIdentical(compat.Run(), typed.Run());

        var delta0 = new double[2, data.N];
        delta0[0, 3] = 0.01;
        var compatDelta = new ODR(data, model, beta0, delta0: delta0);
        var typedDelta = new ODR(data, model, beta0, new OdrOptions(), delta0: delta0);
        Assert.Equal(1001, compatDelta.Job);
        Assert.Equal(1001, typedDelta.Job);
        FitAssert.BitIdentical(compatDelta.Run(), typedDelta.Run());
    }

    /// <summary>The constructor's sstol/partol/maxit/taufac/ndigit are nullable: null, left out, and
    /// ODRPACK's default sentinels (a negative tolerance, maxit -1, taufac and ndigit 0) are the
    /// same fit, and read back as null.</summary>
    [Fact]
    public void NullOmittedAndSentinelAreTheSameDefault()
    {
        var omitted = new ODR(ExpData(), ExpModel(), Beta0);
        var nulls = new ODR(ExpData(), ExpModel(), Beta0, sstol: null, partol: null, maxit: null, taufac: null, ndigit: null);
        var sentinels = new ODR(ExpData(), ExpModel(), Beta0, sstol: -1, partol: -5.0, maxit: -1, taufac: 0, ndigit: 0);
        var expected = new OdrOptions { Fit = FitKind.ExplicitOdr };
        Assert.Equal(expected, omitted.Options);
        Assert.Equal(expected, nulls.Options);
        Assert.Equal(expected, sentinels.Options);
        var reference = omitted.Run();
        FitAssert.BitIdentical(reference, nulls.Run());
        FitAssert.BitIdentical(reference, sentinels.Run());
    }

    [Fact]
    public void OptionsReadTheIntegerSettings()
    {
        var odr = new ODR(ExpData(), ExpModel(), Beta0, sstol: 1e-9, maxit: 7) { MaxDegreeOfParallelism = 2, ParallelModelEvaluation = true, BoundsMethod = BoundsMethod.Odrpack95 };
        odr.SetJob(fitType: 2, deriv: 1, varCalc: 2);
        odr.TauFac = 0.25;
        odr.NDigit = 9;
        var expected = new OdrOptions
        {
            Fit = FitKind.OrdinaryLeastSquares,
            Derivative = DerivativeKind.CentralDifference,
            Covariance = CovarianceKind.None,
            SsTol = 1e-9,
            MaxIt = 7,
            TauFac = 0.25,
            NDigit = 9,
            MaxDegreeOfParallelism = 2,
            ParallelModelEvaluation = true,
            BoundsMethod = BoundsMethod.Odrpack95,
        };
        Assert.Equal(expected, odr.Options);
    }

    /// <summary>Setting Options writes the fit, derivative and covariance digits and leaves JOB's
    /// del_init and restart digits as they are; every setting it holds is written, null as the
    /// default sentinel.</summary>
    [Fact]
    public void SettingOptionsKeepsTheDelInitAndRestartDigits()
    {
        var odr = new ODR(ExpData(), ExpModel(), Beta0, delta0: new double[X.Length], sstol: 1e-3, taufac: 0.5);
        Assert.Equal(1000, odr.Job);
        odr.Options = new OdrOptions { Derivative = DerivativeKind.AnalyticUnchecked, Covariance = CovarianceKind.LastJacobian };
        Assert.Equal(1130, odr.Job);
        Assert.Equal(-1, odr.SsTol);
        Assert.Equal(0, odr.TauFac);
        Assert.Equal(-1, odr.MaxDegreeOfParallelism);
    }

    public static IEnumerable<object[]> OutOfRange()
    {
        yield return new object[] { new OdrOptions { SsTol = -1e-3 }, "SsTol" };
        yield return new object[] { new OdrOptions { SsTol = double.NaN }, "SsTol" };
        yield return new object[] { new OdrOptions { ParTol = 2 }, "ParTol" };
        yield return new object[] { new OdrOptions { MaxIt = -1 }, "MaxIt" };
        yield return new object[] { new OdrOptions { TauFac = 0 }, "TauFac" };
        yield return new object[] { new OdrOptions { TauFac = 1.5 }, "TauFac" };
        yield return new object[] { new OdrOptions { NDigit = 1 }, "NDigit" };
        yield return new object[] { new OdrOptions { MaxDegreeOfParallelism = 0 }, "MaxDegreeOfParallelism" };
        yield return new object[] { new OdrOptions { Derivative = (DerivativeKind)4 }, "Derivative" };
        yield return new object[] { new OdrOptions { Fit = (FitKind)3 }, "Fit" };
    }

    /// <summary>A typed value has no sentinel: a negative tolerance or maxit is refused, naming the
    /// option, rather than read as "default".</summary>
    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void ValuesOutOfRangeAreRefusedByName(OdrOptions options, string name)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ODR(ExpData(), ExpModel(), Beta0, options));
        Assert.Equal(name, e.ParamName);
        Assert.Contains("OdrOptions." + name, e.Message);
        var odr = new ODR(ExpData(), ExpModel(), Beta0);
        Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => odr.Options = options).ParamName);
    }
}

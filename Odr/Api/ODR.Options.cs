namespace Odr;

public sealed partial class ODR
{
    /// <summary>Sets up a fit with typed options (<see cref="OdrOptions"/>: null for each of
    /// ODRPACK's defaults); the same fit, bit for bit, as the constructor with the integer JOB and
    /// the equivalent settings.</summary>
    /// <param name="data">The data.</param>
    /// <param name="model">The model.</param>
    /// <param name="beta0">Starting parameters; their count is the number of parameters p.</param>
    /// <param name="options">The settings; <c>new OdrOptions()</c> for ODRPACK's defaults.</param>
    /// <param name="delta0">Starting errors in x, the shape of x (delta then starts there: JOB's
    /// del_init digit).</param>
    /// <param name="ifixb">Per parameter: 0 fixed, non-zero free.</param>
    /// <param name="ifixx">0 where an input is known exactly: (n,) for one input, (m,) or [m, n].</param>
    /// <param name="stpb">Relative finite-difference steps for beta.</param>
    /// <param name="stpd">Relative finite-difference steps for delta: (n,) for one input, (m,) or [m, n].</param>
    /// <param name="sclb">Scale of beta.</param>
    /// <param name="scld">Scale of delta: (n,) for one input, (m,) or [m, n].</param>
    /// <param name="lower">Lower bounds on beta.</param>
    /// <param name="upper">Upper bounds on beta.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range (named).</exception>
    public ODR(
        Data data,
        Model model,
        double[] beta0,
        OdrOptions options,
        NdArray? delta0 = null,
        int[]? ifixb = null,
        NdArray? ifixx = null,
        double[]? stpb = null,
        NdArray? stpd = null,
        double[]? sclb = null,
        NdArray? scld = null,
        double[]? lower = null,
        double[]? upper = null)
        : this(
            data,
            model,
            beta0,
            delta0,
            ifixb,
            ifixx,
            job: JobOf(Checked(options), model, delta0 is not null, restart: false),
            iprint: null,
            ndigit: options.NDigit,
            taufac: options.TauFac,
            sstol: options.SsTol,
            partol: options.ParTol,
            maxit: options.MaxIt,
            stpb: stpb,
            stpd: stpd,
            sclb: sclb,
            scld: scld,
            lower: lower,
            upper: upper)
    {
        ApplyRunSettings(options);
        Validate();
    }

    /// <summary>
    /// The settings as typed options, null where ODRPACK's default applies: reads
    /// <see cref="Job"/>'s fit, derivative and covariance digits, <see cref="SsTol"/>,
    /// <see cref="ParTol"/>, <see cref="MaxIt"/>, <see cref="TauFac"/>, <see cref="NDigit"/> (their
    /// default sentinels read as null), <see cref="MaxDegreeOfParallelism"/>,
    /// <see cref="ParallelModelEvaluation"/> and <see cref="BoundsMethod"/>; setting writes them all
    /// (JOB's del_init and restart digits stay as they are).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set with a value out of its range (named), or
    /// read while <see cref="Job"/> holds a digit out of range.</exception>
    public OdrOptions Options
    {
        get
        {
            var job = JobCode.FromValue(Job);
            return new OdrOptions
            {
                Fit = job.Fit,
                Derivative = job.Derivative,
                Covariance = job.Covariance,
                SsTol = SsTol < 0 ? null : SsTol,
                ParTol = ParTol < 0 ? null : ParTol,
                MaxIt = MaxIt < 0 ? null : MaxIt,
                TauFac = TauFac <= 0 ? null : TauFac,
                NDigit = NDigit < 2 ? null : NDigit,
                MaxDegreeOfParallelism = MaxDegreeOfParallelism <= 0 ? null : MaxDegreeOfParallelism,
                ParallelModelEvaluation = ParallelModelEvaluation,
                BoundsMethod = BoundsMethod,
            };
        }

        set
        {
            Checked(value);
            var job = JobCode.FromValue(Job);
            Job = JobOf(value, Model, job.InitialDelta, job.Restart);
            SsTol = value.SsTol ?? -1;
            ParTol = value.ParTol ?? -1;
            MaxIt = value.MaxIt ?? -1;
            TauFac = value.TauFac ?? 0;
            NDigit = value.NDigit ?? 0;
            ApplyRunSettings(value);
        }
    }

    private static OdrOptions Checked(OdrOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }

    /// <summary>JOB for typed options: the fit type defaults to the model's (implicit or explicit ODR).</summary>
    private static int JobOf(OdrOptions options, Model model, bool initialDelta, bool restart) =>
        new JobCode(
            options.Fit ?? (model is { IsImplicit: true } ? FitKind.ImplicitOdr : FitKind.ExplicitOdr),
            options.Derivative,
            options.Covariance,
            initialDelta,
            restart).Value;

    private void ApplyRunSettings(OdrOptions options)
    {
        MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? -1;
        ParallelModelEvaluation = options.ParallelModelEvaluation;
        BoundsMethod = options.BoundsMethod;
    }

    /// <summary>The fit type, typed: reads and writes <see cref="Job"/>'s last digit
    /// (<c>odr.Fit = FitKind.OrdinaryLeastSquares</c> is scipy's <c>set_job(fit_type=2)</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to an undefined value, or read while
    /// <see cref="Job"/> holds a digit out of range.</exception>
    public FitKind Fit
    {
        get => JobCode.FromValue(Job).Fit;
        set => Job = (JobCode.FromValue(Job) with { Fit = Defined(value) }).Value;
    }

    /// <summary>The derivative mode, typed: reads and writes <see cref="Job"/>'s tens digit (scipy's
    /// <c>deriv</c>). The analytic modes need the model's Jacobians.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to an undefined value, or read while
    /// <see cref="Job"/> holds a digit out of range.</exception>
    public DerivativeKind Derivative
    {
        get => JobCode.FromValue(Job).Derivative;
        set => Job = (JobCode.FromValue(Job) with { Derivative = Defined(value) }).Value;
    }

    /// <summary>The covariance mode, typed: reads and writes <see cref="Job"/>'s hundreds digit
    /// (scipy's <c>var_calc</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to an undefined value, or read while
    /// <see cref="Job"/> holds a digit out of range.</exception>
    public CovarianceKind Covariance
    {
        get => JobCode.FromValue(Job).Covariance;
        set => Job = (JobCode.FromValue(Job) with { Covariance = Defined(value) }).Value;
    }

    private static T Defined<T>(T value)
        where T : struct, Enum =>
        Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, $"{value} is not a {typeof(T).Name}.");
}

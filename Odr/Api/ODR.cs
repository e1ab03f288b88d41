using Odr.Core;

namespace Odr;

/// <summary>
/// An orthogonal distance regression, as scipy.odr's <c>ODR</c>: the data, the model, the starting
/// parameters and ODRPACK's options (with scipy's names in C# form). <see cref="Run"/> fits and returns
/// an <see cref="Output"/>; <see cref="Restart"/> continues from where the last run stopped.
/// Not thread-safe; separate instances are independent and may run on separate threads.
/// </summary>
public sealed partial class ODR
{
    private Solver? solver;
    private SolverInput? lastInput;
    private double[] beta0;

    // True while the solver holds a finished run that Restart may continue: false before the first
    // Run and after a Run or Restart that threw (its state is then that of an interrupted iteration).
    private bool restartable;

    /// <summary>Sets up a fit.</summary>
    /// <param name="data">The data.</param>
    /// <param name="model">The model.</param>
    /// <param name="beta0">Starting parameters; their count is the number of parameters p.</param>
    /// <param name="delta0">Starting errors in x (n values or [m, n]); sets the del_init job digit.</param>
    /// <param name="ifixb">Per parameter: 0 fixed, non-zero free.</param>
    /// <param name="ifixx">0 where an input is known exactly: (n,) for one input, (m,) or [m, n]. Defaults to the data's fix.</param>
    /// <param name="job">ODRPACK's JOB as a 5-digit integer, or null for 0 (see <see cref="SetJob"/>).</param>
    /// <param name="iprint">ODRPACK's IPRINT, or null for no report (see <see cref="SetIprint"/>).</param>
    /// <param name="ndigit">Good digits in the model values; null (or, as in ODRPACK, below 2): estimated.</param>
    /// <param name="taufac">Initial trust-region radius factor; null (or, as in ODRPACK, 0 or below): 1.</param>
    /// <param name="sstol">Sum-of-squares tolerance; null (or, as in ODRPACK and scipy, negative): sqrt(eps).</param>
    /// <param name="partol">Parameter tolerance; null (or negative): eps^(2/3), eps^(1/3) implicit.</param>
    /// <param name="maxit">Maximum iterations; null (or -1): 50, and 10 more on a restart.</param>
    /// <remarks>The typed form of these settings, with null for every default, is
    /// <see cref="OdrOptions"/> (the overload that takes one, or <see cref="Options"/>).</remarks>
    /// <param name="stpb">Relative finite-difference steps for beta.</param>
    /// <param name="stpd">Relative finite-difference steps for delta: (n,) for one input, (m,) or [m, n].</param>
    /// <param name="sclb">Scale of beta.</param>
    /// <param name="scld">Scale of delta: (n,) for one input, (m,) or [m, n].</param>
    /// <param name="lower">Lower bounds on beta (ODRPACK95).</param>
    /// <param name="upper">Upper bounds on beta (ODRPACK95).</param>
    public ODR(
        Data data,
        Model model,
        double[] beta0,
        NdArray? delta0 = null,
        int[]? ifixb = null,
        NdArray? ifixx = null,
        int? job = null,
        int? iprint = null,
        int? ndigit = null,
        double? taufac = null,
        double? sstol = null,
        double? partol = null,
        int? maxit = null,
        double[]? stpb = null,
        NdArray? stpd = null,
        double[]? sclb = null,
        NdArray? scld = null,
        double[]? lower = null,
        double[]? upper = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(beta0);
        Data = data;
        Model = model;
        this.beta0 = (double[])beta0.Clone();
        Delta0 = delta0;
        Ifixb = ifixb is null ? null : (int[])ifixb.Clone();
        Ifixx = ifixx;
        Job = job ?? 0;
        Iprint = iprint ?? 0;
        NDigit = ndigit ?? 0;
        TauFac = taufac ?? 0;
        SsTol = sstol ?? -1;
        ParTol = partol ?? -1;
        MaxIt = maxit ?? -1;
        Stpb = stpb;
        Stpd = stpd;
        Sclb = sclb;
        Scld = scld;
        Lower = lower;
        Upper = upper;
        if (delta0 is not null && job is null) Job = 1000;
        if (model.IsImplicit && job is null) Job += 1;
        Validate();
    }

    /// <summary>The data.</summary>
    public Data Data { get; }

    /// <summary>The model.</summary>
    public Model Model { get; }

    /// <summary>Starting parameters of the next <see cref="Run"/>: read as a copy (writing it changes
    /// nothing), set as a copy (scipy's <c>odr.beta0 = out.beta</c> is <c>odr.Beta0 = o.Beta</c>).
    /// <see cref="Restart"/> ignores it, as scipy's does: a restart continues from the last iterate.</summary>
    public double[] Beta0
    {
        get => (double[])beta0.Clone();
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            beta0 = (double[])value.Clone();
        }
    }

    /// <summary>Starting errors in x; used when JOB's del_init digit (thousands) is 1, which the
    /// constructor sets when it is given delta0 and no job. A delta0 with del_init 0 is refused by
    /// <see cref="Run"/> (ODRPACK would start delta at zero and silently ignore it).</summary>
    public NdArray? Delta0 { get; set; }

    /// <summary>0 for each fixed parameter.</summary>
    public int[]? Ifixb { get; set; }

    /// <summary>0 for each input value known exactly.</summary>
    public NdArray? Ifixx { get; set; }

    /// <summary>ODRPACK's JOB: digits (restart, del_init, var_calc, deriv, fit_type) from the left. A
    /// restart digit of 1 makes <see cref="Run"/> continue the previous fit, as <see cref="Restart"/>
    /// does (scipy's <c>set_job(restart=1); run()</c>).</summary>
    public int Job { get; set; }

    /// <summary>ODRPACK's IPRINT: digits (initial, iterations, iteration step, final) report levels.</summary>
    public int Iprint { get; set; }

    /// <summary>Where reports go (the console when null and <see cref="Iprint"/> asks for one).</summary>
    public TextWriter? ReportWriter { get; set; }

    /// <summary>Good digits in the model values, ODRPACK's NDIGIT (below 2: estimated). Typed, with
    /// null for the default: <see cref="OdrOptions.NDigit"/>.</summary>
    public int NDigit { get; set; }

    /// <summary>Initial trust-region radius factor, ODRPACK's TAUFAC (0 or below: 1; above 1 counts
    /// as 1). Typed: <see cref="OdrOptions.TauFac"/>.</summary>
    public double TauFac { get; set; }

    /// <summary>Sum-of-squares convergence tolerance, ODRPACK's SSTOL (negative: sqrt(eps); above 1
    /// counts as 1). Typed: <see cref="OdrOptions.SsTol"/>.</summary>
    public double SsTol { get; set; }

    /// <summary>Parameter convergence tolerance, ODRPACK's PARTOL (negative: eps^(2/3), eps^(1/3)
    /// implicit; above 1 counts as 1). Typed: <see cref="OdrOptions.ParTol"/>.</summary>
    public double ParTol { get; set; }

    /// <summary>Maximum number of iterations, ODRPACK's MAXIT (-1: 50). Typed:
    /// <see cref="OdrOptions.MaxIt"/>.</summary>
    public int MaxIt { get; set; }

    /// <summary>Relative steps for beta.</summary>
    public double[]? Stpb { get; set; }

    /// <summary>Relative steps for delta.</summary>
    public NdArray? Stpd { get; set; }

    /// <summary>Scale of beta.</summary>
    public double[]? Sclb { get; set; }

    /// <summary>Scale of delta.</summary>
    public NdArray? Scld { get; set; }

    /// <summary>Lower bounds on beta.</summary>
    public double[]? Lower { get; set; }

    /// <summary>Upper bounds on beta.</summary>
    public double[]? Upper { get; set; }

    /// <summary>
    /// How the fit keeps beta inside <see cref="Lower"/> and <see cref="Upper"/>: the active-set method
    /// that reaches the constrained optimum (the default), or ODRPACK95's clipping, bit for bit, for
    /// reproducing old results (see <see cref="Odr.BoundsMethod"/> for its failure mode). With the
    /// active-set method a parameter with lower = upper is fixed at that value (as by ifixb); ODRPACK95
    /// stops with INFO 90010 there, as its noise estimate has no room.
    /// </summary>
    public BoundsMethod BoundsMethod { get; set; } = BoundsMethod.ActiveSet;

    /// <summary>Reproduces ODRPACK's first iteration with checked analytic derivatives (JOB deriv 2),
    /// which uses the checker's Jacobian without the weights and the ifixb packing: wrong whenever WE
    /// is not the identity or a parameter is fixed. Only for tests that compare with ODRPACK's own
    /// reports; the compatibility bounds method implies it.</summary>
    internal bool OdrpackCheckedFirstJacobian { get; set; }

    /// <summary>
    /// Threads a large fit may use for its per-observation work (the elimination of delta in each step,
    /// finite differences and, see <see cref="ParallelModelEvaluation"/>, the model calls), split into
    /// contiguous chunks of observations above a few thousand observations. -1 or 0 (the default): all
    /// cores; 1: serial. The results are identical bit for bit whatever the value.
    /// </summary>
    public int MaxDegreeOfParallelism { get; set; } = -1;

    /// <summary>
    /// Whether the model may be called concurrently on disjoint chunks of observations. Null (the
    /// default): what the model declares (<see cref="Model.IsThreadSafe"/>, false unless set), so the
    /// user's callbacks are called from one thread at a time, as scipy calls them, whatever their form.
    /// Set true only when the model is pure: each observation computed from that observation's inputs
    /// only, with no shared scratch, lock or cache (the solver's own per-observation work is parallel
    /// either way).
    /// </summary>
    public bool? ParallelModelEvaluation { get; set; }

    /// <summary>Whether the step's per-observation kernels run several observations at a time in
    /// SIMD registers (bit-identical to one at a time; tests turn it off to show that).</summary>
    internal bool SimdKernels { get; set; } = true;

    /// <summary>Whether fits with one input and one response run the step's kernels written for 1×1
    /// blocks (bit-identical to the general kernels; tests turn it off to show that).</summary>
    internal bool OneByOneKernels { get; set; } = true;

    /// <summary>Observations from which the step's kernels run in SIMD bundles at all (bit-identical
    /// either way; tests move it to show that).</summary>
    internal int WideLanesMinObservations { get; set; } = SolverInput.DefaultWideLanesMinObservations;

    /// <summary>Jacobian entries from which the trial point forms every response's prediction in one
    /// pass (bit-identical either way; tests move it to show that).</summary>
    internal long FusedPredictionMinEntries { get; set; } = SolverInput.DefaultFusedPredictionMinEntries;

    /// <summary>Whether the trial point's sums over several inputs run in one pass (bit-identical
    /// either way; tests turn it off to show that).</summary>
    internal bool FuseInputs { get; set; } = true;

    /// <summary>ODRPACK's OLMAVG of the last run: the average number of Levenberg-Marquardt steps
    /// (factorizations of the reduced problem) per iteration (the benchmark reports it beside scipy's).</summary>
    internal double AverageLmSteps => solver?.AverageLmSteps ?? 0;

    /// <summary>The result of the last <see cref="Run"/> or <see cref="Restart"/>.</summary>
    public Output? Output { get; private set; }

    /// <summary>Number of parameters.</summary>
    public int P => beta0.Length;

    /// <summary>
    /// Sets JOB's digits as scipy's <c>set_job</c>: fitType 0 explicit ODR, 1 implicit ODR, 2 OLS;
    /// deriv 0 forward differences, 1 central differences, 2 analytic checked, 3 analytic unchecked;
    /// varCalc 0 covariance with a fresh Jacobian, 1 with the last Jacobian, 2 none; delInit 0 delta
    /// starts at zero, 1 at delta0; restart 0 fresh, 1 continue. Null leaves a digit as it is.
    /// </summary>
    /// <param name="fitType">Fit type digit.</param>
    /// <param name="deriv">Derivative digit.</param>
    /// <param name="varCalc">Covariance digit.</param>
    /// <param name="delInit">Delta initialization digit.</param>
    /// <param name="restart">Restart digit.</param>
    public void SetJob(int? fitType = null, int? deriv = null, int? varCalc = null, int? delInit = null, int? restart = null)
    {
        int[] digits = { Job / 10000 % 10, Job / 1000 % 10, Job / 100 % 10, Job / 10 % 10, Job % 10 };
        if (fitType is { } ft) digits[4] = Check(ft, 0, 2, nameof(fitType));
        if (deriv is { } d) digits[3] = Check(d, 0, 3, nameof(deriv));
        if (varCalc is { } v) digits[2] = Check(v, 0, 2, nameof(varCalc));
        if (delInit is { } di) digits[1] = Check(di, 0, 1, nameof(delInit));
        if (restart is { } r) digits[0] = Check(r, 0, 1, nameof(restart));
        Job = digits[0] * 10000 + digits[1] * 1000 + digits[2] * 100 + digits[3] * 10 + digits[4];

        static int Check(int value, int min, int max, string name) =>
            value >= min && value <= max ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and {max}.");
    }

    /// <summary>
    /// Sets IPRINT's digits as scipy's <c>set_iprint</c>: each report 0 none, 1 short, 2 long; iterStep
    /// prints every k-th iteration (0–9).
    /// </summary>
    /// <param name="init">Initial summary level.</param>
    /// <param name="iter">Iteration report level.</param>
    /// <param name="iterStep">Report every iterStep-th iteration.</param>
    /// <param name="final">Final summary level.</param>
    public void SetIprint(int init = 0, int iter = 0, int iterStep = 0, int final = 0)
    {
        if (init is < 0 or > 2) throw new ArgumentOutOfRangeException(nameof(init), init, "Report levels are 0, 1 or 2.");
        if (iter is < 0 or > 2) throw new ArgumentOutOfRangeException(nameof(iter), iter, "Report levels are 0, 1 or 2.");
        if (final is < 0 or > 2) throw new ArgumentOutOfRangeException(nameof(final), final, "Report levels are 0, 1 or 2.");
        if (iterStep is < 0 or > 9) throw new ArgumentOutOfRangeException(nameof(iterStep), iterStep, "The iteration step is 0 to 9.");
        Iprint = init * 1000 + iter * 100 + iterStep * 10 + final;
    }

    /// <summary>Runs the fit (ODRPACK's DODR/DODC). With JOB's restart digit set it continues the
    /// previous fit instead, as <see cref="Restart"/> with <see cref="MaxIt"/> further iterations (10
    /// when negative).</summary>
    /// <param name="cancellation">Checked before every model call: the fit stops within one call of
    /// the model after a cancel, with <see cref="OperationCanceledException"/>.</param>
    public Output Run(CancellationToken cancellation = default)
    {
        if (JobCode.FromValue(Job).Restart)
        {
            if (!restartable) throw new InvalidOperationException("JOB's restart digit (ten-thousands) asks Run to continue a previous fit, but there is none to continue" + (solver is null ? "" : " (the last run threw)") + "; run with restart 0 first.");
            return Restart(MaxIt >= 0 ? MaxIt : null, cancellation);
        }
        Validate();
        var input = BuildInput();
        restartable = false;
        lastInput = input;
        solver = new Solver(input, Model) { Cancellation = cancellation };
        solver.CancelModelCallsWith(cancellation);
        AttachReports(solver);
        try
        {
            solver.RunFit(beta0);
            Output = OutputBuilder.Build(solver.Snapshot(), Data);
            restartable = true;
            return Output;
        }
        catch (OperationCanceledException)
        {
            // A cancel stops between model calls with the solver's state intact: once the first
            // iteration has begun (the set-up done), Restart may continue from it.
            restartable = solver.Iterations > 0 && solver.Info < 10000;
            throw;
        }
        finally
        {
            solver.ReleaseScratch();
        }
    }

    /// <summary>Continues the last fit for up to <paramref name="iter"/> more iterations (10 when
    /// null or negative), as scipy's <c>restart</c>: the iterates are those of one uninterrupted run.
    /// It continues from the last iterate, not from <see cref="Beta0"/>.</summary>
    /// <param name="iter">Further iterations (at most int.MaxValue in all, counting those done).</param>
    /// <param name="cancellation">Checked before every model call (see <see cref="Run"/>).</param>
    public Output Restart(int? iter = null, CancellationToken cancellation = default)
    {
        if (solver is null || lastInput is null) throw new InvalidOperationException("Restart needs a previous Run.");
        if (!restartable) throw new InvalidOperationException("The last Run or Restart threw (or was cancelled before its first iteration), so there is no fit to continue; Run again.");
        if (solver.Info >= 10000) throw new InvalidOperationException($"The previous run ended with the fatal error {solver.Info}; fix the problem and Run again.");
        int more = iter is >= 0 ? iter.Value : 10;
        more = Math.Min(more, int.MaxValue - solver.Iterations); // the iteration limit is done + more
        solver.Cancellation = cancellation;
        solver.CancelModelCallsWith(cancellation);
        AttachReports(solver);
        restartable = false;
        try
        {
            solver.Restart(more);
            Output = OutputBuilder.Build(solver.Snapshot(), Data);
            restartable = true;
            return Output;
        }
        catch (OperationCanceledException)
        {
            restartable = solver.Info < 10000; // cancelled between model calls: still continuable
            throw;
        }
        finally
        {
            solver.ReleaseScratch();
        }
    }

    private void AttachReports(Solver s)
    {
        if (Iprint == 0)
        {
            s.Observer = null;
            return;
        }
        s.Observer = new Reports.IterationReport(ReportWriter ?? Console.Out, new IprintCode(Iprint));
    }

    private void Validate()
    {
        if (beta0.Length < 1) throw new ArgumentException("beta0 must hold at least one parameter.", "beta0");
        for (int k = 0; k < beta0.Length; k++)
        {
            if (!double.IsFinite(beta0[k])) throw new ArgumentException($"beta0[{k}] is {beta0[k]}; every starting value must be finite.", "beta0");
        }
        if (Delta0 is not null && !JobCode.FromValue(Job).InitialDelta) throw new ArgumentException("delta0 is given but JOB's del_init digit (thousands) is 0, so ODRPACK would start delta at zero and ignore delta0: set the digit (SetJob(delInit: 1)) or drop delta0.", "delta0");
        if (Model.IsImplicit && Data.Q > 0) throw new ArgumentException("An implicit model takes data without y.", "data");
        if (!Model.IsImplicit && Data.Q == 0 && JobCode.FromValue(Job).Fit != FitKind.ImplicitOdr) throw new ArgumentException("y is missing: only an implicit model can be fitted to data without y.", "data");
        if (Model.ScalarInputOnly && Data.M != 1) throw new ArgumentException($"The per-observation model form takes one input, but x has {Data.M} rows; use the vectorized ModelFunction form.", "model");
        if (Model.ScalarInputOnly && Data.Q > 1) throw new ArgumentException($"The per-observation model form gives one response, but y has {Data.Q} rows; use the vectorized ModelFunction form.", "model");
        if (Model.Inputs is { } inputs && inputs != Data.M) throw new ArgumentException($"The model takes {Model.Count(inputs, "input")} per observation (inputs: {inputs}), but x has {Data.M} rows (m = {Data.M}).", "model");
        if (Model.DeclaresResponses && Data.Q > 0 && Model.Responses != Data.Q) throw new ArgumentException($"The model gives {Model.Count(Model.Responses, "response")} per observation (responses: {Model.Responses}), but y has {Data.Q} rows (q = {Data.Q}).", "model");
        if (Ifixb != null && Ifixb.Length != P) throw new ArgumentException($"ifixb has {Ifixb.Length} entries but beta0 has {P}.", "ifixb");
        int free = Ifixb?.Count(v => v != 0) ?? P;
        if (free == 0) throw new ArgumentException("ifixb fixes every parameter; at least one must be free.", "ifixb");
        if (BoundsMethod is not (BoundsMethod.ActiveSet or BoundsMethod.Odrpack95)) throw new ArgumentOutOfRangeException("boundsMethod", BoundsMethod, "Unknown bounds method.");
        if (BoundsMethod == BoundsMethod.ActiveSet && Lower != null && Upper != null
            && Enumerable.Range(0, P).All(k => (Ifixb != null && Ifixb[k] == 0) || Lower[k] == Upper[k]))
        {
            throw new ArgumentException("Every parameter is fixed (by ifixb or by lower = upper); at least one must be free.", "lower");
        }
        // Every digit in range: a deriv of 4 or a var_calc of 3 would otherwise be run as something else.
        int fitType = (int)JobCode.FromValue(Job).Fit;
        if (Data.XyErrorSlopes is not null && (fitType != 0 || Model.IsImplicit))
        {
            throw new ArgumentException("Correlated x–y errors (rxy) need an explicit ODR fit (fit type 0): " + (fitType == 2 ? "ordinary least squares takes x as exact." : "an implicit fit has no y errors."), "data");
        }
        if (Data.N < free) throw new ArgumentException($"There are {Data.N} observations but {free} free parameters; ODRPACK needs n >= p.", "data");
        int deriv = (int)JobCode.FromValue(Job).Derivative;
        if (deriv >= 2 && !Model.HasJacobianBeta) throw new ArgumentException("JOB asks for analytic derivatives (deriv 2 or 3) but the model has no fjacb.", "job");
        if (deriv >= 2 && fitType != 2 && !Model.HasJacobianX) throw new ArgumentException("JOB asks for analytic derivatives (deriv 2 or 3) of an ODR fit but the model has no fjacd.", "job");
        CheckVector(Stpb, "stpb", positive: false);
        CheckVector(Sclb, "sclb", positive: false);
        CheckVector(Lower, "lower", positive: false, allowInfinite: true);
        CheckVector(Upper, "upper", positive: false, allowInfinite: true);
        if (Lower != null && Upper != null)
        {
            for (int k = 0; k < P; k++)
            {
                if (Lower[k] > Upper[k]) throw new ArgumentException($"lower[{k}] = {Lower[k]} exceeds upper[{k}] = {Upper[k]}.", "lower");
            }
        }
        for (int k = 0; k < P; k++)
        {
            if (Lower != null && beta0[k] < Lower[k]) throw new ArgumentException($"beta0[{k}] = {beta0[k]} lies below its lower bound {Lower[k]}.", "beta0");
            if (Upper != null && beta0[k] > Upper[k]) throw new ArgumentException($"beta0[{k}] = {beta0[k]} lies above its upper bound {Upper[k]}.", "beta0");
        }
        if (MaxIt < -1) throw new ArgumentOutOfRangeException("maxit", MaxIt, "maxit must be -1 (default) or at least 0.");
        if (double.IsNaN(SsTol) || double.IsNaN(ParTol) || double.IsNaN(TauFac)) throw new ArgumentException("Tolerances must not be NaN.");
    }

    private void CheckVector(double[]? v, string name, bool positive, bool allowInfinite = false)
    {
        if (v is null) return;
        if (v.Length != P) throw new ArgumentException($"{name} has {v.Length} entries but beta0 has {P}.", name);
        for (int k = 0; k < v.Length; k++)
        {
            if (double.IsNaN(v[k]) || (!allowInfinite && double.IsInfinity(v[k]))) throw new ArgumentException($"{name}[{k}] is {v[k]}.", name);
            if (positive && v[k] <= 0) throw new ArgumentException($"{name}[{k}] must be positive.", name);
        }
    }

    private SolverInput BuildInput()
    {
        int n = Data.N, m = Data.M;
        var job = JobCode.FromValue(Job);
        int fitType = (int)job.Fit;
        bool isImplicit = fitType == 1 || Model.IsImplicit;
        int q = isImplicit ? Model.Responses : Data.Q;
        var fit = isImplicit ? FitKind.ImplicitOdr : (FitKind)fitType;
        int[]? ifixx = Ifixx is null ? Data.Fix : Data.InterpretIfixx(Ifixx, m, n, "ifixx");
        double[]? delta0 = null;
        bool delInit = job.InitialDelta;
        if (Delta0 is not null) delta0 = StartingDelta(Delta0, m, n);
        return new SolverInput
        {
            N = n,
            M = m,
            Q = q,
            P = P,
            Fit = fit,
            Derivative = job.Derivative,
            VarCalc = (int)job.Covariance,
            DeltaInitialized = delInit && delta0 != null,
            X = Data.X,
            Y = Data.Y ?? new double[n * q],
            We = isImplicit ? null : Data.WeightsOnEps,
            Wd = Data.WeightsOnDelta,
            XyErrorSlopes = Data.XyErrorSlopes,
            ImplicitPenalty = Data.ImplicitPenalty,
            Ifixb = EffectiveIfixb(),
            Ifixx = ifixx,
            Delta0 = delta0,
            MaxIt = MaxIt,
            SsTol = SsTol,
            ParTol = ParTol,
            TauFac = TauFac,
            NDigit = NDigit,
            Stpb = Stpb,
            Stpd = ExpandPerInput(Stpd, m, n, "stpd"),
            Sclb = BetaScales(Sclb),
            Scld = ExpandPerInput(Scld, m, n, "scld"),
            Lower = EffectiveBound(Lower, double.NegativeInfinity),
            Upper = EffectiveBound(Upper, double.PositiveInfinity),
            Bounds = BoundsMethod,
            OdrpackCheckedFirstJacobian = OdrpackCheckedFirstJacobian,
            MaxDegreeOfParallelism = MaxDegreeOfParallelism,
            ParallelModel = ParallelModelEvaluation ?? Model.IsThreadSafe,
            SimdKernels = SimdKernels,
            OneByOneKernels = OneByOneKernels,
            WideLanesMinObservations = WideLanesMinObservations,
            FusedPredictionMinEntries = FusedPredictionMinEntries,
            FuseInputs = FuseInputs,
        };
    }
}

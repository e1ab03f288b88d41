using System.CommandLine;

namespace Odr.Cli;

/// <summary>
/// The options of a fit, defined once for <c>odr fit</c> and <c>odr batch</c>: the same names, help,
/// defaults and accepted values, so a fit option means the same in both. Each command builds its own
/// instance (an option belongs to one command) and reads the values with <see cref="Read"/>.
/// </summary>
internal sealed class SharedFitOptions
{
    public SharedFitOptions(bool beta0Required, string xDescription, string yDescription)
    {
        Model = new Option<string[]>("--model", "-m")
        {
            HelpName = "EXPR",
            Description = "Model formula, one per response (or per implicit equation): parameters B0..Bk or B[k], columns by name " +
                          "(x, x[j] are inputs by position only where no column has that name; a column named e, pi, B0 ... is refused: rename it), " +
                          "functions exp log sqrt sin ... pow atan2, constants pi e; or scipy.odr's models linear (B0*x + B1), " +
                          "quadratic (B0*x^2 + B1*x + B2), exp (B0 + exp(B1*x)), cubic (B0 + B1*x + B2*x^2 + B3*x^3).",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        Beta0 = new Option<string>("--beta0", "-b") { HelpName = "VALUES", Description = "Starting values B0,B1,... (write --beta0=-2,0.5 when the first is negative).", Required = beta0Required };
        X = new Option<string>("--x") { HelpName = "COLS", Description = xDescription };
        Y = new Option<string>("--y") { HelpName = "COLS", Description = yDescription };
        Sx = new Option<string>("--sx") { HelpName = "COLS", Description = "Standard deviations of the inputs: a column name or a number per --x column." };
        Sy = new Option<string>("--sy") { HelpName = "COLS", Description = "Standard deviations of the responses: a column name or a number per --y column." };
        Wx = new Option<string>("--wx") { HelpName = "COLS", Description = "Weights (1/variance) of the inputs instead of --sx: a column or number per --x column." };
        Wy = new Option<string>("--wy") { HelpName = "COLS", Description = "Weights (1/variance) of the responses instead of --sy: a column or number per --y column." };
        Rxy = new Option<string>("--rxy") { HelpName = "COL|R", Description = "Correlation of each observation's x and y errors (York et al. 2004): a column or a number in (-1, 1); one input and one response, --fit odr, with --sx/--wx and --sy/--wy." };
        Fit = new Option<string>("--fit") { Description = "odr (errors in x and y), ols (errors in y only) or implicit (the model is zero on the curve; no --y).", DefaultValueFactory = _ => "odr" };
        Fit.AcceptOnlyFromAmong("odr", "ols", "implicit");
        Fix = new Option<string>("--fix") { HelpName = "NAMES", Description = "Parameters held at their starting values, e.g. B1,B3." };
        Lower = new Option<string>("--lower") { HelpName = "VALUES", Description = "Lower bounds, one per parameter (-inf for none)." };
        Upper = new Option<string>("--upper") { HelpName = "VALUES", Description = "Upper bounds, one per parameter (inf for none)." };
        BoundsMethod = new Option<string>("--bounds-method")
        {
            Description = "How --lower/--upper are kept: active-set (the constrained optimum; a parameter that ends on a bound is reported and " +
                          "has no interval) or odrpack95 (ODRPACK95's step clipping, bit for bit, which can stop short of the optimum).",
            DefaultValueFactory = _ => "active-set",
        };
        BoundsMethod.AcceptOnlyFromAmong("active-set", "odrpack95");
        Deriv = new Option<string>("--deriv") { Description = "analytic (symbolic, checked by ODRPACK), forward or central differences.", DefaultValueFactory = _ => "analytic" };
        Deriv.AcceptOnlyFromAmong("analytic", "forward", "central");
        MaxIt = new Option<int?>("--maxit") { HelpName = "N", Description = "Maximum number of iterations (default 50)." };
        SsTol = new Option<double?>("--sstol") { HelpName = "TOL", Description = "Sum-of-squares convergence tolerance (default sqrt(machine epsilon))." };
        ParTol = new Option<double?>("--partol") { HelpName = "TOL", Description = "Parameter convergence tolerance (default eps^(2/3), eps^(1/3) for implicit fits)." };
        TauFac = new Option<double?>("--taufac") { HelpName = "T", Description = "Initial trust-region radius factor (default 1)." };
        Ci = new Option<string>("--ci")
        {
            Description = "Confidence intervals of the parameters: wald (beta ± t·sd), profile (profile-t, as R's confint for nls) or " +
                          "bootstrap (percentile, residual resampling).",
            DefaultValueFactory = _ => "wald",
        };
        Ci.AcceptOnlyFromAmong("wald", "profile", "bootstrap");
        Level = new Option<double?>("--level") { HelpName = "L", Description = "Confidence level of the intervals and predictions, between 0 and 1 (default 0.95)." };
        Samples = new Option<int?>("--bootstrap-samples") { HelpName = "N", Description = "Bootstrap fits for --ci bootstrap (default 1000, at least 10)." };
        Delimiter = new Option<string>("--delimiter") { HelpName = "CHAR", Description = "The CSV delimiter: a character, comma, semicolon or tab (default: found from the header and the first rows)." };
        Seed = new Option<int?>("--seed") { HelpName = "S", Description = "Seed of --ci bootstrap (default 0): the same seed gives the same intervals." };
    }

    public Option<string[]> Model { get; }

    public Option<string> Beta0 { get; }

    public Option<string> X { get; }

    public Option<string> Y { get; }

    public Option<string> Sx { get; }

    public Option<string> Sy { get; }

    public Option<string> Wx { get; }

    public Option<string> Wy { get; }

    public Option<string> Rxy { get; }

    public Option<string> Fit { get; }

    public Option<string> Fix { get; }

    public Option<string> Lower { get; }

    public Option<string> Upper { get; }

    public Option<string> BoundsMethod { get; }

    public Option<string> Deriv { get; }

    public Option<int?> MaxIt { get; }

    public Option<double?> SsTol { get; }

    public Option<double?> ParTol { get; }

    public Option<double?> TauFac { get; }

    public Option<string> Ci { get; }

    public Option<double?> Level { get; }

    public Option<int?> Samples { get; }

    public Option<int?> Seed { get; }

    /// <summary>The CSV delimiter (each command places it in its help).</summary>
    public Option<string> Delimiter { get; }

    /// <summary>The options that say which columns hold what, in help order.</summary>
    public IEnumerable<Option> Columns => [Model, Beta0, X, Y, Sx, Sy, Wx, Wy, Rxy];

    /// <summary>The options of the fit itself and its intervals, in help order.</summary>
    public IEnumerable<Option> Fitting => [Fit, Fix, Lower, Upper, BoundsMethod, Deriv, MaxIt, SsTol, ParTol, TauFac, Ci, Level, Samples, Seed];

    /// <summary>The values given on the command line (defaults where none).</summary>
    public FitSettings Read(ParseResult result) => new()
    {
        Models = result.GetValue(Model) ?? [],
        Beta0 = result.GetValue(Beta0),
        X = result.GetValue(X),
        Y = result.GetValue(Y),
        Sx = result.GetValue(Sx),
        Sy = result.GetValue(Sy),
        Wx = result.GetValue(Wx),
        Wy = result.GetValue(Wy),
        Rxy = result.GetValue(Rxy),
        Fit = result.GetValue(Fit) ?? "odr",
        Fix = result.GetValue(Fix),
        Lower = result.GetValue(Lower),
        Upper = result.GetValue(Upper),
        BoundsMethod = result.GetValue(BoundsMethod) ?? "active-set",
        Deriv = result.GetValue(Deriv) ?? "analytic",
        MaxIt = result.GetValue(MaxIt),
        SsTol = result.GetValue(SsTol),
        ParTol = result.GetValue(ParTol),
        TauFac = result.GetValue(TauFac),
        Ci = result.GetValue(Ci) ?? "wald",
        Level = result.GetValue(Level),
        BootstrapSamples = result.GetValue(Samples),
        Seed = result.GetValue(Seed),
        Delimiter = result.GetValue(Delimiter),
    };
}

/// <summary>The values of <see cref="SharedFitOptions"/> as typed (lists still comma-separated): what
/// <c>odr fit</c> and <c>odr batch</c> share, each command's options adding their own.</summary>
public record FitSettings
{
    /// <summary>One formula per response (or per implicit equation).</summary>
    public required IReadOnlyList<string> Models { get; init; }

    /// <summary>Starting values, comma-separated (odr batch: or --beta0-from, --beta0-from-results).</summary>
    public string? Beta0 { get; init; }

    /// <summary>Input columns.</summary>
    public string? X { get; init; }

    /// <summary>Response columns.</summary>
    public string? Y { get; init; }

    /// <summary>Standard deviations of the inputs: a column or a number per input.</summary>
    public string? Sx { get; init; }

    /// <summary>Standard deviations of the responses: a column or a number per response.</summary>
    public string? Sy { get; init; }

    /// <summary>Weights (1/σ²) of the inputs: a column or a number per input.</summary>
    public string? Wx { get; init; }

    /// <summary>Weights (1/σ²) of the responses: a column or a number per response.</summary>
    public string? Wy { get; init; }

    /// <summary>Correlation of the x and y errors of each observation (York et al. 2004): a column or a
    /// number in (−1, 1); one input, one response, an ODR fit with both x and y errors.</summary>
    public string? Rxy { get; init; }

    /// <summary>odr, ols or implicit.</summary>
    public string Fit { get; init; } = "odr";

    /// <summary>Parameters held fixed.</summary>
    public string? Fix { get; init; }

    /// <summary>Lower bounds.</summary>
    public string? Lower { get; init; }

    /// <summary>Upper bounds.</summary>
    public string? Upper { get; init; }

    /// <summary>How bounds are kept: active-set (the default: the constrained optimum) or odrpack95
    /// (ODRPACK95's clipping, for reproducing its results).</summary>
    public string BoundsMethod { get; init; } = "active-set";

    /// <summary>analytic, forward or central.</summary>
    public string Deriv { get; init; } = "analytic";

    /// <summary>Maximum iterations.</summary>
    public int? MaxIt { get; init; }

    /// <summary>Sum-of-squares tolerance.</summary>
    public double? SsTol { get; init; }

    /// <summary>Parameter tolerance.</summary>
    public double? ParTol { get; init; }

    /// <summary>Initial trust-region factor.</summary>
    public double? TauFac { get; init; }

    /// <summary>How the confidence intervals are computed: wald (the default), profile or bootstrap.</summary>
    public string Ci { get; init; } = "wald";

    /// <summary>Confidence level of the intervals and predictions (default 0.95).</summary>
    public double? Level { get; init; }

    /// <summary>Bootstrap fits (default 1000; at least 10).</summary>
    public int? BootstrapSamples { get; init; }

    /// <summary>Bootstrap seed (default 0).</summary>
    public int? Seed { get; init; }

    /// <summary>The CSV delimiter as typed (a character, comma, semicolon or tab), or null to find it from the file.</summary>
    public string? Delimiter { get; init; }
}

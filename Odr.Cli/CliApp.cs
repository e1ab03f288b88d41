using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Reflection;

namespace Odr.Cli;

/// <summary>The <c>odr</c> command line, runnable in-process.</summary>
public static class CliApp
{
    /// <summary>The demo's data set, shipped inside the tool (a copy of examples/data/pearson_york.csv).</summary>
    public const string DemoResource = "Odr.Cli.pearson_york.csv";

    /// <summary>Runs the command.</summary>
    /// <param name="args">The arguments after <c>odr</c>.</param>
    /// <param name="stdout">Where results go.</param>
    /// <param name="stderr">Where problems go.</param>
    /// <returns>0 converged, 3 not converged or questionable, 2 bad usage or bad input, 1 internal error.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var root = BuildCommand(stdout, stderr);
        // No response files: a data file named @data.csv is data, not a list of arguments.
        ParseResult parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count > 0 && parsed.Action is System.CommandLine.Invocation.ParseErrorAction)
        {
            string command = parsed.CommandResult.Command.Name == "odr" ? "odr" : $"odr {parsed.CommandResult.Command.Name}";
            stderr.WriteLine($"odr: {OneLine(parsed.Errors[0].Message)} (see '{command} --help')");
            return FitRunner.ExitUsage;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (CliException e)
        {
            stderr.WriteLine($"odr: {OneLine(e.Message)}");
            return FitRunner.ExitUsage;
        }
        catch (Exception e) when (e is ArgumentException or Odr.Expressions.ExpressionException or ModelEvaluationException)
        {
            stderr.WriteLine($"odr: {CliMessages.Clean(e)}");
            return FitRunner.ExitUsage;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"odr: internal error: {e.GetType().Name}: {OneLine(e.Message)}");
            return 1;
        }
    }

    /// <summary>The tool's version (the informational version of Odr.Cli, without build metadata).</summary>
    public static string Version
    {
        get
        {
            var assembly = typeof(CliApp).Assembly;
            string? v = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? assembly.GetName().Version?.ToString();
            return v is null ? "unknown" : v.Split('+')[0];
        }
    }

    private static string OneLine(string message) =>
        string.Join(" ", message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()));

    // A plain command named odr rather than a RootCommand, whose name would be the assembly's (Odr.Cli).
    private static Command BuildCommand(TextWriter stdout, TextWriter stderr)
    {
        var root = new Command("odr",
            "Orthogonal distance regression (ODRPACK) of CSV data.\n" +
            "Exit codes: 0 converged, 3 finished without converging or with questionable results, 2 bad usage or bad input.")
        {
            new System.CommandLine.Help.HelpOption(),
        };
        var version = new Option<bool>("--version") { Description = "Show the version of odr." };
        root.Options.Add(version);
        root.SetAction(result =>
        {
            if (result.GetValue(version))
            {
                stdout.WriteLine(Version);
                return 0;
            }
            stderr.WriteLine("odr: give a command: fit, batch, merge or demo (see 'odr --help')");
            return FitRunner.ExitUsage;
        });
        root.Subcommands.Add(BuildFit(stdout, stderr));
        root.Subcommands.Add(BuildDemo(stdout, stderr));
        root.Subcommands.Add(Batch.BatchCommands.Batch(stdout, stderr));
        root.Subcommands.Add(Batch.BatchCommands.Merge(stdout, stderr));
        return root;
    }

    private static Command BuildFit(TextWriter stdout, TextWriter stderr)
    {
        var data = new Argument<string>("DATA") { Description = "CSV file with a header row (quoted fields, blank lines and # comment lines allowed)." };
        var model = new Option<string[]>("--model", "-m")
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
        var beta0 = new Option<string>("--beta0", "-b") { HelpName = "VALUES", Description = "Starting values B0,B1,... (write --beta0=-2,0.5 when the first is negative).", Required = true };
        var x = new Option<string>("--x") { HelpName = "COLS", Description = "Input columns, comma-separated (default: the columns the model names; if it names none, the first column, or every column for --fit implicit)." };
        var y = new Option<string>("--y") { HelpName = "COLS", Description = "Response columns, comma-separated, one per --model (default: the column y, else the first column that is not an input, --sx or --sy column)." };
        var sx = new Option<string>("--sx") { HelpName = "COLS", Description = "Standard deviations of the inputs: a column name or a number per --x column." };
        var sy = new Option<string>("--sy") { HelpName = "COLS", Description = "Standard deviations of the responses: a column name or a number per --y column." };
        var wx = new Option<string>("--wx") { HelpName = "COLS", Description = "Weights (1/variance) of the inputs instead of --sx: a column or number per --x column." };
        var wy = new Option<string>("--wy") { HelpName = "COLS", Description = "Weights (1/variance) of the responses instead of --sy: a column or number per --y column." };
        var rxy = new Option<string>("--rxy") { HelpName = "COL|R", Description = "Correlation of each observation's x and y errors (York et al. 2004): a column or a number in (-1, 1); one input and one response, --fit odr, with --sx/--wx and --sy/--wy." };
        var fit = new Option<string>("--fit") { Description = "odr (errors in x and y), ols (errors in y only) or implicit (the model is zero on the curve; no --y).", DefaultValueFactory = _ => "odr" };
        fit.AcceptOnlyFromAmong("odr", "ols", "implicit");
        var fix = new Option<string>("--fix") { HelpName = "NAMES", Description = "Parameters held at their starting values, e.g. B1,B3." };
        var lower = new Option<string>("--lower") { HelpName = "VALUES", Description = "Lower bounds, one per parameter (-inf for none)." };
        var upper = new Option<string>("--upper") { HelpName = "VALUES", Description = "Upper bounds, one per parameter (inf for none)." };
        var boundsMethod = new Option<string>("--bounds-method")
        {
            Description = "How --lower/--upper are kept: active-set (the constrained optimum; a parameter that ends on a bound is reported and " +
                          "has no interval) or odrpack95 (ODRPACK95's step clipping, bit for bit, which can stop short of the optimum).",
            DefaultValueFactory = _ => "active-set",
        };
        boundsMethod.AcceptOnlyFromAmong("active-set", "odrpack95");
        var deriv = new Option<string>("--deriv") { Description = "analytic (symbolic, checked by ODRPACK), forward or central differences.", DefaultValueFactory = _ => "analytic" };
        deriv.AcceptOnlyFromAmong("analytic", "forward", "central");
        var maxit = new Option<int?>("--maxit") { HelpName = "N", Description = "Maximum number of iterations (default 50)." };
        var sstol = new Option<double?>("--sstol") { HelpName = "TOL", Description = "Sum-of-squares convergence tolerance (default sqrt(machine epsilon))." };
        var partol = new Option<double?>("--partol") { HelpName = "TOL", Description = "Parameter convergence tolerance (default eps^(2/3), eps^(1/3) for implicit fits)." };
        var taufac = new Option<double?>("--taufac") { HelpName = "T", Description = "Initial trust-region radius factor (default 1)." };
        var report = new Option<string>("--report") { Description = "ODRPACK's report after the summary: short, long, iterations or none.", DefaultValueFactory = _ => "short" };
        report.AcceptOnlyFromAmong("short", "long", "iterations", "none");
        var plot = new Option<string>("--plot") { HelpName = "FILE", Description = "Draw the fit to FILE.png or FILE.svg." };
        var ci = new Option<string>("--ci")
        {
            Description = "Confidence intervals of the parameters: wald (beta ± t·sd), profile (profile-t, as R's confint for nls) or " +
                          "bootstrap (percentile, residual resampling).",
            DefaultValueFactory = _ => "wald",
        };
        ci.AcceptOnlyFromAmong("wald", "profile", "bootstrap");
        var level = new Option<double?>("--level") { HelpName = "L", Description = "Confidence level of the intervals and predictions, between 0 and 1 (default 0.95)." };
        var samples = new Option<int?>("--bootstrap-samples") { HelpName = "N", Description = "Bootstrap fits for --ci bootstrap (default 1000, at least 10)." };
        var seed = new Option<int?>("--seed") { HelpName = "S", Description = "Seed of --ci bootstrap (default 0): the same seed gives the same intervals." };
        var predictAt = new Option<string>("--predict-at")
        {
            HelpName = "X1,X2,...",
            Description = "Predict the response at these values of the (one) input, with the confidence interval of the curve and the prediction interval of a new observation.",
        };
        var residuals = new Option<bool>("--residuals") { Description = "With --plot: add a panel of the weighted residuals below the fit." };
        var json = new Option<string>("--json") { HelpName = "FILE", Description = "Write every result field (scipy.odr's names) as JSON to FILE, or to stdout with -." };
        var delimiter = new Option<string>("--delimiter") { HelpName = "CHAR", Description = "The CSV delimiter: a character, comma, semicolon or tab (default: found from the header and the first rows)." };

        var command = new Command("fit",
            "Fit a model to a CSV file by orthogonal distance regression.\n" +
            "Examples:\n" +
            "  odr fit data.csv --model 'B0*exp(B1*t)' --beta0 2,-0.5 --x t --y signal --sy err --plot fit.png\n" +
            "  odr fit circle.csv --fit implicit --model '(x-B0)^2 + (y-B1)^2 - B2^2' --beta0=0,0,1 --json result.json")
        {
            data, model, beta0, x, y, sx, sy, wx, wy, rxy, fit, fix, lower, upper, boundsMethod, deriv, maxit, sstol, partol, taufac, ci, level, samples, seed, predictAt, report, plot, residuals, json,
            delimiter,
        };
        command.SetAction(result =>
        {
            var options = new FitOptions
            {
                DataPath = result.GetValue(data)!,
                Models = result.GetValue(model) ?? [],
                Beta0 = result.GetValue(beta0)!,
                X = result.GetValue(x),
                Y = result.GetValue(y),
                Sx = result.GetValue(sx),
                Sy = result.GetValue(sy),
                Wx = result.GetValue(wx),
                Wy = result.GetValue(wy),
                Rxy = result.GetValue(rxy),
                Fit = result.GetValue(fit) ?? "odr",
                Fix = result.GetValue(fix),
                Lower = result.GetValue(lower),
                Upper = result.GetValue(upper),
                BoundsMethod = result.GetValue(boundsMethod) ?? "active-set",
                Deriv = result.GetValue(deriv) ?? "analytic",
                MaxIt = result.GetValue(maxit),
                SsTol = result.GetValue(sstol),
                ParTol = result.GetValue(partol),
                TauFac = result.GetValue(taufac),
                Report = result.GetValue(report) ?? "short",
                Plot = result.GetValue(plot),
                Residuals = result.GetValue(residuals),
                Ci = result.GetValue(ci) ?? "wald",
                Level = result.GetValue(level),
                BootstrapSamples = result.GetValue(samples),
                Seed = result.GetValue(seed),
                PredictAt = result.GetValue(predictAt),
                Json = result.GetValue(json),
                Delimiter = result.GetValue(delimiter),
            };
            return FitRunner.Run(options, stdout, stderr);
        });
        return command;
    }

    private static Command BuildDemo(TextWriter stdout, TextWriter stderr)
    {
        var plot = new Option<string>("--plot") { HelpName = "FILE", Description = "Where to draw the fit (.png or .svg).", DefaultValueFactory = _ => "fit.png" };
        var json = new Option<string>("--json") { HelpName = "FILE", Description = "Also write the result as JSON to FILE (- for stdout)." };
        var command = new Command("demo", "Fit Pearson's data with York's weights (a straight line with errors in x and y) and draw fit.png.") { plot, json };
        command.SetAction(result => RunDemo(result.GetValue(plot) ?? "fit.png", result.GetValue(json), stdout, stderr));
        return command;
    }

    /// <summary>Pearson's data with York's weights: the straight line y = B0 + B1 x, York's solution a = 5.47991022, b = -0.48053340.</summary>
    private static int RunDemo(string plot, string? json, TextWriter stdout, TextWriter stderr)
    {
        string csv;
        using (var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(DemoResource)
            ?? throw new InvalidOperationException("The demo data is missing from the tool."))
        using (var reader = new StreamReader(stream))
        {
            csv = reader.ReadToEnd();
        }
        var table = CsvTable.Parse(csv, "pearson_york.csv");
        const string Model = "B0 + B1*x";
        if (json != "-")
        {
            stdout.WriteLine("odr demo: Pearson's (1901) data with York's (1966) weights, a straight line with errors in both x and y.");
            stdout.WriteLine($"Same as: odr fit examples/data/pearson_york.csv --model '{Model}' --beta0=5,-0.5 --wx wx --wy wy --plot {plot}");
            stdout.WriteLine();
        }
        var options = new FitOptions
        {
            DataPath = "pearson_york.csv",
            Models = [Model],
            Beta0 = "5,-0.5",
            Wx = "wx",
            Wy = "wy",
            Plot = plot,
            Json = json,
        };
        int code = FitRunner.Run(options, stdout, stderr, table);
        if (json != "-")
        {
            stdout.WriteLine();
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"York's solution (literature): B0 = a = 5.47991022, B1 = b = -0.48053340"));
            stdout.WriteLine($"Plot written to {plot}");
        }
        return code;
    }
}

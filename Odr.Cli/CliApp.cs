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
        var shared = new SharedFitOptions(beta0Required: true, "Input columns, comma-separated (default: the columns the model names; if it names none, the first column, or every column for --fit implicit).",
            "Response columns, comma-separated, one per --model (default: the column y, else the first column that is not an input, --sx or --sy column).");
        var report = new Option<string>("--report") { Description = "ODRPACK's report after the summary: short, long, iterations or none.", DefaultValueFactory = _ => "short" };
        report.AcceptOnlyFromAmong("short", "long", "iterations", "none");
        var plot = new Option<string>("--plot") { HelpName = "FILE", Description = "Draw the fit to FILE.png or FILE.svg." };
        var predictAt = new Option<string>("--predict-at")
        {
            HelpName = "X1,X2,...",
            Description = "Predict the response at these values of the (one) input, with the confidence interval of the curve and the prediction interval of a new observation.",
        };
        var residuals = new Option<bool>("--residuals") { Description = "With --plot: add a panel of the weighted residuals below the fit." };
        var json = new Option<string>("--json") { HelpName = "FILE", Description = "Write every result field (scipy.odr's names) as JSON to FILE, or to stdout with -." };

        var command = new Command("fit",
            "Fit a model to a CSV file by orthogonal distance regression.\n" +
            "Examples:\n" +
            "  odr fit data.csv --model 'B0*exp(B1*t)' --beta0 2,-0.5 --x t --y signal --sy err --plot fit.png\n" +
            "  odr fit circle.csv --fit implicit --model '(x-B0)^2 + (y-B1)^2 - B2^2' --beta0=0,0,1 --json result.json")
        {
            data,
        };
        foreach (var option in shared.Columns) command.Options.Add(option);
        foreach (var option in shared.Fitting) command.Options.Add(option);
        foreach (var option in new Option[] { predictAt, report, plot, residuals, json, shared.Delimiter }) command.Options.Add(option);
        command.SetAction(result =>
        {
            var settings = shared.Read(result);
            var options = new FitOptions(settings)
            {
                DataPath = result.GetValue(data)!,
                Report = result.GetValue(report) ?? "short",
                Plot = result.GetValue(plot),
                Residuals = result.GetValue(residuals),
                PredictAt = result.GetValue(predictAt),
                Json = result.GetValue(json),
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

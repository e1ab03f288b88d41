using System.CommandLine;

namespace Odr.Cli.Batch;

/// <summary>The <c>odr batch</c> and <c>odr merge</c> commands.</summary>
internal static class BatchCommands
{
    public static Command Batch(TextWriter stdout, TextWriter stderr)
    {
        var data = new Argument<string>("DATA") { Description = "CSV or Parquet (.parquet) file in long format: one row per observation, a group column; the rows of a group together (any group order)." };
        var group = new Option<string>("--group", "-g") { HelpName = "COL", Description = "The column that names each observation's group; one fit per group.", Required = true };
        var output = new Option<string>("--output", "-o") { HelpName = "FILE", Description = "Results, one row per group: FILE.csv, FILE.jsonl or FILE.parquet (a description of the batch goes to FILE.meta.json).", Required = true };
        var model = new Option<string[]>("--model", "-m")
        {
            HelpName = "EXPR",
            Description = "Model formula, one per response, as in odr fit: parameters B0..Bk, variables by column name; or linear, quadratic, cubic, exp.",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var beta0 = new Option<string>("--beta0", "-b") { HelpName = "VALUES", Description = "Starting values B0,B1,... for every group (write --beta0=-2,0.5 when the first is negative)." };
        var beta0From = new Option<string>("--beta0-from") { HelpName = "COLS", Description = "Columns holding each group's starting values, one per parameter (constant within a group), instead of --beta0." };
        var beta0FromResults = new Option<string>("--beta0-from-results")
        {
            HelpName = "FILE",
            Description = "Start each group from its estimates B0..Bk in FILE, the results of an earlier odr batch of a model with the same parameters; groups not there (or failed there) start from --beta0.",
        };
        var x = new Option<string>("--x") { HelpName = "COLS", Description = "Input columns (default: the first column other than the group column)." };
        var y = new Option<string>("--y") { HelpName = "COLS", Description = "Response columns, one per --model (default: the next column)." };
        var sx = new Option<string>("--sx") { HelpName = "COLS", Description = "Standard deviations of the inputs: a column name or a number per --x column." };
        var sy = new Option<string>("--sy") { HelpName = "COLS", Description = "Standard deviations of the responses: a column name or a number per --y column." };
        var wx = new Option<string>("--wx") { HelpName = "COLS", Description = "Weights (1/variance) of the inputs instead of --sx." };
        var wy = new Option<string>("--wy") { HelpName = "COLS", Description = "Weights (1/variance) of the responses instead of --sy." };
        var fit = new Option<string>("--fit") { Description = "odr (errors in x and y), ols (errors in y only) or implicit.", DefaultValueFactory = _ => "odr" };
        fit.AcceptOnlyFromAmong("odr", "ols", "implicit");
        var fix = new Option<string>("--fix") { HelpName = "NAMES", Description = "Parameters held at their starting values, e.g. B1,B3." };
        var lower = new Option<string>("--lower") { HelpName = "VALUES", Description = "Lower bounds, one per parameter (-inf for none)." };
        var upper = new Option<string>("--upper") { HelpName = "VALUES", Description = "Upper bounds, one per parameter (inf for none)." };
        var deriv = new Option<string>("--deriv") { Description = "analytic, forward or central differences.", DefaultValueFactory = _ => "analytic" };
        deriv.AcceptOnlyFromAmong("analytic", "forward", "central");
        var maxit = new Option<int?>("--maxit") { HelpName = "N", Description = "Maximum number of iterations (default 50)." };
        var sstol = new Option<double?>("--sstol") { HelpName = "TOL", Description = "Sum-of-squares convergence tolerance." };
        var partol = new Option<double?>("--partol") { HelpName = "TOL", Description = "Parameter convergence tolerance." };
        var taufac = new Option<double?>("--taufac") { HelpName = "T", Description = "Initial trust-region radius factor (default 1)." };
        var shard = new Option<string>("--shard") { HelpName = "K/N", Description = "Fit only shard K of N (K from 0): the groups whose key's FNV-1a hash mod N is K, e.g. --shard $SLURM_ARRAY_TASK_ID/4." };
        var resume = new Option<bool>("--resume") { Description = "Keep the groups already in --output (written by the same batch) and fit the others." };
        var unsorted = new Option<bool>("--unsorted") { Description = "Accept a group's rows scattered through the file (holds the whole file in memory)." };
        var threads = new Option<int?>("--threads") { HelpName = "N", Description = "Fits at the same time (default: all cores)." };
        var progress = new Option<double>("--progress") { HelpName = "SECONDS", Description = "Seconds between progress lines on stderr when it is not a terminal (0: none).", DefaultValueFactory = _ => 10 };

        var command = new Command("batch",
            "Fit one model to every group of a long-format CSV file, on all cores, one result row per group.\n" +
            "Exit codes: 0 every group converged, 3 some group failed or did not converge (see its row), 2 bad usage or input (nothing written), 130 stopped (finished groups kept).\n" +
            "Example:\n" +
            "  odr batch spectra.csv --group pixel --x wavelength --y counts --model 'B0 + B1*exp(-((wavelength-B2)/B3)^2)' --beta0 0,1,500,5 --output peaks.csv")
        {
            data, group, output, model, beta0, beta0From, beta0FromResults, x, y, sx, sy, wx, wy, fit, fix, lower, upper, deriv, maxit, sstol, partol, taufac, shard, resume, unsorted, threads, progress,
        };
        command.SetAction(result => BatchRunner.Run(
            new BatchJobOptions
            {
                DataPath = result.GetValue(data)!,
                Group = result.GetValue(group)!,
                Output = result.GetValue(output)!,
                Models = result.GetValue(model) ?? [],
                Beta0 = result.GetValue(beta0),
                Beta0From = result.GetValue(beta0From),
                Beta0FromResults = result.GetValue(beta0FromResults),
                X = result.GetValue(x),
                Y = result.GetValue(y),
                Sx = result.GetValue(sx),
                Sy = result.GetValue(sy),
                Wx = result.GetValue(wx),
                Wy = result.GetValue(wy),
                Fit = result.GetValue(fit) ?? "odr",
                Fix = result.GetValue(fix),
                Lower = result.GetValue(lower),
                Upper = result.GetValue(upper),
                Deriv = result.GetValue(deriv) ?? "analytic",
                MaxIt = result.GetValue(maxit),
                SsTol = result.GetValue(sstol),
                ParTol = result.GetValue(partol),
                TauFac = result.GetValue(taufac),
                Shard = result.GetValue(shard),
                Resume = result.GetValue(resume),
                Unsorted = result.GetValue(unsorted),
                Threads = result.GetValue(threads),
                Progress = result.GetValue(progress),
            },
            stdout,
            stderr));
        return command;
    }

    public static Command Merge(TextWriter stdout, TextWriter stderr)
    {
        var output = new Argument<string>("OUT") { Description = "The merged results file (.csv, .jsonl or .parquet)." };
        var inputs = new Argument<string[]>("IN") { Description = "Results files of one batch's shards.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("merge",
            "Join the results files of odr batch --shard runs into one, in group order, and report missing shards or groups and groups found twice.\n" +
            "Exit codes: 0 complete, 3 shards or groups missing (the merged file is written), 2 bad usage or input.\n" +
            "Example:\n" +
            "  odr merge peaks.csv peaks-0.csv peaks-1.csv peaks-2.csv peaks-3.csv")
        {
            output, inputs,
        };
        command.SetAction(result => MergeRunner.Run(result.GetValue(output)!, result.GetValue(inputs) ?? [], stdout, stderr));
        return command;
    }
}

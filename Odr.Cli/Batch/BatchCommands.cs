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
        var fitOptions = new SharedFitOptions(beta0Required: false,
            "Input columns, comma-separated (default: the columns the model names; if it names none, the first column other than the group column, or every such column for --fit implicit).",
            "Response columns, comma-separated, one per --model (default: the column y, else the first column that is not the group column, an input, --sx or --sy column).");
        fitOptions.Beta0.Description = "Starting values B0,B1,... for every group (write --beta0=-2,0.5 when the first is negative); or --beta0-from, --beta0-from-results.";
        var beta0From = new Option<string>("--beta0-from") { HelpName = "COLS", Description = "Columns holding each group's starting values, one per parameter (constant within a group), instead of --beta0." };
        var beta0FromResults = new Option<string>("--beta0-from-results")
        {
            HelpName = "FILE",
            Description = "Start each group from its estimates B0..Bk in FILE, the results of an earlier odr batch of a model with the same parameters; groups not there (or failed there) start from --beta0.",
        };
        var shard = new Option<string>("--shard") { HelpName = "K/N", Description = "Fit only shard K of N (K from 0): the groups whose key's FNV-1a hash mod N is K, e.g. --shard $SLURM_ARRAY_TASK_ID/4." };
        var resume = new Option<bool>("--resume") { Description = "Keep the groups already in --output (written by the same batch) and fit the others." };
        var unsorted = new Option<bool>("--unsorted") { Description = "Accept a group's rows scattered through the file (holds the whole file in memory)." };
        var threads = new Option<int?>("--threads") { HelpName = "N", Description = "Fits at the same time (default: all cores)." };
        var progress = new Option<double>("--progress") { HelpName = "SECONDS", Description = "Seconds between progress lines on stderr when it is not a terminal (0: none).", DefaultValueFactory = _ => 10 };

        var command = new Command("batch",
            "Fit one model to every group of a long-format CSV or Parquet file, on all cores, one result row per group:\n" +
            "the group, info, converged, B0..Bk, sd_B0..sd_Bk, res_var, iterations, error, then each parameter's interval\n" +
            "(ci_B0_lower, ci_B0_upper, ... by --ci and --level) and chi2, dof, p_value, reduced_chi2, log_likelihood, aic, bic, as odr fit --json.\n" +
            "Exit codes: 0 every group converged, 3 some group failed or did not converge (see its row), 2 bad usage or input (nothing written), 130 stopped (finished groups kept).\n" +
            "Example:\n" +
            "  odr batch spectra.csv --group pixel --x wavelength --y counts --model 'B0 + B1*exp(-((wavelength-B2)/B3)^2)' --beta0 0,1,500,5 --output peaks.csv")
        {
            data, group, output,
        };
        foreach (var option in fitOptions.Columns) command.Options.Add(option);
        foreach (var option in new Option[] { beta0From, beta0FromResults }) command.Options.Add(option);
        foreach (var option in fitOptions.Fitting) command.Options.Add(option);
        foreach (var option in new Option[] { fitOptions.Delimiter, shard, resume, unsorted, threads, progress }) command.Options.Add(option);
        command.SetAction(result =>
        {
            var fit = fitOptions.Read(result);
            return BatchRunner.Run(
            new BatchJobOptions(fit)
            {
                DataPath = result.GetValue(data)!,
                Group = result.GetValue(group)!,
                Output = result.GetValue(output)!,
                Beta0From = result.GetValue(beta0From),
                Beta0FromResults = result.GetValue(beta0FromResults),
                Shard = result.GetValue(shard),
                Resume = result.GetValue(resume),
                Unsorted = result.GetValue(unsorted),
                Threads = result.GetValue(threads),
                Progress = result.GetValue(progress),
            },
            stdout,
            stderr);
        });
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

using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Odr.Cli;

/// <summary>What <c>odr fit</c> was asked to infer beyond the fit (issue 22), checked before the data is read.</summary>
internal sealed record InferenceRequest
{
    /// <summary>wald, profile or bootstrap.</summary>
    public required string Method { get; init; }

    /// <summary>Confidence level of the intervals and predictions, in (0, 1).</summary>
    public required double Level { get; init; }

    /// <summary>Bootstrap fits.</summary>
    public required int Samples { get; init; }

    /// <summary>Bootstrap seed.</summary>
    public required int Seed { get; init; }

    /// <summary>Points to predict at (one input), or null.</summary>
    public double[]? PredictAt { get; init; }

    /// <summary>Reads and checks the options.</summary>
    /// <exception cref="CliException">A level outside (0, 1), fewer than 10 bootstrap samples, bootstrap
    /// options without --ci bootstrap, or a --predict-at value that is not a finite number.</exception>
    public static InferenceRequest From(FitSettings options, string? predictAt = null)
    {
        string method = options.Ci.Trim().ToLowerInvariant();
        if (method is not ("wald" or "profile" or "bootstrap")) throw new CliException($"--ci must be one of wald, profile, bootstrap; got '{options.Ci}'");
        double level = options.Level ?? 0.95;
        if (!(level > 0 && level < 1))
        {
            throw new CliException(string.Create(CultureInfo.InvariantCulture, $"--level must lie strictly between 0 and 1 (0.95 for 95 %); got {level}"));
        }
        if (options.BootstrapSamples is { } n && n < 10)
        {
            throw new CliException(string.Create(CultureInfo.InvariantCulture, $"--bootstrap-samples must be at least 10; got {n}"));
        }
        if (method != "bootstrap" && (options.BootstrapSamples is not null || options.Seed is not null))
        {
            throw new CliException($"{(options.BootstrapSamples is not null ? "--bootstrap-samples" : "--seed")} applies to --ci bootstrap only; this fit asks for --ci {method}");
        }
        double[]? at = null;
        if (predictAt is { } text)
        {
            var items = text.Split(',').Select(s => s.Trim()).ToArray();
            at = new double[items.Length];
            for (int i = 0; i < items.Length; i++)
            {
                if (!CsvTable.TryParseNumber(items[i], out at[i]) || !double.IsFinite(at[i]))
                {
                    throw new CliException(string.Create(CultureInfo.InvariantCulture, $"--predict-at: '{items[i]}' (item {i + 1}) is not a finite number"));
                }
            }
        }
        return new InferenceRequest { Method = method, Level = level, Samples = options.BootstrapSamples ?? 1000, Seed = options.Seed ?? 0, PredictAt = at };
    }

    /// <summary>Checks the request against the shape of the fit, before it runs.</summary>
    /// <exception cref="CliException">Predictions or non-Wald intervals for a fit that has none.</exception>
    public void CheckFit(bool isImplicit, int inputs, int responses)
    {
        if (isImplicit && Method != "wald") throw new CliException($"--ci {Method} is available for explicit fits only; an implicit fit has Wald intervals");
        if (PredictAt is null) return;
        if (isImplicit) throw new CliException("--predict-at needs an explicit model y = f(x); an implicit fit has no response to predict");
        if (inputs != 1)
        {
            throw new CliException(string.Create(CultureInfo.InvariantCulture, $"--predict-at takes values of one input, but the model has {inputs} inputs"));
        }
        if (responses != 1)
        {
            throw new CliException(string.Create(CultureInfo.InvariantCulture, $"--predict-at takes a model with one response, but this fit has {responses}"));
        }
    }
}

/// <summary>
/// The inference the tool reports beside the fit: confidence intervals by the chosen method and level,
/// goodness of fit with the log-likelihood, AIC and BIC, and predictions, all computed by
/// <see cref="FitInference"/>. Immutable.
/// </summary>
public sealed class InferenceReport
{
    private InferenceReport(string method, double level, (double Lower, double Upper)[] intervals, string?[] notes, GoodnessOfFit? goodness,
        IReadOnlyList<Prediction> predictions, string? methodNote)
    {
        Method = method;
        Level = level;
        Intervals = intervals;
        Notes = notes;
        Goodness = goodness;
        Predictions = predictions;
        MethodNote = methodNote;
    }

    /// <summary>"wald", "profile" or "bootstrap".</summary>
    public string Method { get; }

    /// <summary>The confidence level.</summary>
    public double Level { get; }

    /// <summary>Per parameter, the interval; NaN where a side is missing (not estimated, not found).</summary>
    public IReadOnlyList<(double Lower, double Upper)> Intervals { get; }

    /// <summary>Per parameter, why a side is missing (profile, bootstrap), or null.</summary>
    public IReadOnlyList<string?> Notes { get; }

    /// <summary>Goodness of fit; null for implicit fits.</summary>
    public GoodnessOfFit? Goodness { get; }

    /// <summary>Predictions at --predict-at (empty without it).</summary>
    public IReadOnlyList<Prediction> Predictions { get; }

    /// <summary>A line that says how the intervals were computed, or null for Wald's.</summary>
    public string? MethodNote { get; }

    /// <summary>The report of a fit without the tool's options: Wald intervals at 95 %, nothing else.</summary>
    /// <param name="output">The fit.</param>
    public static InferenceReport WaldOnly(Output output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return new InferenceReport("wald", 0.95, output.ConfidenceIntervals(0.95), new string?[output.Beta.Length], null, [], null);
    }

    /// <summary>Computes what was asked.</summary>
    /// <param name="odr">The fit's setup.</param>
    /// <param name="output">Its result.</param>
    /// <param name="request">What to compute.</param>
    /// <param name="absoluteWeights">Whether the weights are 1/σ² of known σ's (then χ² has a p-value).</param>
    /// <param name="stderr">Where progress lines go.</param>
    /// <exception cref="CliException">The library refuses the computation (no degrees of freedom, a profile
    /// that finds a lower minimum, ...).</exception>
    internal static InferenceReport Compute(ODR odr, Output output, InferenceRequest request, bool absoluteWeights, TextWriter stderr)
    {
        int p = odr.P;
        // Wald intervals are the Output's own (the same beta ± t·sd_beta with the exact t): the default
        // report is what it was, and a fit that stopped with a fatal error still has its numbers.
        (double, double)[] intervals = output.ConfidenceIntervals(request.Level);
        var notes = new string?[p];
        string? methodNote = null;
        if (output.Info >= 10000) return new InferenceReport(request.Method, request.Level, request.Method == "wald" ? intervals : Missing(p), notes, null, [], null);
        var inference = new FitInference(odr, output);
        try
        {
            if (request.Method != "wald")
            {
                if (!output.Converged)
                {
                    intervals = Missing(p);
                    methodNote = $"No {request.Method} intervals: the fit did not converge.";
                }
                else
                {
                    var progress = new ProgressLines(stderr);
                    ParameterIntervals found;
                    if (request.Method == "profile")
                    {
                        found = inference.ProfileIntervals(request.Level, null, default, progress);
                        methodNote = "Profile-t intervals (as R's confint for nls): each parameter profiled with the others refitted.";
                    }
                    else
                    {
                        var bootstrap = inference.Bootstrap(new BootstrapOptions { Samples = request.Samples, Seed = request.Seed }, default, progress);
                        found = bootstrap.PercentileIntervals(request.Level);
                        methodNote = string.Create(CultureInfo.InvariantCulture,
                            $"Bootstrap percentile intervals: {bootstrap.Requested} residual resamples, seed {request.Seed}, {bootstrap.Succeeded} converged.");
                    }
                    for (int k = 0; k < p; k++)
                    {
                        var interval = found[k];
                        intervals[k] = (interval.Lower, interval.Upper);
                        if (!interval.IsFixed) notes[k] = interval.Note;
                    }
                }
            }
            GoodnessOfFit? goodness = GoodnessWhereDefined(inference, output, absoluteWeights);
            IReadOnlyList<Prediction> predictions = request.PredictAt is { } at ? inference.Predict(at, new PredictionOptions { Level = request.Level }) : [];
            return new InferenceReport(request.Method, request.Level, intervals, notes, goodness, predictions, methodNote);
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or ArgumentException)
        {
            throw new CliException($"--ci {request.Method}: {CliMessages.Clean(e)}", e);
        }
    }

    /// <summary>Goodness of fit where it is defined (explicit fits with degrees of freedom); never an
    /// error, since nobody asked for it.</summary>
    private static GoodnessOfFit? GoodnessWhereDefined(FitInference inference, Output output, bool absoluteWeights)
    {
        if (inference.IsImplicit || output.DegreesOfFreedom <= 0) return null;
        try
        {
            return inference.GoodnessOfFit(absoluteWeights);
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    private static (double, double)[] Missing(int p) => [.. Enumerable.Repeat((double.NaN, double.NaN), p)];

    /// <summary>The level as a percentage, e.g. "95%" or "68.3%".</summary>
    public string LevelText => (Level * 100).ToString("0.###", CultureInfo.InvariantCulture) + "%";

    /// <summary>The table's heading of the interval column, naming the method: "95% Wald interval",
    /// "95% profile interval" or "95% bootstrap interval".</summary>
    public string IntervalHeading => Method == "wald" ? $"{LevelText} Wald interval" : $"{LevelText} {Method} interval";

    /// <summary>The lines after the parameter table: how the intervals were found, sides not found, and
    /// the predictions.</summary>
    internal string Describe(IReadOnlyList<string> parameterNames)
    {
        var sb = new StringBuilder();
        if (MethodNote is not null) sb.AppendLine(MethodNote);
        for (int k = 0; k < Notes.Count; k++)
        {
            if (Notes[k] is { } note) sb.AppendLine(CultureInfo.InvariantCulture, $"{parameterNames[k]}: {note}");
        }
        if (Predictions.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("Predictions");
            sb.AppendLine(CultureInfo.InvariantCulture, $"{"x",17} {"y",17}    {LevelText + " confidence interval (curve)",-31}    {LevelText} prediction interval (new point)");
            foreach (var prediction in Predictions)
            {
                sb.AppendLine(CultureInfo.InvariantCulture,
                    $"{prediction.X[0],17:G10} {prediction.Value,17:G10}    [{prediction.ConfidenceLower,13:G6}, {prediction.ConfidenceUpper,13:G6}]    [{prediction.PredictionLower,13:G6}, {prediction.PredictionUpper,13:G6}]");
            }
        }
        return sb.ToString();
    }

    /// <summary>Periodic progress lines on stderr for long computations: the first after two seconds,
    /// then at most one every five seconds (none for work that finishes quickly).</summary>
    private sealed class ProgressLines(TextWriter stderr) : IProgress<InferenceProgress>
    {
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private readonly object gate = new();
        private double nextSeconds = 2;

        public void Report(InferenceProgress value)
        {
            lock (gate)
            {
                double now = clock.Elapsed.TotalSeconds;
                if (now < nextSeconds || value.Completed >= value.Total) return;
                nextSeconds = now + 5;
                stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"odr: {value.Stage}: {value.Completed} of {value.Total} done ({now:0} s)"));
            }
        }
    }
}

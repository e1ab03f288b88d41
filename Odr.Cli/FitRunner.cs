using System.Globalization;
using System.Text;
using static Odr.Cli.OptionParsing;

namespace Odr.Cli;

/// <summary>Runs <c>odr fit</c>: reads the CSV, builds the data and the model, fits, reports.</summary>
public static class FitRunner
{
    /// <summary>Exit code of a converged fit.</summary>
    public const int ExitConverged = 0;

    /// <summary>Exit code of bad usage or bad input.</summary>
    public const int ExitUsage = 2;

    /// <summary>Exit code of a fit that finished without converging or with questionable results.</summary>
    public const int ExitNotConverged = 3;

    /// <summary>Fits a CSV file.</summary>
    /// <param name="options">What to do.</param>
    /// <param name="stdout">Results.</param>
    /// <param name="stderr">Problems.</param>
    /// <param name="table">The table, when already read (the demo); otherwise options.DataPath is read.</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="CliException">Bad usage or bad input.</exception>
    public static int Run(FitOptions options, TextWriter stdout, TextWriter stderr, CsvTable? table = null)
    {
        string fit = Choice(options.Fit, "--fit", "odr", "ols", "implicit");
        string deriv = Choice(options.Deriv, "--deriv", "analytic", "forward", "central");
        string report = Choice(options.Report, "--report", "short", "long", "iterations", "none");
        bool isImplicit = fit == "implicit";
        bool jsonToStdout = options.Json == "-";
        if (options.Json is { } jsonPath && !jsonToStdout) AtomicFile.CheckDestination(jsonPath, "--json", options.DataPath);
        if (options.Plot is { } plotPath)
        {
            AtomicFile.CheckDestination(plotPath, "--plot", options.DataPath);
            PlotWriter.Check(plotPath, isImplicit);
            if (options.Json is { } jsonFile && !jsonToStdout) AtomicFile.CheckDistinct(jsonFile, "--json", plotPath, "--plot");
        }
        if (options.Residuals && options.Plot is null) throw new CliException("--residuals adds a panel to the plot: give --plot FILE too");
        if (options.Models.Count == 0) throw new CliException("give the model with --model, e.g. --model 'B0 + B1*x' or --model linear");
        if (options.MaxIt is < 1) throw new CliException("--maxit must be at least 1");
        CheckPositive(options.SsTol, "--sstol");
        CheckPositive(options.ParTol, "--partol");
        CheckPositive(options.TauFac, "--taufac");
        var inferenceRequest = InferenceRequest.From(options, options.PredictAt);
        if (options.Sx is not null && options.Wx is not null) throw new CliException("give --sx or --wx, not both");
        if (options.Sy is not null && options.Wy is not null) throw new CliException("give --sy or --wy, not both");

        table ??= CsvTable.Load(options.DataPath, options.Delimiter is { } delimiter ? CsvFormat.ParseOption(delimiter) : null);

        // Columns: the formulas' names decide the inputs (see FormulaColumns).
        if (isImplicit && options.Y is not null) throw new CliException("--fit implicit takes no --y columns: write the model as an expression that is zero on the curve");
        if (isImplicit && (options.Sy is not null || options.Wy is not null)) throw new CliException("--fit implicit has no responses: --sy and --wy do not apply");
        var sigmaColumns = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (list, option) in new[] { (options.Sx, "--sx"), (options.Wx, "--wx"), (options.Sy, "--sy"), (options.Wy, "--wy") })
        {
            if (list is not null) sigmaColumns.UnionWith(Split(list, option));
        }
        var columns = FormulaColumns.Resolve(table, options.Models, ColumnList(options.X, "--x"), ColumnList(options.Y, "--y"), isImplicit, sigmaColumns);
        var xColumns = columns.Inputs.Select(name => table.ColumnIndex(name, "--x")).ToArray();
        var yColumns = columns.Responses.Select(name => table.ColumnIndex(name, "--y")).ToArray();
        List<string> xNames = [.. xColumns.Select(c => table.Header[c])];
        List<string> yNames = [.. yColumns.Select(c => table.Header[c])];
        foreach (var c in yColumns)
        {
            if (xColumns.Contains(c)) throw new CliException($"column '{table.Header[c]}' is both an input (--x) and a response (--y)");
        }
        if (!isImplicit && options.Models.Count != yColumns.Length)
        {
            throw new CliException(string.Create(CultureInfo.InvariantCulture,
                $"{options.Models.Count} --model given for {yColumns.Length} response column{(yColumns.Length == 1 ? "" : "s")} ({string.Join(", ", yNames)}); give one --model per --y column"));
        }

        if (options.Plot is { } plotFile) PlotWriter.Check(plotFile, isImplicit, xColumns.Length);
        inferenceRequest.CheckFit(isImplicit, xColumns.Length, yColumns.Length);

        // Model: the parameter count is checked against --beta0 before the formulas are compiled.
        var beta0 = Numbers(options.Beta0 ?? throw new CliException("give the starting values with --beta0"), "--beta0", allowInfinite: false);
        var model = ExpressionModel.Create(options.Models, FormulaColumns.FormulaNames(xNames, table.Header), beta0.Length, isImplicit);
        int p = model.ParameterCount;
        var parameterNames = Enumerable.Range(0, p).Select(k => string.Create(CultureInfo.InvariantCulture, $"B{k}")).ToArray();
        var ifixb = Enumerable.Repeat(1, p).ToArray();
        var unused = Enumerable.Range(0, p).Where(k => !model.UsedParameters.Contains(k)).ToList();
        foreach (var k in unused) ifixb[k] = 0;
        if (options.Fix is not null)
        {
            foreach (var name in Split(options.Fix, "--fix")) ifixb[ParameterIndex(name, p)] = 0;
        }
        double[]? lower = options.Lower is null ? null : Bounds(options.Lower, "--lower", p);
        double[]? upper = options.Upper is null ? null : Bounds(options.Upper, "--upper", p);
        CheckBounds(lower, upper, beta0, p);
        var boundsMethod = Choice(options.BoundsMethod, "--bounds-method", "active-set", "odrpack95") == "odrpack95" ? BoundsMethod.Odrpack95 : BoundsMethod.ActiveSet;

        // Data.
        int n = table.RowCount;
        var xs = xColumns.Select(table.Numbers).ToArray();
        var ys = yColumns.Select(table.Numbers).ToArray();
        var wx = Weights(table, options.Sx ?? options.Wx, options.Sx is not null ? "--sx" : "--wx", options.Wx is not null && options.Sx is null, xNames);
        var wy = Weights(table, options.Sy ?? options.Wy, options.Sy is not null ? "--sy" : "--wy", options.Wy is not null && options.Sy is null, yNames);
        if (n < 1) throw new CliException($"{table.Source} has no data rows");

        Output output;
        string reportText;
        Data data;
        Model odrModel;
        ODR odr;
        try
        {
            data = options.Rxy is null
                ? new Data(Stack(xs, n), isImplicit ? null : Stack(ys, n), we: wy is null ? null : Stack(wy, n), wd: wx is null ? null : Stack(wx, n))
                : CorrelatedData(table, options, fit, xs, ys, wx, wy, n);
            odrModel = model.ToModel(isImplicit);
            odr = new ODR(data, odrModel, beta0, ifixb: ifixb, maxit: options.MaxIt, sstol: options.SsTol, partol: options.ParTol, taufac: options.TauFac, lower: lower, upper: upper)
            {
                BoundsMethod = boundsMethod,
                MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
            };
            odr.SetJob(fitType: FitType(fit), deriv: Derivative(deriv));
            var reportWriter = new StringWriter(CultureInfo.InvariantCulture);
            switch (report)
            {
                case "short": odr.SetIprint(final: 1); break;
                case "long": odr.SetIprint(final: 2); break;
                // IPRINT's third digit is how often iterations are reported; 0 reports none.
                case "iterations": odr.SetIprint(iter: 1, iterStep: 1, final: 1); break;
            }
            odr.ReportWriter = reportWriter;
            output = odr.Run();
            reportText = reportWriter.ToString();
        }
        catch (ArgumentException e)
        {
            throw new CliException(CliMessages.Clean(e), e);
        }
        catch (ModelEvaluationException e)
        {
            throw new CliException("the model could not be evaluated: " + OneLine(e.Message), e);
        }

        // Intervals, goodness of fit and predictions: computed before anything is written, so a refusal
        // leaves no half-written output.
        bool absoluteWeights = (options.Sy ?? options.Wy) is not null && (fit == "ols" || (options.Sx ?? options.Wx) is not null);
        var inference = InferenceReport.Compute(odr, output, inferenceRequest, absoluteWeights, stderr);

        var summary = new StringBuilder();
        summary.Append(Describe(table.Source, n, xNames, yNames, fit, deriv, model, isImplicit));
        if (table.FormatNote is { } formatNote) summary.AppendLine(formatNote);
        summary.Append(ParameterTable(output, parameterNames, ifixb, inference));
        summary.Append(inference.Describe(parameterNames));
        summary.AppendLine();
        summary.Append(output.PprintText());
        if (reportText.Length > 0)
        {
            summary.AppendLine();
            summary.Append(reportText);
            if (!reportText.EndsWith('\n')) summary.AppendLine();
        }

        // The JSON holds every per-observation array: it is built only when asked for, and streamed.
        if (jsonToStdout)
        {
            using var stream = new TextWriterStream(stdout);
            JsonResult.Write(stream, output, parameterNames, xNames, yNames, model.Texts, inference);
        }
        else
        {
            stdout.Write(summary.ToString());
            if (options.Json is { } path) AtomicFile.WriteStream(path, stream => JsonResult.Write(stream, output, parameterNames, xNames, yNames, model.Texts, inference));
        }
        if (options.Plot is { } plot)
        {
            string title = isImplicit ? string.Join("; ", model.Texts.Select(t => "0 = " + t)) : string.Join("; ", model.Texts.Select((t, l) => $"{yNames[l]} = {t}"));
            PlotWriter.Save(plot, data, odrModel, output, title, parameterNames, xNames, yNames, options.Residuals, inference);
        }

        if (boundsMethod == BoundsMethod.Odrpack95 && Enumerable.Range(0, p).Any(k => BoundName(output, k) is not null))
        {
            stderr.WriteLine("odr: note: with --bounds-method odrpack95 a fit that ends on a bound can stop short of the constrained optimum; the default active-set method finds it");
        }
        if (output.Converged)
        {
            var warnings = output.StopReason.Where(r => !r.Contains("convergence", StringComparison.OrdinalIgnoreCase)).ToList();
            if (warnings.Count > 0) stderr.WriteLine($"odr: warning: {string.Join("; ", warnings)}");
            return ExitConverged;
        }
        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"odr: the fit did not converge or its results are questionable (info {output.Info}): {string.Join("; ", output.StopReason)}"));
        return ExitNotConverged;
    }

    private static string Describe(string source, int n, IReadOnlyList<string> xNames, IReadOnlyList<string> yNames, string fit, string deriv, ExpressionModel model, bool isImplicit)
    {
        var sb = new StringBuilder();
        string kind = fit switch { "ols" => "ordinary least squares", "implicit" => "implicit orthogonal distance regression", _ => "orthogonal distance regression" };
        string derivText = deriv switch { "forward" => "forward differences", "central" => "central differences", _ => "analytic derivatives (checked)" };
        sb.AppendLine(CultureInfo.InvariantCulture, $"odr: {kind} of {Path.GetFileName(source)}, {n} observations, {derivText}");
        for (int l = 0; l < model.Count; l++)
        {
            string lhs = isImplicit ? "0" : yNames[l];
            sb.AppendLine(CultureInfo.InvariantCulture, $"Model: {lhs} = {model.Texts[l]}");
        }
        sb.AppendLine(CultureInfo.InvariantCulture, $"Inputs: {string.Join(", ", xNames)}");
        return sb.ToString();
    }

    private static string ParameterTable(Output output, string[] names, int[] ifixb, InferenceReport inference)
    {
        var sb = new StringBuilder();
        var ci = inference.Intervals;
        sb.AppendLine(CultureInfo.InvariantCulture, $"Parameter          Estimate      Std. error    {inference.IntervalHeading}");
        for (int k = 0; k < names.Length; k++)
        {
            string? bound = BoundName(output, k) is { } side ? $"(at {side} bound)" : null;
            string interval = ifixb[k] == 0 ? "(fixed)"
                : double.IsNaN(ci[k].Lower) && double.IsNaN(ci[k].Upper) && bound is not null ? bound
                : $"[{Side(ci[k].Lower, inference.Method)}, {Side(ci[k].Upper, inference.Method)}]" + (bound is null ? "" : "  " + bound);
            sb.AppendLine(CultureInfo.InvariantCulture, $"{names[k],-9} {output.Beta[k],17:G10} {output.SdBeta[k],13:G5}    {interval}");
        }
        return sb.ToString();
    }

    /// <summary>One end of an interval in the table: NaN is "NA" (R's word) where a profile or bootstrap
    /// found no end, and NaN for Wald's, as the tool always printed.</summary>
    private static string Side(double value, string method) =>
        double.IsNaN(value) && method != "wald" ? $"{"NA",13}" : string.Create(CultureInfo.InvariantCulture, $"{value,13:G6}");

    /// <summary>"lower" or "upper" when parameter <paramref name="k"/> ended on that bound, else null.</summary>
    internal static string? BoundName(Output output, int k) => k < output.Status.Count ? output.Status[k] switch
    {
        ParameterStatus.AtLowerBound => "lower",
        ParameterStatus.AtUpperBound => "upper",
        _ => null,
    } : null;

    private static string OneLine(string message) => string.Join(" ", message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()));

    /// <summary>
    /// Weights per variable (one array of n per variable) from standard deviations (1/s²) or weights given as
    /// columns or numbers. Weights go to the library as given, not through s = 1/√w and back, so the value
    /// the user wrote is the value checked and used.
    /// </summary>
    /// <summary>RealData with correlated x–y errors (--rxy): the weights back to standard deviations,
    /// the correlation from a column or one number; the library checks |r| &lt; 1 per observation.</summary>
    private static RealData CorrelatedData(CsvTable table, FitOptions options, string fit, double[][] xs, double[][] ys, double[][]? wx, double[][]? wy, int n)
    {
        if (fit != "odr") throw new CliException($"--rxy needs --fit odr: {(fit == "ols" ? "ordinary least squares takes x as exact" : "an implicit fit has no y errors")}");
        if (xs.Length != 1 || ys.Length != 1) throw new CliException($"--rxy needs one input and one response; got {xs.Length} and {ys.Length}");
        if (wx is null || wy is null) throw new CliException("--rxy needs the errors of both x and y: give --sx or --wx and --sy or --wy");
        string text = options.Rxy!.Trim();
        double[] r;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double constant))
        {
            r = [constant];
        }
        else
        {
            r = table.Numbers(table.ColumnIndex(text, "--rxy"));
        }
        for (int i = 0; i < r.Length; i++)
        {
            if (!(Math.Abs(r[i]) < 1))
            {
                string where = r.Length == 1 ? "--rxy" : $"{table.Source}: row {table.RowLabel(i)}, column '{text}'";
                throw new CliException(string.Create(CultureInfo.InvariantCulture, $"{where}: the correlation {r[i]:R} must lie strictly between -1 and 1"));
            }
        }
        double[] Sigmas(double[] w) => w.Select(v => 1 / Math.Sqrt(v)).ToArray();
        return new RealData(xs[0], ys[0], sx: Sigmas(wx[0]), sy: Sigmas(wy[0]), rxy: r.Length == 1 ? (NdArray)r[0] : r);
    }

    private static double[][]? Weights(CsvTable table, string? text, string option, bool areWeights, IReadOnlyList<string> variables)
    {
        if (text is null) return null;
        var items = Split(text, option);
        if (items.Count != variables.Count)
        {
            throw new CliException(string.Create(CultureInfo.InvariantCulture,
                $"{option} names {items.Count} item{(items.Count == 1 ? "" : "s")} for {variables.Count} variable{(variables.Count == 1 ? "" : "s")} ({string.Join(", ", variables)}); give one column or number per variable"));
        }
        var result = new double[items.Count][];
        for (int v = 0; v < items.Count; v++)
        {
            string item = items[v];
            double[] values;
            if (table.HasColumn(item) || !CsvTable.TryParseNumber(item, out double constant))
            {
                int c = table.ColumnIndex(item, option);
                values = table.Numbers(c);
                for (int r = 0; r < values.Length; r++)
                {
                    values[r] = WeightOf(values[r], areWeights, $"{table.Source}: row {table.RowLabel(r)}, column '{table.Header[c]}'", values[r].ToString("R", CultureInfo.InvariantCulture));
                }
            }
            else
            {
                double w = WeightOf(constant, areWeights, option, item);
                values = new double[table.RowCount];
                Array.Fill(values, w);
            }
            result[v] = values;
        }
        return result;
    }


}

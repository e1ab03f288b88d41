using System.Globalization;
using System.Text.Json.Nodes;
using static Odr.Cli.OptionParsing;

namespace Odr.Cli.Batch;

/// <summary>
/// The fit every group gets, resolved against the data file's header: which columns hold the inputs,
/// responses, standard deviations and starting values, the model, fixed parameters and bounds.
/// Fits one group at a time (<see cref="Fit"/>); the compiled model is shared by every thread.
/// </summary>
internal sealed class BatchSpec
{
    private readonly int[] xCells;
    private readonly int[] yCells;
    private readonly Sigma[]? sx;
    private readonly Sigma[]? sy;
    private readonly int[]? beta0Cells;
    private readonly string[] beta0Names;
    private readonly double[]? beta0;
    private readonly Dictionary<string, double[]>? earlier;
    private readonly double? rxyConstant;
    private readonly int rxyCell = -1;
    private readonly int[] ifixb;
    private readonly double[]? lower;
    private readonly double[]? upper;
    private readonly int fitType;
    private readonly int derivative;
    private readonly BoundsMethod boundsMethod;
    private readonly InferenceRequest inferenceRequest;
    private readonly bool absoluteWeights;
    private readonly BatchJobOptions options;
    private readonly Model fitModel;

    private BatchSpec(BatchJobOptions options, GroupReader reader)
    {
        this.options = options;
        string fit = Choice(options.Fit, "--fit", "odr", "ols", "implicit");
        string deriv = Choice(options.Deriv, "--deriv", "analytic", "forward", "central");
        bool isImplicit = fit == "implicit";
        IsImplicit = isImplicit;
        fitType = FitType(fit);
        derivative = Derivative(deriv);
        if (options.Models.Count == 0) throw new CliException("give the model with --model, e.g. --model 'B0 + B1*x' or --model linear");
        if (options.MaxIt is < 1) throw new CliException("--maxit must be at least 1");
        CheckPositive(options.SsTol, "--sstol");
        CheckPositive(options.ParTol, "--partol");
        CheckPositive(options.TauFac, "--taufac");
        inferenceRequest = InferenceRequest.From(options);
        if (options.Sx is not null && options.Wx is not null) throw new CliException("give --sx or --wx, not both");
        if (options.Sy is not null && options.Wy is not null) throw new CliException("give --sy or --wy, not both");
        if (options.Beta0 is null && options.Beta0From is null && options.Beta0FromResults is null) throw new CliException("give the starting values with --beta0 (the same for every group), --beta0-from (columns) or --beta0-from-results (an earlier batch's results)");
        if (options.Beta0 is not null && options.Beta0From is not null) throw new CliException("give --beta0 or --beta0-from, not both");
        if (options.Beta0From is not null && options.Beta0FromResults is not null) throw new CliException("give --beta0-from or --beta0-from-results, not both");
        if (isImplicit && options.Y is not null) throw new CliException("--fit implicit takes no --y columns: write the model as an expression that is zero on the curve");
        if (isImplicit && (options.Sy is not null || options.Wy is not null)) throw new CliException("--fit implicit has no responses: --sy and --wy do not apply");

        GroupColumn = reader.ColumnIndex(options.Group, "--group");
        GroupName = reader.Header[GroupColumn];

        // Inputs and responses are resolved as odr fit resolves them (FormulaColumns), among the columns
        // other than the group column and the --beta0-from columns, which are constant within a group.
        var excluded = new HashSet<int> { GroupColumn };
        if (options.Beta0From is not null)
        {
            foreach (var item in Split(options.Beta0From, "--beta0-from")) excluded.Add(reader.ColumnIndex(item, "--beta0-from"));
        }
        foreach (var (list, option) in new[] { (options.X, "--x"), (options.Y, "--y") })
        {
            if (list is null) continue;
            foreach (var item in Split(list, option))
            {
                int c = reader.ColumnIndex(item, option);
                if (c == GroupColumn) throw new CliException($"column '{GroupName}' is the group column and cannot also be an input or response");
                if (excluded.Contains(c)) throw new CliException($"column '{reader.Header[c]}' holds starting values (--beta0-from) and cannot also be an input or response");
            }
        }
        foreach (var formula in options.Models)
        {
            if (FormulaColumns.Identifiers(formula).Any(id => id.Name == GroupName && id.Next != '('))
            {
                throw new CliException($"the model uses column '{GroupName}', which is the group column (the same in every row of a group); it cannot be an input");
            }
        }
        var candidates = Enumerable.Range(0, reader.Header.Count).Where(c => !excluded.Contains(c)).ToArray();
        int Candidate(string name, string option) => Array.IndexOf(candidates, reader.ColumnIndex(name, option));
        var sigmaColumns = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (list, option) in new[] { (options.Sx, "--sx"), (options.Wx, "--wx"), (options.Sy, "--sy"), (options.Wy, "--wy") })
        {
            if (list is not null) sigmaColumns.UnionWith(Split(list, option));
        }
        var resolved = FormulaColumns.Resolve([.. candidates.Select(c => reader.Header[c])], reader.Source, Candidate, options.Models,
            ColumnList(options.X, "--x"), ColumnList(options.Y, "--y"), isImplicit, sigmaColumns);
        int[] xColumns = [.. resolved.Inputs.Select(n => reader.ColumnIndex(n, "--x"))];
        int[] yColumns = [.. resolved.Responses.Select(n => reader.ColumnIndex(n, "--y"))];
        if (xColumns.Length == 0) throw new CliException($"{reader.Source} has no column for the input besides the group column; give it with --x");
        foreach (var c in yColumns)
        {
            if (xColumns.Contains(c)) throw new CliException($"column '{reader.Header[c]}' is both an input (--x) and a response (--y)");
        }
        inferenceRequest.CheckFit(isImplicit, xColumns.Length, yColumns.Length);
        absoluteWeights = (options.Sy ?? options.Wy) is not null && (fit == "ols" || (options.Sx ?? options.Wx) is not null);
        XNames = [.. xColumns.Select(c => reader.Header[c])];
        YNames = [.. yColumns.Select(c => reader.Header[c])];
        if (!isImplicit && options.Models.Count != yColumns.Length)
        {
            throw new CliException(string.Create(CultureInfo.InvariantCulture,
                $"{options.Models.Count} --model given for {yColumns.Length} response column{(yColumns.Length == 1 ? "" : "s")} ({string.Join(", ", YNames)}); give one --model per --y column"));
        }

        // The model, compiled once: its evaluation keeps no state, so every thread's fits share it.
        int givenCount = options.Beta0 is not null ? Numbers(options.Beta0, "--beta0", allowInfinite: false).Length
            : options.Beta0From is not null ? Split(options.Beta0From, "--beta0-from").Count
            : 0;
        var formulaNames = FormulaColumns.FormulaNames(XNames, reader.Header);
        if (options.Beta0 is null && options.Beta0From is null && options.Beta0FromResults is { } results)
        {
            givenCount = ResultsParameterCount(results, options.Models, formulaNames);
        }
        var model = ExpressionModel.Create(options.Models, formulaNames, givenCount, isImplicit);
        ModelTexts = model.Texts;
        int p = model.ParameterCount;
        ParameterCount = p;
        if (options.Beta0 is not null)
        {
            beta0 = Numbers(options.Beta0, "--beta0", allowInfinite: false);
            if (beta0.Length != p) throw new CliException(CountMessage("--beta0", beta0.Length, p, "give one starting value per parameter"));
        }
        beta0Names = [];
        ifixb = Enumerable.Repeat(1, p).ToArray();
        foreach (var k in Enumerable.Range(0, p).Where(k => !model.UsedParameters.Contains(k))) ifixb[k] = 0;
        if (options.Fix is not null)
        {
            foreach (var name in Split(options.Fix, "--fix")) ifixb[ParameterIndex(name, p)] = 0;
        }
        FreeParameters = ifixb.Count(f => f != 0);
        lower = options.Lower is null ? null : Bounds(options.Lower, "--lower", p);
        upper = options.Upper is null ? null : Bounds(options.Upper, "--upper", p);
        CheckBounds(lower, upper, beta0, p);
        boundsMethod = Choice(options.BoundsMethod, "--bounds-method", "active-set", "odrpack95") == "odrpack95" ? BoundsMethod.Odrpack95 : BoundsMethod.ActiveSet;
        Columns = ResultFile.Columns(GroupName, p);
        if (Columns.Skip(1).Contains(GroupName)) throw new CliException($"the group column's name '{GroupName}' is also the name of a result column; rename it");

        // The cells each group keeps: inputs, responses, standard deviation and starting value columns.
        var cells = new List<int>();
        var cellNames = new List<string>();
        int Need(int column)
        {
            int at = cells.IndexOf(column);
            if (at >= 0) return at;
            cells.Add(column);
            cellNames.Add(reader.Header[column]);
            return cells.Count - 1;
        }
        xCells = [.. xColumns.Select(Need)];
        yCells = [.. yColumns.Select(Need)];
        sx = Sigmas(reader, options.Sx ?? options.Wx, options.Sx is not null ? "--sx" : "--wx", options.Wx is not null && options.Sx is null, XNames, Need);
        sy = Sigmas(reader, options.Sy ?? options.Wy, options.Sy is not null ? "--sy" : "--wy", options.Wy is not null && options.Sy is null, YNames, Need);
        if (options.Beta0From is not null)
        {
            var names = Split(options.Beta0From, "--beta0-from");
            if (names.Count != p) throw new CliException(CountMessage("--beta0-from", names.Count, p, "give one column per parameter"));
            var columns = names.Select(n => reader.ColumnIndex(n, "--beta0-from")).ToArray();
            beta0Cells = [.. columns.Select(Need)];
            beta0Names = [.. columns.Select(c => reader.Header[c])];
        }
        if (options.Beta0FromResults is { } previous) earlier = EarlierEstimates(previous, GroupName, p);
        if (options.Rxy is { } rxy)
        {
            // As odr fit's CorrelatedData: the same conditions and messages.
            if (fit != "odr") throw new CliException($"--rxy needs --fit odr: {(fit == "ols" ? "ordinary least squares takes x as exact" : "an implicit fit has no y errors")}");
            if (xColumns.Length != 1 || yColumns.Length != 1) throw new CliException($"--rxy needs one input and one response; got {xColumns.Length} and {yColumns.Length}");
            if (sx is null || sy is null) throw new CliException("--rxy needs the errors of both x and y: give --sx or --wx and --sy or --wy");
            string text = rxy.Trim();
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double constant))
            {
                if (!(Math.Abs(constant) < 1)) throw new CliException(string.Create(CultureInfo.InvariantCulture, $"--rxy: the correlation {constant:R} must lie strictly between -1 and 1"));
                rxyConstant = constant;
            }
            else
            {
                rxyCell = Need(reader.ColumnIndex(text, "--rxy"));
            }
        }
        CellColumns = cells;
        CellNames = cellNames;
        fitModel = model.ToModel(isImplicit);
    }

    public int GroupColumn { get; }

    public string GroupName { get; }

    public bool IsImplicit { get; }

    public IReadOnlyList<string> XNames { get; }

    public IReadOnlyList<string> YNames { get; }

    public IReadOnlyList<string> ModelTexts { get; }

    public int ParameterCount { get; }

    public int FreeParameters { get; }

    /// <summary>The results file's columns.</summary>
    public string[] Columns { get; }

    /// <summary>The file columns each group keeps, in the order of <see cref="RawGroup.TryNumber"/>.</summary>
    public IReadOnlyList<int> CellColumns { get; }

    private IReadOnlyList<string> CellNames { get; }

    /// <summary>Resolves the options against the file's header.</summary>
    /// <exception cref="CliException">Bad options or columns.</exception>
    public static BatchSpec Resolve(BatchJobOptions options, GroupReader reader) => new(options, reader);

    /// <summary>
    /// What defines the results (model, columns, starting values, options): a results file is only
    /// resumed or merged with another whose description is the same.
    /// </summary>
    public JsonObject Describe()
    {
        static JsonArray Texts(IEnumerable<string> items) => [.. items.Select(s => (JsonNode?)JsonValue.Create(s))];
        static JsonNode? Values(double[]? values) => values is null ? null : Texts(values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        return new JsonObject
        {
            ["group"] = GroupName,
            ["models"] = Texts(options.Models),
            ["parsed_models"] = Texts(ModelTexts),
            ["x"] = Texts(XNames),
            ["y"] = Texts(YNames),
            ["sx"] = options.Sx,
            ["sy"] = options.Sy,
            ["wx"] = options.Wx,
            ["wy"] = options.Wy,
            ["rxy"] = options.Rxy,
            ["fit"] = Choice(options.Fit, "--fit", "odr", "ols", "implicit"),
            ["deriv"] = Choice(options.Deriv, "--deriv", "analytic", "forward", "central"),
            ["bounds_method"] = Choice(options.BoundsMethod, "--bounds-method", "active-set", "odrpack95"),
            ["ci_method"] = inferenceRequest.Method,
            ["ci_level"] = inferenceRequest.Level.ToString("R", CultureInfo.InvariantCulture),
            ["bootstrap_samples"] = inferenceRequest.Method == "bootstrap" ? inferenceRequest.Samples : null,
            ["seed"] = inferenceRequest.Method == "bootstrap" ? inferenceRequest.Seed : null,
            ["beta0"] = Values(beta0),
            ["beta0_from"] = beta0Cells is null ? null : Texts(beta0Names),
            ["beta0_from_results"] = options.Beta0FromResults,
            ["fixed"] = Texts(Enumerable.Range(0, ParameterCount).Where(k => ifixb[k] == 0).Select(k => string.Create(CultureInfo.InvariantCulture, $"B{k}"))),
            ["lower"] = Values(lower),
            ["upper"] = Values(upper),
            ["maxit"] = options.MaxIt,
            ["sstol"] = options.SsTol?.ToString("R", CultureInfo.InvariantCulture),
            ["partol"] = options.ParTol?.ToString("R", CultureInfo.InvariantCulture),
            ["taufac"] = options.TauFac?.ToString("R", CultureInfo.InvariantCulture),
            ["columns"] = Texts(Columns),
        };
    }

    // Each thread's x and y columns of the group it is fitting: every use copies them (Data and RealData
    // keep copies of their own), so a batch need not allocate them for every group.
    [ThreadStatic]
    private static double[][]? t_xs;

    [ThreadStatic]
    private static double[][]? t_ys;

    /// <summary>The thread's <paramref name="count"/> columns of exactly <paramref name="n"/> values (their
    /// contents are overwritten by the caller).</summary>
    private static double[][] ColumnScratch(ref double[][]? kept, int count, int n)
    {
        if (kept is null || kept.Length != count) kept = new double[count][];
        for (int v = 0; v < count; v++)
        {
            if (kept[v] is null || kept[v].Length != n) kept[v] = new double[n];
        }
        return kept;
    }

    /// <summary>Fits one group; problems with its data or its fit become the row's error.</summary>
    /// <exception cref="OperationCanceledException">The batch was stopped during the fit.</exception>
    public ResultRow Fit(RawGroup group, CancellationToken cancellation)
    {
        int n = group.RowCount;
        int p = ParameterCount;
        string? problem = null;
        double[][] Column(int[] cellIndices, ref double[][]? kept)
        {
            var result = ColumnScratch(ref kept, cellIndices.Length, n);
            for (int v = 0; v < cellIndices.Length; v++)
            {
                var values = result[v];
                for (int r = 0; r < n && problem is null; r++) values[r] = Cell(group, r, cellIndices[v], out problem);
            }
            return result;
        }
        var xs = Column(xCells, ref t_xs);
        var ys = Column(yCells, ref t_ys);
        var wx = SigmaValues(group, sx, ref problem);
        var wy = SigmaValues(group, sy, ref problem);
        double[]? rxyValues = null;
        if (rxyCell >= 0 && problem is null)
        {
            rxyValues = new double[n];
            for (int r = 0; r < n && problem is null; r++)
            {
                rxyValues[r] = Cell(group, r, rxyCell, out problem);
                if (problem is null && !(Math.Abs(rxyValues[r]) < 1))
                {
                    problem = string.Create(CultureInfo.InvariantCulture, $"row {group.RowNumber(r)}, column '{CellNames[rxyCell]}': the correlation {rxyValues[r]:R} must lie strictly between -1 and 1");
                }
            }
        }
        double[] start = beta0 ?? new double[p];
        if (earlier is not null && earlier.TryGetValue(group.Key, out var previous))
        {
            start = previous;
        }
        else if (earlier is not null && beta0 is null)
        {
            problem ??= $"no starting values: group '{group.Key}' has no estimates in --beta0-from-results {options.Beta0FromResults}; give --beta0 for such groups";
        }
        if (beta0Cells is not null && problem is null)
        {
            start = new double[p];
            for (int k = 0; k < p && problem is null; k++)
            {
                start[k] = Cell(group, 0, beta0Cells[k], out problem);
                for (int r = 1; r < n && problem is null; r++)
                {
                    double other = Cell(group, r, beta0Cells[k], out problem);
                    if (problem is null && other.CompareTo(start[k]) != 0)
                    {
                        problem = string.Create(CultureInfo.InvariantCulture,
                            $"--beta0-from column '{beta0Names[k]}' varies within the group ({start[k]:R} in row {group.RowNumber(0)}, {other:R} in row {group.RowNumber(r)}); give one starting value per group");
                    }
                }
            }
        }
        if (problem is null && n < FreeParameters)
        {
            problem = string.Create(CultureInfo.InvariantCulture,
                $"{n} observation{(n == 1 ? "" : "s")} for {FreeParameters} free parameter{(FreeParameters == 1 ? "" : "s")}: a fit needs at least as many observations as parameters");
        }
        if (problem is not null) return ResultRow.Failed(group.Key, p, problem);

        try
        {
            Data data;
            if (rxyConstant is null && rxyCell < 0)
            {
                data = new Data(Stack(xs, n), IsImplicit ? null : Stack(ys, n), we: wy is null ? null : Stack(wy, n), wd: wx is null ? null : Stack(wx, n));
            }
            else
            {
                // As odr fit: the weights back to standard deviations, the correlation a number or a column.
                NdArray r = rxyConstant is { } c ? c : rxyValues!;
                static double[] Sigmas(double[] w) => w.Select(v => 1 / Math.Sqrt(v)).ToArray();
                data = new RealData(xs[0], ys[0], sx: Sigmas(wx![0]), sy: Sigmas(wy![0]), rxy: r);
            }
            var odr = new ODR(data, fitModel, start, ifixb: ifixb, maxit: options.MaxIt, sstol: options.SsTol, partol: options.ParTol, taufac: options.TauFac, lower: lower, upper: upper)
            {
                BoundsMethod = boundsMethod,
                MaxDegreeOfParallelism = 1, // the groups are the parallel level
            };
            odr.SetJob(fitType: fitType, deriv: derivative);
            var output = odr.Run(cancellation);
            return new ResultRow(group.Key, output.Info, output.Converged, output.Beta, output.SdBeta, output.ResVar, output.Iterations, "", Inference(odr, output));
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw;
        }
        catch (ModelEvaluationException e)
        {
            return ResultRow.Failed(group.Key, p, "the model could not be evaluated: " + CliMessages.OneLine(e.Message));
        }
        catch (Exception e) when (e is ArgumentException)
        {
            return ResultRow.Failed(group.Key, p, CliMessages.OneLine(e.Message));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One group's unexpected failure must not lose the other groups' results.
            return ResultRow.Failed(group.Key, p, $"internal error: {e.GetType().Name}: {CliMessages.OneLine(e.Message)}");
        }
    }

    /// <summary>
    /// The inference columns of a fitted group, computed as odr fit computes them (InferenceReport):
    /// intervals by --ci at --level, goodness of fit where defined. Intervals that cannot be found for
    /// this group (a profile that finds a lower minimum, say) are missing (NaN), not an error of its fit.
    /// </summary>
    private double[] Inference(ODR odr, Output output)
    {
        int p = ParameterCount;
        InferenceReport report;
        bool intervalsFound = true;
        try
        {
            report = InferenceReport.Compute(odr, output, inferenceRequest, absoluteWeights, TextWriter.Null);
        }
        catch (CliException)
        {
            report = InferenceReport.Compute(odr, output, inferenceRequest with { Method = "wald" }, absoluteWeights, TextWriter.Null);
            intervalsFound = false;
        }
        var values = new double[(2 * p) + 7];
        for (int k = 0; k < p; k++)
        {
            values[2 * k] = intervalsFound ? report.Intervals[k].Lower : double.NaN;
            values[(2 * k) + 1] = intervalsFound ? report.Intervals[k].Upper : double.NaN;
        }
        var g = report.Goodness;
        values[2 * p] = g?.ChiSquare ?? double.NaN;
        values[(2 * p) + 1] = g?.DegreesOfFreedom ?? double.NaN;
        values[(2 * p) + 2] = g?.PValue ?? double.NaN;
        values[(2 * p) + 3] = g?.ReducedChiSquare ?? double.NaN;
        values[(2 * p) + 4] = g?.LogLikelihood ?? double.NaN;
        values[(2 * p) + 5] = g?.Aic ?? double.NaN;
        values[(2 * p) + 6] = g?.Bic ?? double.NaN;
        return values;
    }

    private double Cell(RawGroup group, int row, int cell, out string? problem)
    {
        if (!group.TryNumber(row, cell, out double v, out string text))
        {
            string shown = text.Length == 0 ? "an empty cell" : text == RawGroup.Null ? "a missing value (null)" : $"'{text}'";
            problem = string.Create(CultureInfo.InvariantCulture, $"row {group.RowNumber(row)}, column '{CellNames[cell]}': {shown} is not a number");
            return double.NaN;
        }
        if (!double.IsFinite(v))
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"row {group.RowNumber(row)}, column '{CellNames[cell]}': {group.Shown(row, cell)} is not a finite number (NaN and infinities are not allowed in data)");
            return double.NaN;
        }
        problem = null;
        return v;
    }

    /// <summary>
    /// The weights of a group, one array per variable, as odr fit computes them (OptionParsing.WeightOf):
    /// 1/s² of a standard deviation, a weight as given, so that a group fits to the same bits as odr fit
    /// of its rows alone; a bad value is the group's error.
    /// </summary>
    private double[][]? SigmaValues(RawGroup group, Sigma[]? sigmas, ref string? problem)
    {
        if (sigmas is null || problem is not null) return null;
        int n = group.RowCount;
        var result = new double[sigmas.Length][];
        for (int v = 0; v < sigmas.Length && problem is null; v++)
        {
            var s = sigmas[v];
            var values = new double[n];
            if (s.Cell < 0)
            {
                Array.Fill(values, s.Constant);
            }
            else
            {
                for (int r = 0; r < n && problem is null; r++)
                {
                    double value = Cell(group, r, s.Cell, out problem);
                    if (problem is not null) break;
                    try
                    {
                        values[r] = WeightOf(value, s.IsWeight, string.Create(CultureInfo.InvariantCulture, $"row {group.RowNumber(r)}, column '{CellNames[s.Cell]}'"), value.ToString("R", CultureInfo.InvariantCulture));
                    }
                    catch (CliException e)
                    {
                        problem = e.Message;
                    }
                }
            }
            result[v] = values;
        }
        return result;
    }

    /// <summary>A standard deviation (or weight) per variable: a kept cell, or a constant weight.</summary>
    private readonly record struct Sigma(int Cell, double Constant, bool IsWeight);

    private static Sigma[]? Sigmas(GroupReader reader, string? text, string option, bool areWeights, IReadOnlyList<string> variables, Func<int, int> need)
    {
        if (text is null) return null;
        var items = Split(text, option);
        if (items.Count != variables.Count)
        {
            throw new CliException(string.Create(CultureInfo.InvariantCulture,
                $"{option} names {items.Count} item{(items.Count == 1 ? "" : "s")} for {variables.Count} variable{(variables.Count == 1 ? "" : "s")} ({string.Join(", ", variables)}); give one column or number per variable"));
        }
        var result = new Sigma[items.Count];
        for (int v = 0; v < items.Count; v++)
        {
            string item = items[v];
            if (reader.HasColumn(item) || !CsvTable.TryParseNumber(item, out double constant))
            {
                result[v] = new Sigma(need(reader.ColumnIndex(item, option)), double.NaN, areWeights);
            }
            else
            {
                result[v] = new Sigma(-1, WeightOf(constant, areWeights, option, item), areWeights);
            }
        }
        return result;
    }


    /// <summary>
    /// The number of parameters of a results file (B0..Bk, from its columns) when it alone gives the
    /// starting values: refused when the formulas use another number (a formula that does not parse is
    /// left to <see cref="ExpressionModel.Create"/> to report).
    /// </summary>
    private static int ResultsParameterCount(string path, IReadOnlyList<string> models, IReadOnlyList<string> inputNames)
    {
        var format = ResultFile.FormatOf(path, "--beta0-from-results");
        if (!File.Exists(path)) throw new CliException($"--beta0-from-results: file not found: {path}");
        int theirs = ResultFile.ParameterCount(ResultFile.ReadColumns(path, format));
        try
        {
            int p = Odr.Expressions.Formula.CombinedParameterCount([.. models.Select(m => Odr.Expressions.Formula.Parse(m, inputNames))]);
            if (p > 0 && p != theirs) throw ParameterMismatch(path, theirs, p);
        }
        catch (Odr.Expressions.ExpressionException)
        {
        }
        return theirs;
    }

    private static CliException ParameterMismatch(string path, int theirs, int p) => new(string.Create(CultureInfo.InvariantCulture,
        $"--beta0-from-results {path} has the parameters {ParameterRange(theirs)} but the model uses {p} ({ParameterRange(p)}): it holds the results of another model"));

    /// <summary>
    /// The estimates of every group an earlier batch fitted (its failed groups, whose estimates are
    /// missing, are left out). The file must be a results file of this group column and of a model with
    /// the same parameters B0..Bk: anything else would start the fits from numbers that mean something else.
    /// </summary>
    private static Dictionary<string, double[]> EarlierEstimates(string path, string groupName, int p)
    {
        var format = ResultFile.FormatOf(path, "--beta0-from-results");
        var result = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var (columns, row) in ResultFile.Read(path, format, null))
        {
            if (row is null)
            {
                int theirs = ResultFile.ParameterCount(columns);
                if (theirs != p) throw ParameterMismatch(path, theirs, p);
                if (columns[0] != groupName) throw new CliException($"--beta0-from-results {path} has the group column '{columns[0]}', not '{groupName}': it holds the results of another batch");
                continue;
            }
            if (!result.TryAdd(row.Key, row.Beta)) throw new CliException($"--beta0-from-results {path} has group '{row.Key}' twice");
            if (row.Beta.Any(v => !double.IsFinite(v))) result.Remove(row.Key);
        }
        return result;
    }
}

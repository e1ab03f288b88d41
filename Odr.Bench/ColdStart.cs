using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Odr.Bench;

/// <summary>
/// <c>coldstart</c>: Odr and scipy.odr from a fresh process, side by side, every process timed from
/// outside (see bench/README.md, "Cold start"). Round after round, in turn, so both sides of a row see
/// the same minutes of a shared machine's load:
/// <list type="bullet">
/// <item>the library: bench/ColdFit (a console application with default runtime settings) and
/// bench/scipy_cold_fit.py each fit an exponential and a straight line of 1,000 points with sx and sy
/// and forward differences and report their first fit, fits 2–31 and the steady state;</item>
/// <item>the tool: <c>odr fit DATA.csv</c> against bench/scipy_cold_cli.py (numpy reads the CSV,
/// scipy.odr fits with analytic derivatives, pprint()), whole processes, 10 and 1e5 rows.</item>
/// </list>
/// Options: <c>--python</c>, <c>--coldfit LABEL=ColdFit.dll|EXECUTABLE,...</c>, <c>--odr LABEL=EXECUTABLE,...</c>
/// (a .dll runs under <c>dotnet</c>, anything else is run itself: a Native AOT build), <c>--runs</c> (7), <c>--rows 10,100000</c>, <c>--scripts bench</c>.
/// </summary>
internal static class ColdStart
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private const string OdrModel = "B0*exp(B1*x) + B2";

    public static int Run(Dictionary<string, string> o)
    {
        string python = o.GetValueOrDefault("python", "/usr/bin/python3");
        string scripts = o.GetValueOrDefault("scripts", "bench");
        int runs = int.Parse(o.GetValueOrDefault("runs", "7"), Inv);
        var coldFits = Labeled(o.GetValueOrDefault("coldfit", ""));
        var tools = Labeled(o.GetValueOrDefault("odr", ""));
        int[] rows = [.. o.GetValueOrDefault("rows", "10,100000").Split(',').Select(s => (int)double.Parse(s, Inv))];
        string dir = Path.Combine(Path.GetTempPath(), "odr-coldstart-" + Environment.ProcessId.ToString(Inv));
        Directory.CreateDirectory(dir);
        int failures = 0;
        try
        {
            Console.WriteLine($"Machine: {Program.MachineDescription()}; load average before: {LoadAverage()}; {runs} rounds");
            Console.WriteLine();
            if (coldFits.Count > 0) failures += Library(python, Path.Combine(scripts, "scipy_cold_fit.py"), coldFits, runs, dir);
            if (tools.Count > 0) failures += Tool(python, Path.Combine(scripts, "scipy_cold_cli.py"), tools, rows, runs, dir);
            Console.WriteLine($"load average after: {LoadAverage()}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        return failures == 0 ? 0 : 1;
    }

    private static List<(string Label, string Path)> Labeled(string list) =>
        [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(item =>
        {
            int eq = item.IndexOf('=', StringComparison.Ordinal);
            return eq < 0 ? (Path.GetFileNameWithoutExtension(item), item) : (item[..eq], item[(eq + 1)..]);
        })];

    private static int Library(string python, string script, List<(string Label, string Path)> coldFits, int runs, string dir)
    {
        int failures = 0;
        var table = new StringBuilder();
        table.AppendLine("| model (n = 1,000, sx and sy, forward differences) | who | first fit ms | first fit CPU ms | fits 2–31 median ms | fits 2–31 worst ms | steady ms | first / scipy's first | fits 2–31 / steady | process s |");
        table.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (string model in new[] { "exp", "line" })
        {
            string csv = Path.Combine(dir, model + "-1000.csv");
            WriteCsv(csv, model, 1000, model == "exp" ? 1 : 2);
            var results = new Dictionary<string, List<(JsonElement Json, double Wall)>>();
            var who = new List<(string Label, string File, string[] Args)> { ("scipy.odr", python, [script, model, csv]) };
            who.AddRange(coldFits.Select(c => c.Path.EndsWith(".dll", StringComparison.Ordinal)
                ? (c.Label, "dotnet", new[] { c.Path, model, csv })
                : (c.Label, c.Path, new[] { model, csv })));
            for (int r = 0; r < runs; r++)
            {
                foreach (var (label, file, args) in who)
                {
                    var (code, stdout, wall) = Time(file, args);
                    if (code != 0) throw new InvalidOperationException($"{label} {model} exited with {code}: {stdout}");
                    if (!results.TryGetValue(label, out var list)) results[label] = list = [];
                    list.Add((JsonDocument.Parse(stdout).RootElement.Clone(), wall));
                }
            }
            double scipyFirst = Median(results["scipy.odr"].Select(x => x.Json.GetProperty("first").GetDouble()));
            var scipyBeta = Beta(results["scipy.odr"][0].Json);
            foreach (var (label, _, _) in who)
            {
                var list = results[label];
                double M(string key) => Median(list.Select(x => x.Json.TryGetProperty(key, out var v) ? v.GetDouble() : double.NaN));
                double first = M("first"), firstCpu = M("first_cpu"), later = M("later_median"), worst = M("later_max"), steady = M("steady");
                var beta = Beta(list[0].Json);
                double rel = beta.Zip(scipyBeta, (a, b) => Math.Abs(a - b) / Math.Max(Math.Abs(b), 1e-300)).Max();
                if (rel > 1e-6)
                {
                    failures++;
                    Console.WriteLine($"{label} {model}: beta differs from scipy's by {rel:0.0e+0}");
                }
                table.AppendLine(string.Format(Inv, "| {0} | {1} | {2:F2} | {9:F2} | {3:F3} | {4:F2} | {5:F3} | {6:F2} | {7:F2} | {8:F2} |",
                    model, label, 1e3 * first, 1e3 * later, 1e3 * worst, 1e3 * steady, first / scipyFirst, later / steady, Median(list.Select(x => x.Wall)), 1e3 * firstCpu));
            }
        }
        Console.WriteLine($"Library, fresh processes: medians of {runs} processes each (each process: fit 1, fits 2–31, then the median of 21 fits after a second of warm-up; a fit is timed from building RealData to Run's return).");
        Console.WriteLine();
        Console.Write(table);
        Console.WriteLine();
        return failures;
    }

    private static int Tool(string python, string script, List<(string Label, string Path)> tools, int[] rows, int runs, string dir)
    {
        int failures = 0;
        var table = new StringBuilder();
        table.AppendLine("| CSV rows | who | whole process s (median) | / scipy (median of paired ratios) | fastest s | slowest s | CPU s (median) | CPU / scipy |");
        table.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|");
        foreach (int n in rows)
        {
            string csv = Path.Combine(dir, "cli-" + n.ToString(Inv) + ".csv");
            WriteCsv(csv, "exp", n, 3 + n);
            var who = new List<(string Label, string File, string[] Args)> { ("scipy.odr", python, [script, csv]) };
            foreach (var (label, path) in tools)
            {
                string[] fit = ["fit", csv, "--model", OdrModel, "--beta0", "1.5,1,0", "--sx", "sx", "--sy", "sy"];
                who.Add(path.EndsWith(".dll", StringComparison.Ordinal) ? (label, "dotnet", [path, .. fit]) : (label, path, fit));
            }
            var walls = who.ToDictionary(w => w.Label, _ => new List<double>());
            var cpus = who.ToDictionary(w => w.Label, _ => new List<double>());
            for (int r = 0; r < runs; r++)
            {
                foreach (var (label, file, args) in who)
                {
                    var (code, stdout, wall) = Time(file, args);
                    if (code != 0 || !stdout.Contains("Beta", StringComparison.Ordinal))
                    {
                        failures++;
                        Console.WriteLine($"{label} on {n} rows exited with {code}");
                    }
                    walls[label].Add(wall);
                    cpus[label].Add(LastCpu);
                }
            }
            var scipy = walls["scipy.odr"];
            foreach (var (label, _, _) in who)
            {
                var w = walls[label];
                var c = cpus[label];
                table.AppendLine(string.Format(Inv, "| {0} | {1} | {2:F3} | {3:F2} | {4:F3} | {5:F3} | {6:F3} | {7:F2} |", n, label, Median(w),
                    Median(w.Select((t, i) => t / scipy[i])), w.Min(), w.Max(), Median(c), Median(c) / Median(cpus["scipy.odr"])));
            }
        }
        Console.WriteLine($"The tool, whole processes (`odr fit DATA.csv --model '{OdrModel}' --beta0 1.5,1,0 --sx sx --sy sy` against bench/scipy_cold_cli.py), {runs} paired runs:");
        Console.WriteLine();
        Console.Write(table);
        Console.WriteLine();
        return failures;
    }

    /// <summary>Columns x, y, sx, sy: an exponential (2·exp(1.3 t) + 0.5 on [0, 2)) or a straight
    /// line (1 + 2t on [0, 10)) with uniform noise, written with round-trip precision.</summary>
    private static void WriteCsv(string path, string model, int n, int seed)
    {
        var rng = new Random(seed);
        double U() => (2 * rng.NextDouble()) - 1;
        var sb = new StringBuilder("x,y,sx,sy\n");
        for (int i = 0; i < n; i++)
        {
            double t = (model == "exp" ? 2.0 : 10.0) * i / n;
            double x = t + (0.01 * U());
            double y = (model == "exp" ? (2.0 * Math.Exp(1.3 * t)) + 0.5 : 1.0 + (2.0 * t)) + (0.05 * U());
            double sx = 0.01 + (0.002 * rng.NextDouble()), sy = 0.05 + (0.01 * rng.NextDouble());
            sb.Append(string.Create(Inv, $"{x:R},{y:R},{sx:R},{sy:R}\n"));
        }
        File.WriteAllText(path, sb.ToString());
    }

    /// <summary>Runs a process to its end: exit code, standard output, wall seconds from start to exit
    /// (and, in <see cref="LastCpu"/>, its processor seconds).</summary>
    private static (int Code, string Stdout, double Wall) Time(string file, string[] args)
    {
        double cpu0 = ChildrenCpu();
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        long t0 = Stopwatch.GetTimestamp();
        using var p = Process.Start(psi)!;
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        double wall = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        LastCpu = ChildrenCpu() - cpu0;
        return (p.ExitCode, stdout, wall);
    }

    /// <summary>Processor seconds (user + system) of the last process <see cref="Time"/> ran: what
    /// getrusage counts for reaped children grew by while it ran (children run one at a time).</summary>
    private static double LastCpu { get; set; }

    private static double ChildrenCpu()
    {
        if (!OperatingSystem.IsLinux()) return double.NaN;
        Span<long> usage = stackalloc long[18]; // struct rusage: two timevals, then 14 longs
        if (GetRusage(-1 /* RUSAGE_CHILDREN */, ref usage[0]) != 0) return double.NaN;
        return usage[0] + (1e-6 * usage[1]) + usage[2] + (1e-6 * usage[3]);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetRusage(int who, ref long usage);

    private static double[] Beta(JsonElement e) => [.. e.GetProperty("beta").EnumerateArray().Select(v => v.GetDouble())];

    private static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var s = values.Order().ToArray();
        int h = s.Length / 2;
        return s.Length % 2 == 1 ? s[h] : 0.5 * (s[h - 1] + s[h]);
    }
}

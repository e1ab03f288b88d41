using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Running;

namespace Odr.Bench;

/// <summary>Entry point. Modes: <c>compare</c> (side by side with scipy.odr), <c>scaling</c>
/// (time per iteration against n), <c>alloc</c> (allocated bytes per fit at maxit 5 and 50),
/// <c>peak</c> (peak memory of one large exponential fit), <c>batch</c> (batch throughput),
/// <c>bandwidth</c> (the machine's read bandwidth from cache and from memory), <c>coldstart</c>
/// (fresh processes of Odr and scipy.odr, see <see cref="ColdStart"/>), and anything
/// else goes to BenchmarkDotNet's switcher (e.g. <c>--filter *Fit*</c>).</summary>
public static class Program
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Runs a mode.</summary>
    public static int Main(string[] args)
    {
        string mode = args.Length > 0 ? args[0] : string.Empty;
        var options = ParseOptions(args.Skip(1).ToArray());
        switch (mode)
        {
            case "compare": return Compare(options);
            case "scaling": return Scaling(options);
            case "alloc": return Alloc();
            case "peak": return Peak(options);
            case "batch": return Batch(options);
            case "fit": return OneFit(options);
            case "bandwidth": return Bandwidth();
            case "coldstart": return ColdStart.Run(options);
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                return 0;
        }
    }

    private static Dictionary<string, string> ParseOptions(string[] args)
    {
        var d = new Dictionary<string, string>();
        for (int i = 0; i + 1 < args.Length; i += 2) d[args[i].TrimStart('-')] = args[i + 1];
        return d;
    }

    private static int[] Sizes(Dictionary<string, string> o, string def) =>
        o.GetValueOrDefault("sizes", def).Split(',').Select(s => (int)double.Parse(s, Inv)).ToArray();

    private static string[] Models(Dictionary<string, string> o) =>
        o.TryGetValue("models", out var v) ? v.Split(',') : Problem.Names;

    private static int Repeats(int n) => n <= 10_000 ? 21 : n <= 100_000 ? 9 : 5;

    /// <summary>Best wall time of the fit alone (after one warm-up run), the last fit's output and
    /// its Levenberg-Marquardt steps (ODRPACK's OLMAVG times the iterations).</summary>
    private static (double Seconds, Output Output, int LmSteps) TimeFit(Func<ODR> make, int repeats)
    {
        // Warm-up: fits for a full second (at most 5,000) so that the JIT's tiered compilation has
        // produced optimized code for every method — with only a few dozen fits a small problem is
        // timed in unoptimized code, ten times slower — then a pause for the background compiler.
        var warm = Stopwatch.StartNew();
        int warmups = 0;
        do
        {
            make().Run();
            warmups++;
        }
        while (warmups < 5000 && warm.Elapsed.TotalSeconds < 1.0);
        Thread.Sleep(200);
        make().Run();
        double best = double.MaxValue;
        Output? last = null;
        ODR? lastFit = null;
        for (int r = 0; r < repeats; r++)
        {
            lastFit = make();
            best = Math.Min(best, TimedRun(lastFit, out last));
        }
        return (best, last!, (int)Math.Round(lastFit!.AverageLmSteps * last!.Iterations));
    }

    /// <summary>Seconds of one Run of a built fit, after a full collection outside the timing.</summary>
    private static double TimedRun(ODR odr, out Output output)
    {
        FullCollection();
        var sw = Stopwatch.StartNew();
        output = odr.Run();
        return sw.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// A full garbage collection before a timed fit (outside the timing), as BenchmarkDotNet forces
    /// one between iterations: the previous fits' arrays are then freed, as CPython's reference
    /// counting frees scipy's at once. Without it they wait for the next gen-2 collection and every
    /// fit at n = 1e6 writes to tens of megabytes of pages the OS has never mapped (a ~12 µs fault
    /// each on this machine).
    /// </summary>
    private static void FullCollection()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static int Compare(Dictionary<string, string> o)
    {
        var sizes = Sizes(o, "100,1000,10000,100000,1000000");
        var models = Models(o);
        string script = o.GetValueOrDefault("script", Path.Combine("bench", "scipy_fit.py"));
        string python = o.GetValueOrDefault("python", "/usr/bin/python3");
        string? outFile = o.GetValueOrDefault("out");
        string[] derivs = o.GetValueOrDefault("deriv", "fd,analytic").Split(',');
        string dir = Path.Combine(Path.GetTempPath(), "odr-bench-" + Environment.ProcessId.ToString(Inv));
        Directory.CreateDirectory(dir);
        var manifest = new List<Dictionary<string, object>>();
        var cases = new List<(string Key, Problem P, bool Analytic)>();
        int circleMax = (int)double.Parse(o.GetValueOrDefault("circle-max", "100000"), Inv);
        foreach (int n in sizes)
        {
            foreach (string name in models)
            {
                if (name == "circle" && n > circleMax) continue; // minutes per fit in both at 1e6
                var p = Problem.Create(name, n);
                string prefix = Path.Combine(dir, name + "-" + n.ToString(Inv));
                p.Write(prefix);
                foreach (string d in derivs)
                {
                    bool analytic = d == "analytic";
                    string key = name + "/" + n.ToString(Inv) + "/" + d;
                    cases.Add((key, p, analytic));
                    manifest.Add(new Dictionary<string, object>
                    {
                        ["key"] = key,
                        ["name"] = name,
                        ["n"] = n,
                        ["m"] = p.M,
                        ["q"] = p.Q,
                        ["analytic"] = analytic,
                        ["beta0"] = p.Beta0,
                        ["prefix"] = prefix,
                        ["repeats"] = Repeats(n),
                    });
                }
            }
        }
        // scipy and Odr fit each problem in turn (scipy's runner answers one problem per line), so
        // both sides of a row see the same minutes of the shared machine's load.
        Console.Error.WriteLine($"scipy.odr and Odr: {cases.Count} fits each ...");
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        psi.ArgumentList.Add(script);
        using var proc = Process.Start(psi)!;
        string versions = proc.StandardOutput.ReadLine() ?? throw new InvalidOperationException("scipy runner gave no output");
        var sb = new StringBuilder();
        sb.AppendLine("| n | model | derivatives | scipy s | Odr s | Odr/scipy | iterations scipy | iterations Odr | LM steps scipy | LM steps Odr | beta agrees |");
        sb.AppendLine("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
        int failures = 0;
        for (int c = 0; c < cases.Count; c++)
        {
            var (key, p, analytic) = cases[c];
            proc.StandardInput.WriteLine(JsonSerializer.Serialize(manifest[c]));
            proc.StandardInput.Flush();
            string answer = proc.StandardOutput.ReadLine() ?? throw new InvalidOperationException("scipy runner failed on " + key);
            var s = JsonDocument.Parse(answer).RootElement;
            var (sec, output, lmSteps) = TimeFit(() => p.BuildOdr(analytic), Repeats(p.N));
            double ssec = s.GetProperty("seconds").GetDouble();
            var sbeta = s.GetProperty("beta").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            int sit = s.GetProperty("iterations").GetInt32();
            int slm = s.GetProperty("lm_steps").GetInt32();
            double maxRel = 0;
            for (int k = 0; k < sbeta.Length; k++) maxRel = Math.Max(maxRel, Math.Abs(output.Beta[k] - sbeta[k]) / Math.Max(Math.Abs(sbeta[k]), 1e-300));
            bool ok = maxRel <= 1e-6 && sit == output.Iterations;
            if (!ok) failures++;
            string row = string.Format(Inv, "| {0} | {1} | {2} | {3:F5} | {4:F5} | {5:F2} | {6} | {7} | {8} | {9} | {10} |", p.N, p.Name, analytic ? "analytic" : "forward", ssec, sec, sec / ssec, sit, output.Iterations, slm, lmSteps, ok ? $"yes ({maxRel:0.0e+0})" : $"NO ({maxRel:0.0e+0})");
            sb.AppendLine(row);
            Console.WriteLine(row);
        }
        proc.StandardInput.Close();
        proc.WaitForExit();
        if (proc.ExitCode != 0) throw new InvalidOperationException("scipy runner failed with exit code " + proc.ExitCode);
        string machine = MachineDescription() + " " + versions;
        Console.WriteLine(machine);
        if (outFile != null)
        {
            var md = new StringBuilder();
            md.AppendLine("# Odr vs scipy.odr");
            md.AppendLine();
            md.AppendLine("Generated by `bench/compare.sh` on " + DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", Inv) + ".");
            md.AppendLine();
            md.AppendLine("Machine: " + machine);
            md.AppendLine();
            md.AppendLine("Wall time of the fit alone (best of several runs after a warm-up; scipy and Odr fit each problem in turn, so both sides of a row see the same minutes of the machine's load; Odr with all cores, per-observation models for line/exp, vectorized models with ParallelModelEvaluation for the others).");
            md.AppendLine();
            md.Append(sb);
            File.WriteAllText(outFile, md.ToString());
        }
        Directory.Delete(dir, recursive: true);
        return failures == 0 ? 0 : 1;
    }

    internal static string MachineDescription()
    {
        string cpu = "unknown CPU";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException)
        {
        }
        return $"{cpu}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }

    /// <summary>Seconds per iteration at each size. The sizes are timed in turn, round after round
    /// (best of <c>--rounds</c>, 7 by default), so that on a shared machine both see the same moments
    /// of its load and their ratio does not mix a quiet minute with a busy one. With two sizes, the
    /// smaller problem's data repeated up to the larger size is timed too: its fit takes the smaller
    /// one's path (the same iterations and trust-region steps), where independent data of the larger
    /// size may need more steps per iteration. With more sizes (say 1e4 … 1e7, to see where the
    /// problem leaves the caches) each size's ratio to the one before it is printed.</summary>
    private static int Scaling(Dictionary<string, string> o)
    {
        var sizes = Sizes(o, "100000,1000000");
        int rounds = int.Parse(o.GetValueOrDefault("rounds", "7"), Inv);
        var modes = o.GetValueOrDefault("deriv", "fd,analytic").Split(',').Select(d => d == "analytic").ToArray();
        Console.WriteLine("| model | derivatives | n | data | seconds | iterations | function evaluations | seconds/iteration | ns per observation and iteration |");
        Console.WriteLine("|---|---|---:|---|---:|---:|---:|---:|---:|");
        foreach (string name in o.TryGetValue("models", out var list) ? list.Split(',') : new[] { "line", "exp", "twoinput", "tworesp" })
        {
            foreach (bool analytic in modes)
            {
                var problems = sizes.Select(n => Problem.Create(name, n)).ToList();
                var labels = sizes.Select(_ => "own").ToList();
                bool tiled = sizes.Length == 2 && sizes[1] % sizes[0] == 0 && sizes[1] > sizes[0];
                if (tiled)
                {
                    problems.Add(problems[0].Tiled(sizes[1] / sizes[0]));
                    labels.Add(string.Format(Inv, "{0} x {1}", sizes[0], sizes[1] / sizes[0]));
                }
                var best = new double[problems.Count];
                var outputs = new Output[problems.Count];
                for (int k = 0; k < problems.Count; k++)
                {
                    var p = problems[k];
                    (best[k], outputs[k], _) = TimeFit(() => p.BuildOdr(analytic), 1); // warm-up, then one timed fit
                }
                for (int r = 1; r < rounds; r++)
                {
                    for (int k = 0; k < problems.Count; k++) best[k] = Math.Min(best[k], TimedRun(problems[k].BuildOdr(analytic), out outputs[k]));
                }
                var perIt = new double[problems.Count];
                string mode = analytic ? "analytic" : "forward";
                for (int k = 0; k < problems.Count; k++)
                {
                    perIt[k] = best[k] / Math.Max(outputs[k].Iterations, 1);
                    Console.WriteLine(string.Format(Inv, "| {0} | {1} | {2} | {3} | {4:F5} | {5} | {6} | {7:F6} | {8:F1} |", name, mode, problems[k].N, labels[k], best[k], outputs[k].Iterations, outputs[k].FunctionEvaluations, perIt[k], perIt[k] / problems[k].N * 1e9));
                }
                if (sizes.Length == 2) Console.WriteLine(string.Format(Inv, "| {0} | {1} | ratio | own | | | | {2:F2} | |", name, mode, perIt[1] / perIt[0]));
                if (tiled) Console.WriteLine(string.Format(Inv, "| {0} | {1} | ratio | tiled | | | | {2:F2} | |", name, mode, perIt[2] / perIt[0]));
                for (int k = 1; sizes.Length > 2 && k < sizes.Length; k++)
                {
                    Console.WriteLine(string.Format(Inv, "| {0} | {1} | ratio {2} → {3} | own | | | | {4:F2} | |", name, mode, Short(sizes[k - 1]), Short(sizes[k]), perIt[k] / perIt[k - 1]));
                }
            }
        }
        return 0;
    }

    /// <summary>1e5 for 100000, 2e6 for 2000000; other sizes as they are.</summary>
    private static string Short(int n)
    {
        int exponent = 0;
        int mantissa = n;
        while (mantissa >= 10 && mantissa % 10 == 0)
        {
            mantissa /= 10;
            exponent++;
        }
        return exponent >= 3 && mantissa < 10 ? string.Format(Inv, "{0}e{1}", mantissa, exponent) : n.ToString(Inv);
    }

    /// <summary>Read bandwidth of this machine from arrays of 4 MB (in a core's caches) up to 512 MB
    /// (beyond any cache), one thread and all of them: where a fit's arrays stop fitting the caches,
    /// its passes slow to this speed, whatever the code.</summary>
    private static int Bandwidth()
    {
        Console.WriteLine("| array | 1 thread GB/s | " + Environment.ProcessorCount + " threads GB/s |");
        Console.WriteLine("|---:|---:|---:|");
        foreach (int mb in new[] { 4, 32, 128, 512 })
        {
            var a = new double[mb * 131072];
            for (int i = 0; i < a.Length; i++) a[i] = i;
            int threads = Environment.ProcessorCount;
            double one = 0, all = 0;
            for (int rep = 0; rep < 5; rep++)
            {
                long passes = Math.Max(1, 1024 / mb);
                var sw = Stopwatch.StartNew();
                for (long k = 0; k < passes; k++) SumBlock(a, 0, a.Length);
                one = Math.Max(one, passes * 8.0 * a.Length / sw.Elapsed.TotalSeconds / 1e9);
                sw.Restart();
                Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
                {
                    int i0 = (int)((long)a.Length * t / threads), i1 = (int)((long)a.Length * (t + 1) / threads);
                    for (long k = 0; k < passes; k++) SumBlock(a, i0, i1);
                });
                all = Math.Max(all, passes * 8.0 * a.Length / sw.Elapsed.TotalSeconds / 1e9);
            }
            Console.WriteLine(string.Format(Inv, "| {0} MB | {1:F1} | {2:F1} |", mb, one, all));
        }
        return 0;
    }

    /// <summary>Sum of a[i0..i1) in four independent SIMD chains, so that the reads, not the
    /// additions, set the pace.</summary>
    private static double SumBlock(double[] a, int i0, int i1)
    {
        var s = a.AsSpan(i0, i1 - i0);
        var v0 = System.Numerics.Vector<double>.Zero;
        var v1 = v0;
        var v2 = v0;
        var v3 = v0;
        int w = System.Numerics.Vector<double>.Count, i = 0;
        for (; i + (4 * w) <= s.Length; i += 4 * w)
        {
            v0 += new System.Numerics.Vector<double>(s.Slice(i));
            v1 += new System.Numerics.Vector<double>(s.Slice(i + w));
            v2 += new System.Numerics.Vector<double>(s.Slice(i + (2 * w)));
            v3 += new System.Numerics.Vector<double>(s.Slice(i + (3 * w)));
        }
        double sum = System.Numerics.Vector.Sum(v0 + v1 + v2 + v3);
        for (; i < s.Length; i++) sum += s[i];
        return sum;
    }

    /// <summary>Allocated bytes (all threads) of one fit, at maxit 5 and 50.</summary>
    private static int Alloc()
    {
        Console.WriteLine("| model | n | maxit | iterations | allocated bytes per fit |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (string name in Problem.Names)
        {
            foreach (int n in new[] { 1000, 100_000 })
            {
                foreach (int maxit in new[] { 5, 50 })
                {
                    var (bytes, its) = MeasureAllocation(name, n, maxit);
                    Console.WriteLine(string.Format(Inv, "| {0} | {1} | {2} | {3} | {4:N0} |", name, n, maxit, its, bytes));
                }
            }
        }
        return 0;
    }

    /// <summary>Bytes allocated by the whole process during one fit (after a warm-up fit).</summary>
    public static (long Bytes, int Iterations) MeasureAllocation(string name, int n, int maxit)
    {
        var p = Problem.Create(name, n);
        var data = p.BuildData();
        ODR Make() => new(data, p.BuildModel(false), p.Beta0, maxit: maxit, sstol: 1e-300, partol: 1e-300) { ParallelModelEvaluation = true };
        Make().Run();
        var odr = Make();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var output = odr.Run();
        long after = GC.GetTotalAllocatedBytes(precise: true);
        return (after - before, output.Iterations);
    }

    private static int Peak(Dictionary<string, string> o)
    {
        int n = (int)double.Parse(o.GetValueOrDefault("n", "1000000"), Inv);
        string name = o.GetValueOrDefault("model", "exp");
        var p = Problem.Create(name, n);
        var output = p.BuildOdr(analytic: o.GetValueOrDefault("deriv", "fd") == "analytic").Run();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(string.Format(Inv, "{0} n={1}: iterations {2}, peak working set {3:F1} MB, managed heap peak-ish {4:F1} MB", name, n, output.Iterations, self.PeakWorkingSet64 / 1048576.0, GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0));
        return 0;
    }

    private static int OneFit(Dictionary<string, string> o)
    {
        int n = (int)double.Parse(o.GetValueOrDefault("n", "100000"), Inv);
        var p = Problem.Create(o.GetValueOrDefault("model", "exp"), n);
        bool analytic = o.GetValueOrDefault("deriv", "fd") == "analytic";
        int dop = int.Parse(o.GetValueOrDefault("dop", "-1"), Inv);
        int reps = int.Parse(o.GetValueOrDefault("repeats", "5"), Inv);
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var (sec, output, _) = TimeFit(() => p.BuildOdr(analytic, maxDegreeOfParallelism: dop), reps);
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds / (reps + 1);
        Console.WriteLine(string.Format(Inv, "{0} n={1} {2} dop={3}: {4:F5} s (mean CPU {7:F5} s), {5} iterations, beta {6}", p.Name, n, analytic ? "analytic" : "forward", dop, sec, output.Iterations, string.Join(", ", output.Beta.Select(b => b.ToString("R", Inv))), cpu));
        return 0;
    }

    private static int Batch(Dictionary<string, string> o)
    {
        int count = int.Parse(o.GetValueOrDefault("count", "10000"), Inv);
        int points = int.Parse(o.GetValueOrDefault("points", "50"), Inv);
        int rounds = int.Parse(o.GetValueOrDefault("rounds", "5"), Inv);
        var items = BatchProblems.Create(count, points);
        // Warm-up on both paths (tiered JIT), then a pause for the background compiler.
        OdrBatch.Run(items.Take(2000).ToArray(), new BatchOptions { MaxDegreeOfParallelism = 1 });
        OdrBatch.Run(items.Take(2000).ToArray());
        Thread.Sleep(300);
        OdrBatch.Run(items.Take(500).ToArray(), new BatchOptions { MaxDegreeOfParallelism = 1 });

        // One thread and all threads in turn, each after a full collection with the previous batch's
        // outputs dropped (as TimedRun does for single fits), so both start from the same heap.
        var serialTimes = new List<double>();
        var parallelTimes = new List<double>();
        double[][]? serialBetas = null;
        bool same = true;
        int reports = 0;
        (int Gen0, int Gen1) serialCollections = default, parallelCollections = default;
        double allocatedPerFit = 0;
        long serialFaults = 0, parallelFaults = 0;
        double parallelPause = 0;
        for (int r = 0; r < rounds; r++)
        {
            FullCollection();
            int gc0 = GC.CollectionCount(0), gc1 = GC.CollectionCount(1);
            long faults0 = MinorFaults();
            long bytes0 = GC.GetTotalAllocatedBytes(precise: true);
            var sw = Stopwatch.StartNew();
            var serial = OdrBatch.Run(items, new BatchOptions { MaxDegreeOfParallelism = 1 });
            serialTimes.Add(sw.Elapsed.TotalSeconds);
            serialCollections = (GC.CollectionCount(0) - gc0, GC.CollectionCount(1) - gc1);
            serialFaults = MinorFaults() - faults0;
            allocatedPerFit = (double)(GC.GetTotalAllocatedBytes(precise: true) - bytes0) / count;
            serialBetas ??= serial.Select(x => x.Beta).ToArray();
            serial = null;

            FullCollection();
            reports = 0;
            gc0 = GC.CollectionCount(0);
            gc1 = GC.CollectionCount(1);
            faults0 = MinorFaults();
            var pause0 = GC.GetTotalPauseDuration();
            sw.Restart();
            var parallel = OdrBatch.Run(items, new BatchOptions { Progress = new Action<int>(_ => Interlocked.Increment(ref reports)) });
            parallelTimes.Add(sw.Elapsed.TotalSeconds);
            parallelCollections = (GC.CollectionCount(0) - gc0, GC.CollectionCount(1) - gc1);
            parallelFaults = MinorFaults() - faults0;
            parallelPause = (GC.GetTotalPauseDuration() - pause0).TotalSeconds;
            same &= serialBetas.Zip(parallel).All(z => z.First.SequenceEqual(z.Second.Beta));
        }
        double t1 = serialTimes.Min(), tp = parallelTimes.Min();
        double median1 = Median(serialTimes), medianP = Median(parallelTimes);
        Console.WriteLine(string.Format(Inv, "batch of {0} fits x {1} points, best of {2} rounds: 1 thread {3:F3} s ({4:F0} fits/s), {5} threads {6:F3} s ({7:F0} fits/s), speed-up {8:F2} (medians {9:F3} / {10:F3} s: {11:F2}), identical results: {12}, progress reports {13}, collections per batch (gen0/gen1) {14}/{15} and {16}/{17}, {18:F1} KB allocated per fit, page faults {19} and {20}, GC pause in the last parallel batch {21:F3} s", count, points, rounds, t1, count / t1, Environment.ProcessorCount, tp, count / tp, t1 / tp, median1, medianP, median1 / medianP, same, reports, serialCollections.Gen0, serialCollections.Gen1, parallelCollections.Gen0, parallelCollections.Gen1, allocatedPerFit / 1024.0, serialFaults, parallelFaults, parallelPause));
        return 0;
    }

    /// <summary>Minor page faults of this process so far (Linux; 0 elsewhere).</summary>
    private static long MinorFaults()
    {
        try
        {
            string stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[7], Inv); // field 10 of stat: minflt
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        int h = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[h] : 0.5 * (sorted[h - 1] + sorted[h]);
    }
}

using System.Diagnostics;
using System.Globalization;
using Odr;

// One fresh process: the first fit of a model written as a user writes it (RealData with sx and sy,
// forward differences), fits 2..31 of the same problem, then the steady state (fits after a second of
// warm-up). Each fit is timed from building the data to Run's return. Prints one line of JSON.
// Usage: ColdFit exp|line DATA.csv [--no-steady] [--warmup SECONDS (1)]   (columns x, y, sx, sy; read before any timing)
var inv = CultureInfo.InvariantCulture;
string kind = args[0];
var rows = File.ReadAllLines(args[1]).Skip(1).Select(l => l.Split(',').Select(s => double.Parse(s, inv)).ToArray()).ToArray();
double[] x = [.. rows.Select(r => r[0])], y = [.. rows.Select(r => r[1])], sx = [.. rows.Select(r => r[2])], sy = [.. rows.Select(r => r[3])];

Output Fit() => kind == "exp"
    ? new ODR(new RealData(x, y, sx: sx, sy: sy), new Model((b, t) => b[0] * Math.Exp(b[1] * t) + b[2]), beta0: [1.5, 1.0, 0.0]).Run()
    : new ODR(new RealData(x, y, sx: sx, sy: sy), new Model((b, t) => b[0] + b[1] * t), beta0: [0.5, 1.5]).Run();

double Time(out Output output)
{
    long t0 = Stopwatch.GetTimestamp();
    output = Fit();
    return Stopwatch.GetElapsedTime(t0).TotalSeconds;
}

// Processor time of the whole process (all threads: the JIT's background compiler included) over
// the first fit: on a loaded machine the wall time also counts the minutes other processes took.
var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
double first = Time(out Output firstOut);
double firstCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
var later = new List<double>();
for (int k = 2; k <= 31; k++) later.Add(Time(out _));
var steady = new List<double>();
if (!args.Contains("--no-steady"))
{
    var warm = Stopwatch.StartNew();
    int w = Array.IndexOf(args, "--warmup");
    double warmup = w >= 0 ? double.Parse(args[w + 1], inv) : 1.0;
    for (int k = 0; k < 5000 * warmup && warm.Elapsed.TotalSeconds < warmup; k++) Fit();
    Thread.Sleep(200);
    for (int k = 0; k < 21; k++) steady.Add(Time(out _));
}
else
{
    steady.Add(double.NaN);
}

static double Median(List<double> v)
{
    var s = v.Order().ToList();
    return s.Count % 2 == 1 ? s[s.Count / 2] : 0.5 * (s[(s.Count / 2) - 1] + s[s.Count / 2]);
}

Console.WriteLine(string.Create(inv,
    $"{{\"first\": {first:R}, \"first_cpu\": {firstCpu:R}, \"later_median\": {Median(later):R}, \"later_max\": {later.Max():R}, \"steady\": {Median(steady):R}, " +
    $"\"iterations\": {firstOut.Iterations}, \"beta\": [{string.Join(", ", firstOut.Beta.Select(b => b.ToString("R", inv)))}]}}"));

// Examples of orthogonal distance regression with Odr and Odr.Plots.
//
//   dotnet run --project examples/Odr.Examples                      run all, plots into the current folder
//   dotnet run --project examples/Odr.Examples -- line --out plots  one example, plots into ./plots
//
// Examples: line (1), decay (2), implicit (3). Each prints its answer and writes PNG plots.
using System.Globalization;

namespace Odr.Examples;

/// <summary>Entry point of the examples; <see cref="Run"/> can also be called in-process (the tests do).</summary>
public static class Program
{
    /// <summary>The examples by name, with their number as an alias.</summary>
    public static IReadOnlyList<(string Name, string Number, string Question, Action<TextWriter, string> Run)> Examples { get; } =
    [
        ("line", "1", "How do I fit a straight line with errors in x and y, and why are the standard errors zero?", StraightLine.Run),
        ("decay", "2", "How does ODR differ from ordinary least squares on an exponential decay?", ExponentialDecay.Run),
        ("implicit", "3", "How do I fit an implicit curve (an ellipse) and several responses at once?", ImplicitAndMultiResponse.Run),
    ];

    /// <summary>Runs the examples named on the command line (all when none) and prints to the console.</summary>
    /// <param name="args">Example names or numbers, and <c>--out DIR</c> for the plots.</param>
    /// <returns>0 on success, 2 for bad arguments.</returns>
    public static int Main(string[] args) => Run(args, Console.Out);

    /// <summary>Runs the examples named in <paramref name="args"/> (all when none).</summary>
    /// <param name="args">Example names (line, decay, implicit) or numbers (1, 2, 3), and <c>--out DIR</c>
    /// for the folder that receives the plots (default: the current folder).</param>
    /// <param name="output">Where the examples print.</param>
    /// <returns>0 on success, 2 for bad arguments.</returns>
    public static int Run(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        string outDir = Directory.GetCurrentDirectory();
        var chosen = new List<(string Name, string Number, string Question, Action<TextWriter, string> Run)>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--out")
            {
                if (i + 1 >= args.Length)
                {
                    output.WriteLine("--out needs a folder.");
                    return 2;
                }
                outDir = Path.GetFullPath(args[++i]);
                continue;
            }
            var example = Examples.FirstOrDefault(e => e.Name == args[i] || e.Number == args[i]);
            if (example.Run is null)
            {
                output.WriteLine($"Unknown example '{args[i]}'; choose from {string.Join(", ", Examples.Select(e => $"{e.Name} ({e.Number})"))}, and --out DIR.");
                return 2;
            }
            chosen.Add(example);
        }
        if (chosen.Count == 0) chosen.AddRange(Examples);
        Directory.CreateDirectory(outDir);

        // Print numbers the same way everywhere.
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            foreach (var example in chosen)
            {
                output.WriteLine($"=== Example {example.Number} ({example.Name}): {example.Question} ===");
                output.WriteLine();
                example.Run(output, outDir);
                output.WriteLine();
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
        return 0;
    }

    /// <summary>Formats a vector as [a, b, c] with the given format.</summary>
    internal static string Format(IEnumerable<double> values, string format = "G6") =>
        "[" + string.Join(", ", values.Select(v => v.ToString(format, CultureInfo.InvariantCulture))) + "]";
}

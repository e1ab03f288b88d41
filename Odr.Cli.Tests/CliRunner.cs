using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Odr.Cli.Tests;

/// <summary>Runs the real command in-process and captures what it prints; or, when the environment
/// variable ODR_CLI_EXE names an executable (a published tool: ReadyToRun, Native AOT), runs that as a
/// process, so the same tests check what users install (bench/coldstart.sh --test-published).</summary>
internal static class CliRunner
{
    /// <summary>The published tool under test, or null to run the command in-process.</summary>
    public static string? Executable => Environment.GetEnvironmentVariable("ODR_CLI_EXE") is { Length: > 0 } exe ? exe : null;

    public static string DataDir => Path.Combine(AppContext.BaseDirectory, "Data");

    public static string ExampleDir => Path.Combine(AppContext.BaseDirectory, "examples", "data");

    public static CliResult Run(params string[] args)
    {
        if (Executable is { } exe) return RunProcess(exe, args);
        var stdout = new StringWriter(CultureInfo.InvariantCulture);
        var stderr = new StringWriter(CultureInfo.InvariantCulture);
        int code = CliApp.Run(args, stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    private static CliResult RunProcess(string exe, string[] args)
    {
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
        };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {exe}");
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return new CliResult(p.ExitCode, stdout, stderr.Result);
    }
}

internal sealed record CliResult(int Code, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {Code}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>A temporary folder, deleted at the end of the test.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "odr-cli-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name, string content)
    {
        string path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

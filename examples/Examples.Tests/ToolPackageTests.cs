using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Examples.Tests;

/// <summary>Packs the odr .NET tool, installs it from that package and runs its demo, as a user would.</summary>
public class ToolPackageTests
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    [Fact(Timeout = 900_000)]
    public async Task PackedToolInstallsAndRunsTheDemo()
    {
        string root = RepositoryRoot();
        using var dir = new TempDir("odr-tool-test-");
        string packages = dir.Combine("packages");
        string tools = dir.Combine("tools");
        string plot = dir.Combine("run", "fit.png");
        Directory.CreateDirectory(Path.GetDirectoryName(plot)!);

        // Pack with its own artifacts folder, so that nothing in the checkout's bin/obj folders changes.
        await Dotnet(root, "pack", Path.Combine(root, "Odr.Cli", "Odr.Cli.csproj"), "-c", "Release", "-o", packages,
            "--artifacts-path", dir.Combine("artifacts"), "--disable-build-servers", "-nodeReuse:false");
        string package = Assert.Single(Directory.GetFiles(packages, "Odr.Cli.*.nupkg"));
        Assert.EndsWith("Odr.Cli.0.1.0.nupkg", package);

        // Install only from that folder, with a fresh package cache: no network, and no stale copy of
        // odr.cli 0.1.0 from an earlier run.
        string config = dir.Combine("nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{packages}" />
              </packageSources>
            </configuration>
            """, new UTF8Encoding(false));
        await Dotnet(dir.Path, new Dictionary<string, string> { ["NUGET_PACKAGES"] = dir.Combine("nuget-cache") },
            "tool", "install", "--tool-path", tools, "--configfile", config, "Odr.Cli", "--version", "0.1.0");
        string odr = Path.Combine(tools, OperatingSystem.IsWindows() ? "odr.exe" : "odr");
        Assert.True(File.Exists(odr), $"{odr} was not installed");

        string output = await RunProcess(odr, dir.Combine("run"), null, "demo", "--plot", plot);
        Assert.Contains("Beta: [ 5.4799", output);
        Assert.Contains("-0.4805", output);
        Assert.Contains("Reason(s) for Halting:", output);
        Check.Png(plot);
    }

    /// <summary>The folder holding Solution.sln, found by walking up from the test's bin folder.</summary>
    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Solution.sln"))) return d.FullName;
        }
        // Built with an artifacts path outside the checkout: use the checkout the test was built from.
        string? built = typeof(ToolPackageTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        if (built is not null && File.Exists(Path.Combine(built, "Solution.sln"))) return built;
        throw new InvalidOperationException($"Solution.sln not found above {AppContext.BaseDirectory}.");
    }

    private static Task<string> Dotnet(string workingDirectory, params string[] args) => Dotnet(workingDirectory, null, args);

    private static Task<string> Dotnet(string workingDirectory, Dictionary<string, string>? environment, params string[] args)
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return RunProcess(string.IsNullOrEmpty(host) || !File.Exists(host) ? "dotnet" : host, workingDirectory, environment, args);
    }

    private static async Task<string> RunProcess(string fileName, string workingDirectory, Dictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args) info.ArgumentList.Add(a);
        // The test host runs under MSBuild's environment; a nested build must find its own SDK.
        foreach (string key in info.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToArray())
        {
            info.Environment.Remove(key);
        }
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_ROOT")))
        {
            info.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(host);
        }
        if (environment is not null)
        {
            foreach (var (key, value) in environment) info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} ran longer than {CommandTimeout}.");
        }
        string text = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"{fileName} {string.Join(' ', args)} exited with {process.ExitCode}:\n{text}");
        return await stdout;
    }
}

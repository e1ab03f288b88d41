using System.Diagnostics;

namespace Odr.Cli.Tests;

/// <summary>No output replaces the input, whatever path leads to it, and no output replaces another.</summary>
public class OutputSafetyTests
{
    private const string Data = "x,y\n1,2.1\n2,3.9\n3,6.2\n4,7.8\n";

    private static void AssertRefused(CliResult r, string fragment)
    {
        Assert.True(r.Code == 2, r.ToString());
        string err = r.Stderr.TrimEnd('\r', '\n');
        Assert.DoesNotContain('\n', err);
        Assert.StartsWith("odr: ", err, StringComparison.Ordinal);
        Assert.Contains(fragment, err, StringComparison.Ordinal);
    }

    private static CliResult Fit(string data, params string[] more) => CliRunner.Run(["fit", data, "--model", "linear", "--beta0", "0,1", .. more]);

    [Fact]
    public void JsonOntoTheFileASymlinkedInputPointsTo()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Combine("d"));
        string data = dir.File(Path.Combine("d", "data.csv"), Data);
        string link = dir.Combine("link.csv");
        File.CreateSymbolicLink(link, data);
        AssertRefused(Fit(link, "--json", data), "overwrite the input");
        Assert.Equal(Data, File.ReadAllText(data));
    }

    [Fact]
    public void JsonThroughASymlinkedFolderOntoTheInput()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Combine("d"));
        string data = dir.File(Path.Combine("d", "data.csv"), Data);
        Directory.CreateSymbolicLink(dir.Combine("alias"), dir.Combine("d"));
        AssertRefused(Fit(data, "--json", Path.Combine(dir.Combine("alias"), "data.csv")), "overwrite the input");
        Assert.Equal(Data, File.ReadAllText(data));

        // And the other way round: the input through the linked folder, the output by its real path.
        AssertRefused(Fit(Path.Combine(dir.Combine("alias"), "data.csv"), "--json", data), "overwrite the input");
        Assert.Equal(Data, File.ReadAllText(data));
    }

    [Fact]
    public void JsonOntoAHardLinkOfTheInput()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var dir = new TempDir();
        string data = dir.File("data.csv", Data);
        string hard = dir.Combine("hard.csv");
        using (var ln = Process.Start("ln", [data, hard]))
        {
            ln.WaitForExit();
            Assert.Equal(0, ln.ExitCode);
        }
        AssertRefused(Fit(data, "--json", hard), "overwrite the input");
        Assert.Equal(Data, File.ReadAllText(data));
    }

    [Fact]
    public void PlotOntoTheInputThroughARelativeDetour()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Combine("d"));
        string data = dir.File(Path.Combine("d", "fit.png"), Data);
        AssertRefused(Fit(data, "--plot", Path.Combine(dir.Path, "d", "..", "d", "fit.png")), "overwrite the input");
        Assert.Equal(Data, File.ReadAllText(data));
    }

    [Fact]
    public void JsonAndPlotToTheSameFileAreRefused()
    {
        using var dir = new TempDir();
        string data = dir.File("data.csv", Data);
        string output = dir.Combine("out.png");
        AssertRefused(Fit(data, "--json", output, "--plot", output), "same file");
        Assert.False(File.Exists(output));

        // The same file by way of a link.
        File.WriteAllText(output, "old");
        File.CreateSymbolicLink(dir.Combine("link.png"), output);
        AssertRefused(Fit(data, "--json", output, "--plot", dir.Combine("link.png")), "same file");
        Assert.Equal("old", File.ReadAllText(output));
    }

    [Fact]
    public void JsonAndPlotToDifferentFilesBothWritten()
    {
        using var dir = new TempDir();
        string data = dir.File("data.csv", Data);
        var r = Fit(data, "--json", dir.Combine("out.json"), "--plot", dir.Combine("out.png"));
        Assert.True(r.Code == 0, r.ToString());
        Assert.True(File.Exists(dir.Combine("out.json")));
        Assert.True(File.Exists(dir.Combine("out.png")));
        Assert.Equal(["data.csv", "out.json", "out.png"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    /// <summary>A writer killed mid-write (kill -9) leaves its hidden partial file; the next write to the same
    /// destination removes it. A partial file of a process still running is left alone.</summary>
    [Fact]
    public void StalePartialFilesOfADeadWriterAreRemovedOnTheNextRun()
    {
        using var dir = new TempDir();
        string data = dir.File("data.csv", Data);
        int deadPid;
        using (var exited = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!)
        {
            exited.WaitForExit();
            deadPid = exited.Id;
        }
        string stale = dir.File($".out.json.odr-{deadPid}-0badc0de.partial", "{ \"beta\": [1, ");
        string live = dir.File($".out.json.odr-{Environment.ProcessId}-12345678.partial", "{");
        var r = Fit(data, "--json", dir.Combine("out.json"));
        Assert.True(r.Code == 0, r.ToString());
        Assert.False(File.Exists(stale), "the dead writer's partial file is still there");
        Assert.True(File.Exists(live), "a running writer's partial file was removed");
    }

    /// <summary>A real kill -9 in the middle of writing a large JSON file: the destination is never a torn
    /// file (absent or whole), and the next run leaves no partial file behind.</summary>
    [Fact]
    public void KillMidWriteNeverLeavesATornFileAndTheNextRunCleansUp()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var dir = new TempDir();
        var csv = new System.Text.StringBuilder("x,y\n");
        for (int i = 0; i < 50_000; i++) csv.Append(i).Append(',').Append(2 * i + 1 + (i % 7) * 0.01).Append('\n');
        string data = dir.File("big.csv", csv.ToString());
        string json = dir.Combine("out.json");
        string tool = Path.Combine(AppContext.BaseDirectory, "Odr.Cli.dll");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { tool, "fit", data, "--model", "linear", "--beta0", "1,2", "--report", "none", "--json", json }) start.ArgumentList.Add(a);
        using (var p = Process.Start(start)!)
        {
            // Kill as soon as a partial file appears (or give up waiting after the process ends).
            var watch = Stopwatch.StartNew();
            while (!p.HasExited && watch.Elapsed < TimeSpan.FromSeconds(60) && Directory.GetFiles(dir.Path, ".out*").Length == 0) Thread.Sleep(1);
            if (!p.HasExited) p.Kill();
            p.WaitForExit();
        }
        if (File.Exists(json)) Assert.EndsWith("}\n", File.ReadAllText(json), StringComparison.Ordinal);
        var r = CliRunner.Run("fit", data, "--model", "linear", "--beta0", "1,2", "--report", "none", "--json", json);
        Assert.True(r.Code == 0, r.ToString());
        Assert.Empty(Directory.GetFiles(dir.Path, ".*"));
    }
}

namespace Odr.Cli.Tests;

/// <summary>The JSON result holds every per-observation array (n numbers each): it is built only when --json asks for it.</summary>
public class JsonOnDemandTests
{
    private const string Data = "x,y\n1,2.1\n2,3.9\n3,6.2\n4,7.8\n";

    [Fact]
    public void NoJsonIsBuiltWithoutTheOption()
    {
        // It counts the documents built in this process: a published executable (ODR_CLI_EXE) cannot tell.
        if (CliRunner.Executable is not null) return;
        using var dir = new TempDir();
        string data = dir.File("d.csv", Data);
        int before = JsonResult.DocumentsWrittenOnThisThread;
        var r = CliRunner.Run("fit", data, "-m", "linear", "-b", "0,1", "--plot", dir.Combine("fit.svg"));
        Assert.True(r.Code == 0, r.ToString());
        Assert.Equal(before, JsonResult.DocumentsWrittenOnThisThread);

        r = CliRunner.Run("fit", data, "-m", "linear", "-b", "0,1", "--json", dir.Combine("out.json"));
        Assert.True(r.Code == 0, r.ToString());
        Assert.Equal(before + 1, JsonResult.DocumentsWrittenOnThisThread);
    }

    /// <summary>The JSON streamed to stdout and to a file is the same document, with non-ASCII names intact.</summary>
    [Fact]
    public void StdoutAndFileJsonAreTheSame()
    {
        using var dir = new TempDir();
        string data = dir.File("d.csv", "temp,débit µ\n1,2.1\n2,3.9\n3,6.2\n4,7.8\n");
        var toStdout = CliRunner.Run("fit", data, "-m", "B0 + B1*temp", "-b", "0,1", "--x", "temp", "--y", "débit µ", "--json", "-");
        Assert.True(toStdout.Code == 0, toStdout.ToString());
        var toFile = CliRunner.Run("fit", data, "-m", "B0 + B1*temp", "-b", "0,1", "--x", "temp", "--y", "débit µ", "--json", dir.Combine("out.json"));
        Assert.True(toFile.Code == 0, toFile.ToString());
        Assert.Equal(File.ReadAllText(dir.Combine("out.json")), toStdout.Stdout);
        Assert.Contains("\"débit µ\"", toStdout.Stdout.Replace("\\u00E9", "é", StringComparison.Ordinal).Replace("\\u00B5", "µ", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}

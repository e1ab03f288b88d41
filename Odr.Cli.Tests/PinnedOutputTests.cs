using System.Text;

namespace Odr.Cli.Tests;

/// <summary>
/// The tool's reports and JSON, byte for byte, against files committed before its build changed
/// (ReadyToRun, platform-specific packages): how the tool is compiled must not change one character
/// of what it prints. With ODR_CLI_EXE set (see <see cref="CliRunner"/>) the same files check a
/// published tool. The numbers in these files are checked against independent references elsewhere
/// (FitTests: York's solution, NIST's certified values); here only their stability is pinned.
/// To regenerate after an intended change of the output: ODR_PIN_WRITE=1 dotnet test --filter PinnedOutput.
/// </summary>
public class PinnedOutputTests
{
    public static TheoryData<string, string[]> Cases => new()
    {
        { "demo-json", ["demo", "--plot", "{tmp}/fit.svg", "--json", "-"] },
        { "misra1a-long", ["fit", "{data}/misra1a.csv", "--x", "pressure", "--y", "volume", "--model", "B0*(1-exp(-B1*pressure))", "--beta0", "500,1e-4", "--fit", "ols", "--report", "long"] },
        { "misra1a-json", ["fit", "{data}/misra1a.csv", "--x", "pressure", "--y", "volume", "--model", "B0*(1-exp(-B1*pressure))", "--beta0", "500,1e-4", "--fit", "ols", "--deriv", "forward", "--json", "-"] },
        { "exp-sx-sy-iterations", ["fit", "{data}/exp_sx_sy.csv", "--model", "B0*exp(B1*x) + B2", "--beta0", "1.5,1,0", "--sx", "sx", "--sy", "sy", "--report", "iterations"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void OutputIsByteIdenticalToThePinnedFile(string name, string[] args)
    {
        using var dir = new TempDir();
        var r = CliRunner.Run([.. args.Select(a => a.Replace("{tmp}", dir.Path, StringComparison.Ordinal).Replace("{data}", CliRunner.DataDir, StringComparison.Ordinal))]);
        Assert.True(r.Code == 0, r.ToString());
        string actual = r.Stdout.Replace(dir.Path, "{tmp}", StringComparison.Ordinal).Replace(CliRunner.DataDir, "{data}", StringComparison.Ordinal);
        string pinned = Path.Combine(CliRunner.DataDir, "pinned", name + ".txt");
        if (Environment.GetEnvironmentVariable("ODR_PIN_WRITE") == "1")
        {
            string source = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Data", "pinned", name + ".txt");
            File.WriteAllText(source, actual, new UTF8Encoding(false));
            return;
        }
        Assert.Equal(File.ReadAllText(pinned, Encoding.UTF8), actual);
    }
}

using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Examples.Tests;

/// <summary>A temporary folder, deleted at the end of the test.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir(string prefix = "examples-tests-")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

internal static class Check
{
    /// <summary>The number captured by group 1 of <paramref name="pattern"/> in <paramref name="text"/>.</summary>
    public static double Number(string text, string pattern)
    {
        var match = Regex.Match(text, pattern);
        Assert.True(match.Success, $"'{pattern}' not found in:\n{text}");
        return double.Parse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>All numbers captured by group 1 of <paramref name="pattern"/>.</summary>
    public static double[] Numbers(string text, string pattern) =>
        Regex.Matches(text, pattern).Select(m => double.Parse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();

    public static void Near(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(actual - expected) <= tolerance, $"{what}: expected {expected} ± {tolerance}, got {actual}");

    /// <summary>Asserts that <paramref name="path"/> is a PNG image of a plausible size and returns its width and height.</summary>
    public static (int Width, int Height) Png(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 5_000, $"{path} is only {bytes.Length} bytes");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        int width = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4));
        int height = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4));
        Assert.InRange(width, 200, 4000);
        Assert.InRange(height, 200, 4000);
        return (width, height);
    }
}

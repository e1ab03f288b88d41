using System.Diagnostics;
using System.Globalization;

namespace Odr.Cli;

/// <summary>
/// Writes a file whole or not at all: a temporary file in the same folder (so the final move is an
/// atomic rename on the same file system), then a move over the destination.
/// </summary>
/// <remarks>
/// The temporary file is hidden and named <c>.NAME.odr-PID-RANDOM.partial</c>: it carries no data
/// extension (a <c>*.json</c> or <c>*.png</c> pattern never matches it) and names the process that
/// writes it. A process killed mid-write (kill -9) leaves its file behind; the next write to the same
/// destination deletes such files whose process is no longer running, and leaves those of a writer
/// still running alone.
/// </remarks>
public static class AtomicFile
{
    private const string TempMarker = ".odr-";
    private const string TempSuffix = ".partial";

    /// <summary>Checks that a file can be written there, before any work is done.</summary>
    /// <param name="path">The destination.</param>
    /// <param name="option">The option naming it, for messages.</param>
    /// <param name="inputPath">The input file, which must not be overwritten.</param>
    public static void CheckDestination(string path, string option, string inputPath)
    {
        if (path.Length == 0) throw new CliException($"{option} needs a file name");
        string full = Path.GetFullPath(path);
        if (FileIdentity.Same(full, inputPath))
        {
            throw new CliException($"{option} {path} would overwrite the input file {inputPath}");
        }
        if (Directory.Exists(full)) throw new CliException($"{option} {path} is a directory");
        string? folder = Path.GetDirectoryName(full);
        if (folder is not null && !Directory.Exists(folder)) throw new CliException($"{option} {path}: the folder {folder} does not exist");
    }

    /// <summary>Refuses two outputs that are the same file (each would replace the other).</summary>
    /// <param name="first">The first output.</param>
    /// <param name="firstOption">Its option.</param>
    /// <param name="second">The second output.</param>
    /// <param name="secondOption">Its option.</param>
    public static void CheckDistinct(string first, string firstOption, string second, string secondOption)
    {
        if (FileIdentity.Same(first, second))
        {
            throw new CliException($"{firstOption} {first} and {secondOption} {second} are the same file; give each output its own file");
        }
    }

    /// <summary>Writes a file by letting <paramref name="write"/> fill a temporary path, then moving it into place.</summary>
    /// <param name="path">The destination.</param>
    /// <param name="write">Writes the content to the path it is given.</param>
    public static void Write(string path, Action<string> write)
    {
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? ".";
        string name = Path.GetFileName(full);
        DeleteStaleTemporaries(folder, name);
        string temp = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture,
            $".{name}{TempMarker}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}{TempSuffix}"));
        try
        {
            write(temp);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot write {path}: {e.Message}", e);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Writes a file through a stream, whole or not at all.</summary>
    /// <param name="path">The destination.</param>
    /// <param name="write">Writes the content to the stream.</param>
    public static void WriteStream(string path, Action<Stream> write) => Write(path, temp =>
    {
        using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        write(stream);
    });

    /// <summary>Writes text whole or not at all.</summary>
    /// <param name="path">The destination.</param>
    /// <param name="text">The content.</param>
    public static void WriteText(string path, string text) => Write(path, temp => File.WriteAllText(temp, text));

    /// <summary>Temporary files of this destination left by a process that is no longer running (killed mid-write).</summary>
    /// <param name="folder">The destination's folder.</param>
    /// <param name="name">The destination's file name.</param>
    internal static IEnumerable<string> StaleTemporaries(string folder, string name)
    {
        string prefix = "." + name + TempMarker;
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateFiles(folder, "." + name + TempMarker + "*" + TempSuffix).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }
        foreach (var file in candidates)
        {
            string fileName = Path.GetFileName(file);
            if (!fileName.StartsWith(prefix, StringComparison.Ordinal) || !fileName.EndsWith(TempSuffix, StringComparison.Ordinal)) continue;
            string middle = fileName[prefix.Length..^TempSuffix.Length];
            int dash = middle.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0 || !int.TryParse(middle.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) continue;
            if (!IsRunning(pid)) yield return file;
        }
    }

    private static void DeleteStaleTemporaries(string folder, string name)
    {
        foreach (var file in StaleTemporaries(folder, name))
        {
            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Not ours to insist on: it stays, hidden and marked partial.
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}

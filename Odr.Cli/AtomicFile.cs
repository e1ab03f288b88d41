namespace Odr.Cli;

/// <summary>Writes a file whole or not at all: a temporary file in the same folder, then a move.</summary>
public static class AtomicFile
{
    /// <summary>Checks that a file can be written there, before any work is done.</summary>
    /// <param name="path">The destination.</param>
    /// <param name="option">The option naming it, for messages.</param>
    /// <param name="inputPath">The input file, which must not be overwritten.</param>
    public static void CheckDestination(string path, string option, string inputPath)
    {
        if (path.Length == 0) throw new CliException($"{option} needs a file name");
        string full = Path.GetFullPath(path);
        if (string.Equals(full, Path.GetFullPath(inputPath), StringComparison.Ordinal))
        {
            throw new CliException($"{option} {path} would overwrite the input file");
        }
        if (Directory.Exists(full)) throw new CliException($"{option} {path} is a directory");
        string? folder = Path.GetDirectoryName(full);
        if (folder is not null && !Directory.Exists(folder)) throw new CliException($"{option} {path}: the folder {folder} does not exist");
    }

    /// <summary>Writes a file by letting <paramref name="write"/> fill a temporary path, then moving it into place.</summary>
    /// <param name="path">The destination.</param>
    /// <param name="write">Writes the content to the path it is given.</param>
    public static void Write(string path, Action<string> write)
    {
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? ".";
        string temp = Path.Combine(folder, $".{Path.GetFileNameWithoutExtension(full)}.{Guid.NewGuid():N}.tmp{Path.GetExtension(full)}");
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

    /// <summary>Writes text whole or not at all.</summary>
    /// <param name="path">The destination.</param>
    /// <param name="text">The content.</param>
    public static void WriteText(string path, string text) => Write(path, temp => File.WriteAllText(temp, text));
}

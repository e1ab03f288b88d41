using System.Runtime.InteropServices;

namespace Odr.Cli;

/// <summary>
/// Whether two paths name the same file, so that no output overwrites the input: through symbolic
/// links (of the file or of any folder above it), hard links, and letter case on file systems that
/// ignore it.
/// </summary>
internal static class FileIdentity
{
    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> are the same file.</summary>
    /// <param name="a">A path.</param>
    /// <param name="b">Another path.</param>
    /// <remarks>
    /// Where both files exist and the platform gives their device and inode numbers (Linux, through
    /// stat(2), which follows every link), those decide: that covers symbolic links, hard links and
    /// case-insensitive file systems at once. Otherwise the paths are compared after resolving every
    /// symbolic link in them, ignoring case where the file system does.
    /// </remarks>
    public static bool Same(string a, string b)
    {
        string fa = Path.GetFullPath(a), fb = Path.GetFullPath(b);
        if (File.Exists(fa) && File.Exists(fb) && TryGetId(fa, out var ida) && TryGetId(fb, out var idb)) return ida == idb;
        string ra = Resolve(fa), rb = Resolve(fb);
        var comparison = IgnoresCase(ra) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return string.Equals(ra, rb, comparison);
    }

    /// <summary>The full path with every symbolic link in it (folders and the file) resolved; parts that do not exist are kept as written.</summary>
    /// <param name="path">A path.</param>
    public static string Resolve(string path) => Resolve(path, 0);

    private static string Resolve(string path, int depth)
    {
        string full = Path.GetFullPath(path);
        string root = Path.GetPathRoot(full) ?? "";
        var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        string current = root;
        for (int k = 0; k < parts.Length; k++)
        {
            string next = Path.Combine(current, parts[k]);
            FileSystemInfo? target = null;
            try
            {
                target = File.ResolveLinkTarget(next, returnFinalTarget: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A link loop or an unreadable link: keep the name as written.
            }
            // A link's target may itself lie under linked folders: resolve it again (as deep as Linux follows links, 40).
            current = target is null ? next : depth < 40 ? Resolve(target.FullName, depth + 1) : target.FullName;
        }
        return current;
    }

    private static bool IgnoresCase(string path)
    {
        if (OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()) return true;
        if (!OperatingSystem.IsLinux()) return false;

        // Linux may mount a case-insensitive file system (vfat, ntfs, ext4 casefold): probe the nearest existing folder.
        string? folder = Path.GetDirectoryName(path);
        while (folder is not null && !Directory.Exists(folder)) folder = Path.GetDirectoryName(folder);
        if (folder is null) return false;
        string upper = folder.ToUpperInvariant(), lower = folder.ToLowerInvariant();
        return upper != lower && Directory.Exists(upper) && Directory.Exists(lower);
    }

    private static bool TryGetId(string path, out (ulong Device, ulong Inode) id)
    {
        id = default;
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64)) return false;
        // struct stat on Linux x86_64 and on the generic layout (arm64) both begin with st_dev and st_ino, 64 bits each.
        var buffer = new byte[256];
        try
        {
            if (Stat(path, buffer) != 0) return false;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false; // glibc before 2.33 exports no stat symbol: fall back to comparing resolved paths.
        }
        id = (BitConverter.ToUInt64(buffer, 0), BitConverter.ToUInt64(buffer, 8));
        return true;
    }

    // DllImport rather than LibraryImport, which would need unsafe code for the tool.
    [DllImport("libc", EntryPoint = "stat", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [Out] byte[] buffer);
}

using System.Globalization;
using System.Text;

namespace Odr.Cli.Batch;

/// <summary>
/// Which groups a shard fits: group key → 64-bit FNV-1a hash of its UTF-8 bytes → hash mod N. The hash
/// depends on the key alone, so the split does not depend on row order, file or machine.
/// </summary>
/// <param name="Index">K, from 0 to N-1.</param>
/// <param name="Count">N, the number of shards.</param>
public sealed record BatchShard(int Index, int Count)
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    /// <summary>The shard as written on the command line, K/N.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");

    /// <summary>True when the group with this key belongs to this shard.</summary>
    /// <param name="key">The group key.</param>
    public bool Contains(string key) => Of(key, Count) == Index;

    /// <summary>The shard (0 to count-1) of a group key.</summary>
    /// <param name="key">The group key.</param>
    /// <param name="count">The number of shards.</param>
    public static int Of(string key, int count) => (int)(Hash(key) % (ulong)count);

    /// <summary>64-bit FNV-1a of the key's UTF-8 bytes.</summary>
    /// <param name="key">The group key.</param>
    public static ulong Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> small = stackalloc byte[256];
        int length = Encoding.UTF8.GetByteCount(key);
        Span<byte> bytes = length <= small.Length ? small[..length] : new byte[length];
        Encoding.UTF8.GetBytes(key, bytes);
        ulong hash = FnvOffset;
        foreach (byte b in bytes)
        {
            hash ^= b;
            hash *= FnvPrime;
        }
        return hash;
    }

    /// <summary>Parses K/N (0 ≤ K &lt; N).</summary>
    /// <param name="text">The option's value.</param>
    /// <exception cref="CliException">Not K/N, or K ≥ N.</exception>
    public static BatchShard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int k)
            || !int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int n))
        {
            throw new CliException($"--shard must be K/N with whole numbers, shards numbered 0 to N-1 (e.g. --shard 0/4); got '{text}'");
        }
        if (n < 1) throw new CliException($"--shard {text}: N must be at least 1");
        if (k >= n) throw new CliException($"--shard {text}: K must be below N (shards are numbered 0 to {n - 1})");
        return new BatchShard(k, n);
    }
}

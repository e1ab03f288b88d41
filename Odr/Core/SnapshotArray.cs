namespace Odr.Core;

/// <summary>
/// A read-only copy of an array in a snapshot (<see cref="IterationSnapshot"/>,
/// <see cref="FitSnapshot"/>): the role System.Collections.Immutable's ImmutableArray played. A type
/// of Odr's own so that its code is precompiled with the library: the first fit in a process loaded
/// that assembly and JIT-compiled its instantiations over double and int (bench/README.md, "Cold
/// start").
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
internal readonly struct SnapshotArray<T>
{
    private readonly T[] items;

    private SnapshotArray(T[] items) => this.items = items;

    /// <summary>Number of elements.</summary>
    public int Length => items.Length;

    /// <summary>Element <paramref name="index"/>.</summary>
    /// <param name="index">Index.</param>
    public T this[int index] => items[index];

    /// <summary>A copy of <paramref name="values"/> (later writes to them do not show).</summary>
    /// <param name="values">Values.</param>
    public static SnapshotArray<T> CopyOf(T[] values) => new((T[])values.Clone());

    /// <summary>Takes <paramref name="values"/> over: the caller keeps no reference to write through.</summary>
    /// <param name="values">Values.</param>
    public static SnapshotArray<T> Owning(T[] values) => new(values);

    /// <summary>The elements as a span.</summary>
    public ReadOnlySpan<T> AsSpan() => items;

    /// <summary>A copy the caller owns.</summary>
    public T[] ToArray() => (T[])items.Clone();

    /// <summary>Copies the elements to the start of <paramref name="destination"/>.</summary>
    /// <param name="destination">Destination.</param>
    public void CopyTo(T[] destination) => items.CopyTo(destination, 0);
}

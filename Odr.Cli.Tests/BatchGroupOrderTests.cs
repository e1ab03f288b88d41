using System.Text;
using Odr.Cli;
using Odr.Cli.Batch;

namespace Odr.Cli.Tests;

/// <summary>
/// The sorted-mode check that every group's rows are contiguous. Its definition: a group key that
/// appears again after another group is refused, naming the row; every other file is read whole. Its
/// memory: nothing per group while the keys rise (as text or as numbers), so that a sorted file of
/// millions of groups is read in flat memory; from the first key out of order the groups before it
/// are read again from the file and every closed group is held.
/// </summary>
public class BatchGroupOrderTests
{
    private static (List<string> Keys, int Held) Read(string path)
    {
        using var reader = GroupReader.Open(path);
        var keys = reader.Groups(reader.ColumnIndex("g", "--group"), [reader.ColumnIndex("v", "--y")], _ => true, unsorted: false, CancellationToken.None)
            .Select(g => g.Key).ToList();
        return (keys, reader.ClosedGroupsHeld);
    }

    private static string Csv(TempDir dir, params string[] keys)
    {
        var text = new StringBuilder("g,v\n");
        foreach (string k in keys) text.Append(k).Append(",1\n");
        return dir.File("k.csv", text.ToString());
    }

    [Theory]
    [InlineData("1 1 2 10 10 11")] // by number, not by text
    [InlineData("a a b c c")] // by text
    [InlineData("A10 A11 B1")] // by text, not numbers
    public void RisingKeysHoldNothing(string rows)
    {
        using var dir = new TempDir();
        var (keys, held) = Read(Csv(dir, rows.Split(' ')));
        Assert.Equal(rows.Split(' ').Distinct(), keys);
        Assert.Equal(0, held);
    }

    [Fact]
    public void AHundredThousandSortedGroupsHoldNothing()
    {
        using var dir = new TempDir();
        var (keys, held) = Read(Csv(dir, [.. Enumerable.Range(0, 100_000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))]));
        Assert.Equal(100_000, keys.Count);
        Assert.Equal(0, held);
    }

    [Fact]
    public void ContiguousGroupsInAnyOrderAreReadAndThenHeld()
    {
        using var dir = new TempDir();
        var (keys, held) = Read(Csv(dir, "3", "3", "1", "2", "2", "5"));
        Assert.Equal(["3", "1", "2", "5"], keys);
        Assert.Equal(3, held); // 3 read again at the first key out of order, then 1 and 2 as they closed
    }

    [Theory]
    [InlineData("1 2 3 1", "'1' appears again at row 4")] // the return is the first key out of order
    [InlineData("5 1 2 5", "'5' appears again at row 4")] // out of order first, then the return
    [InlineData("a b b c a", "'a' appears again at row 5")]
    [InlineData("2 10 2", "'2' appears again at row 3")]
    public void AGroupThatAppearsAgainIsRefusedAtItsRow(string rows, string message)
    {
        using var dir = new TempDir();
        var e = Assert.Throws<CliException>(() => Read(Csv(dir, rows.Split(' '))));
        Assert.Contains("is not sorted by group", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    /// <summary>A Parquet file is read again the same way (only its group column) when its keys stop
    /// rising: written here with the results writer, whose first column is the group key.</summary>
    [Theory]
    [InlineData("3 1 2 5", "", 3)]
    [InlineData("1 2 3 1", "'1' appears again at row 4", 0)]
    public void AParquetFileIsReadAgainWhenItsKeysStopRising(string rows, string refusal, int held)
    {
        using var dir = new TempDir();
        string path = dir.Combine("k.parquet");
        var columns = ResultFile.Columns("g", 1);
        using (var writer = ResultFile.CreateWriter(path, ResultFormat.Parquet, columns))
        {
            foreach (string key in rows.Split(' ')) writer.Write(ResultRow.Failed(key, 1, "none"));
        }
        using var reader = GroupReader.Open(path);
        IEnumerable<string> Keys() => reader.Groups(reader.ColumnIndex("g", "--group"), [reader.ColumnIndex("B0", "--y")], _ => true, unsorted: false, CancellationToken.None).Select(g => g.Key);
        if (refusal.Length > 0)
        {
            var e = Assert.Throws<CliException>(() => Keys().ToList());
            Assert.Contains(refusal, e.Message, StringComparison.Ordinal);
            return;
        }
        Assert.Equal(rows.Split(' '), Keys());
        Assert.Equal(held, reader.ClosedGroupsHeld);
    }
}

using System.Globalization;
using System.Text;
using Odr.Cli;
using Odr.Cli.Batch;

namespace Odr.Cli.Tests;

/// <summary>
/// A group's cells live in buffers that the reader recycles once the group is fitted and released.
/// Whatever the order of sizes, every group reads back exactly the file's cells (numbers, text that is
/// not a number, row numbers) while groups before it are released; a released group refuses to be
/// read; and reading a group then allocates no cell buffers (the reader thread's bytes per group).
/// </summary>
public class BatchGroupCellsTests
{
    private static readonly int[] Sizes = [3, 60, 1, 2, 45, 7, 120, 1, 5];

    private static string Csv(TempDir dir, IEnumerable<int> sizes, out List<(string Key, List<(int Row, string X, string Y)> Rows)> expected)
    {
        var text = new StringBuilder("g,x,y\n");
        expected = [];
        int row = 0;
        int group = 0;
        foreach (int size in sizes)
        {
            string key = "k" + group.ToString("D6", CultureInfo.InvariantCulture);
            var rows = new List<(int, string, string)>();
            for (int r = 0; r < size; r++)
            {
                row++;
                string x = (group + (r * 0.125)).ToString("R", CultureInfo.InvariantCulture);
                string y = (group + r) % 17 == 5 ? "n/a" : ((group * 1000) + r).ToString(CultureInfo.InvariantCulture) + ".5";
                text.Append(key).Append(',').Append(x).Append(',').Append(y).Append('\n');
                rows.Add((row, x, y));
            }
            expected.Add((key, rows));
            group++;
        }
        return dir.File("cells.csv", text.ToString());
    }

    [Fact]
    public void ReleasedCellsServeLaterGroupsWithoutMixingThem()
    {
        using var dir = new TempDir();
        string path = Csv(dir, Enumerable.Repeat(Sizes, 20).SelectMany(s => s), out var expected);
        using var reader = GroupReader.Open(path);
        int[] columns = [reader.ColumnIndex("x", "--x"), reader.ColumnIndex("y", "--y")];
        var held = new Queue<RawGroup>();
        int index = 0;
        foreach (var group in reader.Groups(reader.ColumnIndex("g", "--group"), columns, _ => true, unsorted: false, CancellationToken.None))
        {
            // Keep a few groups unreleased while later ones are read, as the workers do.
            held.Enqueue(group);
            if (held.Count > 3)
            {
                var done = held.Dequeue();
                Check(done, expected[index++]);
                done.Release();
                Assert.Throws<InvalidOperationException>(() => done.TryNumber(0, 0, out _, out _));
            }
        }
        while (held.Count > 0) Check(held.Dequeue(), expected[index++]);
        Assert.Equal(expected.Count, index);
    }

    private static void Check(RawGroup group, (string Key, List<(int Row, string X, string Y)> Rows) expected)
    {
        Assert.Equal(expected.Key, group.Key);
        Assert.Equal(expected.Rows.Count, group.RowCount);
        for (int r = 0; r < group.RowCount; r++)
        {
            var (row, x, y) = expected.Rows[r];
            Assert.Equal(row, group.RowNumber(r));
            Assert.True(group.TryNumber(r, 0, out double xv, out _));
            Assert.Equal(double.Parse(x, CultureInfo.InvariantCulture), xv);
            bool isNumber = group.TryNumber(r, 1, out double yv, out string shown);
            Assert.Equal(y != "n/a", isNumber);
            if (isNumber) Assert.Equal(double.Parse(y, CultureInfo.InvariantCulture), yv);
            else Assert.Equal("n/a", shown);
        }
    }

    [Fact]
    public void ReadingReleasedGroupsAllocatesNoCellBuffers()
    {
        using var dir = new TempDir();
        string path = Csv(dir, Enumerable.Repeat(50, 4000), out _);
        using var reader = GroupReader.Open(path);
        int[] columns = [reader.ColumnIndex("x", "--x"), reader.ColumnIndex("y", "--y")];
        int count = 0;
        long start = 0;
        foreach (var group in reader.Groups(reader.ColumnIndex("g", "--group"), columns, _ => true, unsorted: false, CancellationToken.None))
        {
            group.Release();
            if (++count == 1000) start = GC.GetAllocatedBytesForCurrentThread();
        }
        double perGroup = (GC.GetAllocatedBytesForCurrentThread() - start) / 3000.0;

        // 50 rows of two cells held ~2.9 KB a group in fresh arrays; what remains is the key and the group.
        Assert.True(perGroup < 400, $"{perGroup:F0} bytes allocated per group");
    }
}

namespace Odr.Tests.Performance;

/// <summary>The batch API: results as one-by-one fits, in input order; progress; cancellation.</summary>
public class BatchTests
{
    private static BatchItem[] Peaks(int count)
    {
        var rng = new Random(11);
        var model = new Model((b, x) => b[0] * Math.Exp(-0.5 * ((x - b[1]) / b[2]) * ((x - b[1]) / b[2])) + b[3]);
        var items = new BatchItem[count];
        for (int c = 0; c < count; c++)
        {
            double a = 1 + rng.NextDouble(), mu = 4 + 2 * rng.NextDouble(), s = 0.8 + 0.4 * rng.NextDouble();
            var x = new double[50];
            var y = new double[50];
            for (int i = 0; i < 50; i++)
            {
                double t = 10.0 * i / 49;
                x[i] = t + 0.01 * (2 * rng.NextDouble() - 1);
                double z = (t - mu) / s;
                y[i] = a * Math.Exp(-0.5 * z * z) + 0.02 * (2 * rng.NextDouble() - 1);
            }
            items[c] = new BatchItem(new Data(x, y), model, new[] { 1.2, 5.0, 1.0, 0.0 }, c % 3 == 0 ? odr => odr.SetJob(fitType: 2) : null);
        }
        return items;
    }

    [Fact]
    public void BatchMatchesOneByOneFitsInInputOrder()
    {
        var items = Peaks(300);
        var batch = OdrBatch.Run(items, new BatchOptions { MaxDegreeOfParallelism = 4 });
        Assert.Equal(items.Length, batch.Length);
        for (int i = 0; i < items.Length; i++)
        {
            var odr = new ODR(items[i].Data, items[i].Model, items[i].Beta0);
            items[i].Configure?.Invoke(odr);
            var single = odr.Run();
            Assert.Equal(single.Beta, batch[i].Beta);
            Assert.Equal(single.SdBeta, batch[i].SdBeta);
            Assert.Equal(single.Iterations, batch[i].Iterations);
            Assert.Equal(single.Info, batch[i].Info);
        }
    }

    [Fact]
    public void FactoryOverloadAndSerialOptionGiveTheSameResults()
    {
        var items = Peaks(40);
        var factories = items.Select(it => (Func<ODR>)(() => new ODR(it.Data, it.Model, it.Beta0))).ToArray();
        var a = OdrBatch.Run(factories, new BatchOptions { MaxDegreeOfParallelism = 1 });
        var b = OdrBatch.Run(factories);
        for (int i = 0; i < a.Length; i++) Assert.Equal(a[i].Beta, b[i].Beta);
    }

    [Fact]
    public void ProgressReportsEveryFit()
    {
        var items = Peaks(200);
        var seen = new System.Collections.Concurrent.ConcurrentBag<int>();
        OdrBatch.Run(items, new BatchOptions { Progress = seen.Add });
        Assert.Equal(Enumerable.Range(1, 200), seen.OrderBy(v => v));
    }

    [Fact]
    public void CancellationStopsTheBatch()
    {
        var items = Peaks(2000);
        using var cts = new CancellationTokenSource();
        int reported = 0;
        var options = new BatchOptions
        {
            MaxDegreeOfParallelism = 2,
            Progress = done =>
            {
                Interlocked.Exchange(ref reported, Math.Max(reported, done));
                if (done == 50) cts.Cancel();
            },
        };
        Assert.ThrowsAny<OperationCanceledException>(() => OdrBatch.Run(items, options, cts.Token));
        Assert.True(reported < items.Length, $"{reported} fits finished");
    }

    [Fact]
    public void AlreadyCancelledTokenRunsNothing()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        int reported = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => OdrBatch.Run(Peaks(10), new BatchOptions { Progress = _ => reported++ }, cts.Token));
        Assert.Equal(0, reported);
    }

    [Fact]
    public void ModelErrorPropagates()
    {
        var items = Peaks(20).ToList();
        items[7] = items[7] with { Model = new Model((b, x) => throw new InvalidOperationException("bad pixel")) };
        var e = Assert.ThrowsAny<Exception>(() => OdrBatch.Run(items));
        Assert.Contains("bad pixel", e.ToString());
    }
}

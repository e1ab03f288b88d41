using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;

namespace Odr.Bench;

/// <summary>Whole fits of every model at n = 1e2 … 1e6 with forward differences and analytic derivatives.</summary>
[MemoryDiagnoser]
[SimpleJob(BenchmarkDotNet.Engines.RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class FitBenchmarks
{
    private Problem problem = null!;

    /// <summary>Observations.</summary>
    [Params(100, 1000, 10_000, 100_000, 1_000_000)]
    public int N { get; set; }

    /// <summary>Model name.</summary>
    [Params("line", "exp", "twoinput", "tworesp", "circle")]
    public string Model { get; set; } = "line";

    /// <summary>Analytic derivatives (true) or forward differences.</summary>
    [Params(false, true)]
    public bool Analytic { get; set; }

    /// <summary>Builds the data.</summary>
    [GlobalSetup]
    public void Setup() => problem = Problem.Create(Model, N);

    /// <summary>One fit.</summary>
    [Benchmark]
    public double[] Fit() => problem.BuildOdr(Analytic).Run().Beta;
}

/// <summary>Allocation per fit must not grow with the iteration count: the same exponential fit stopped
/// at maxit 5 and at maxit 50 (tolerances tiny, so it runs to the limit).</summary>
[MemoryDiagnoser]
[SimpleJob(BenchmarkDotNet.Engines.RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class AllocationBenchmarks
{
    private Data data = null!;
    private Problem problem = null!;

    /// <summary>Iteration limit.</summary>
    [Params(5, 50)]
    public int MaxIt { get; set; }

    /// <summary>Observations.</summary>
    [Params(1000, 100_000)]
    public int N { get; set; }

    /// <summary>Builds the data.</summary>
    [GlobalSetup]
    public void Setup()
    {
        problem = Problem.Create("exp", N);
        data = problem.BuildData();
    }

    /// <summary>One fit.</summary>
    [Benchmark]
    public int Fit() => new ODR(data, problem.BuildModel(false), problem.Beta0, maxit: MaxIt, sstol: 1e-300, partol: 1e-300).Run().Iterations;
}

/// <summary>Many small independent fits: one thread against all cores.</summary>
[MemoryDiagnoser]
[SimpleJob(BenchmarkDotNet.Engines.RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class BatchBenchmarks
{
    private BatchItem[] items = null!;

    /// <summary>Threads (-1: all cores).</summary>
    [Params(1, -1)]
    public int Threads { get; set; }

    /// <summary>Builds 10,000 peaks of 50 points.</summary>
    [GlobalSetup]
    public void Setup() => items = BatchProblems.Create(10_000, 50);

    /// <summary>The batch.</summary>
    [Benchmark]
    public int Batch() => OdrBatch.Run(items, new BatchOptions { MaxDegreeOfParallelism = Threads }).Length;
}

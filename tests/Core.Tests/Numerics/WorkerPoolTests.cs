using System.Diagnostics;
using MLNetNN.Numerics;
using Xunit;

namespace MLNetNN.Tests.Numerics;

/// <summary>
/// These tests run alone: the stress tests start many threads on a 2-core machine, and one of them puts its pool under the
/// engine as <see cref="WorkerPool.Shared"/>, which no other test should be using meanwhile.
/// </summary>
[CollectionDefinition(nameof(WorkerPoolTests), DisableParallelization = true)]
public sealed class WorkerPoolCollection;

[Collection(nameof(WorkerPoolTests))]
public class WorkerPoolTests
{
    [MultiCoreFact]
    public void A_lagging_worker_leaves_the_caller_to_run_the_next_jobs_alone()
    {
        // The caller's part takes 0.2 ms; a part on a worker takes 2 ms more, like a core the host lends to other guests.
        // A worker spinning for work claims the second part at once, so without the pool's balance check almost every job
        // would wait for it. The solo spans double while the lag persists, so over 150 jobs the share run alone grows even
        // when other processes slow both threads down.
        using var pool = new WorkerPool(workers: 1);
        var job = new SlowOnWorkers(Environment.CurrentManagedThreadId);
        int callerOnly = 0;
        for (int i = 0; i < 150; i++)
        {
            job.Reset();
            pool.Run(job, 2);
            Assert.Equal([1, 1], job.Runs);
            if (job.OnWorkers == 0) callerOnly++;
        }
        Assert.True(callerOnly >= 75, $"only {callerOnly} of 150 jobs ran on the caller alone");
        Assert.True(pool.SoloJobs >= 75, $"{pool.SoloJobs} jobs were counted as run alone");
    }

    [Fact]
    public void A_part_that_throws_fails_the_job_and_every_other_part_still_runs()
    {
        var runs = new int[8];
        var job = new Throwing(runs, throwingPart: 5);
        using var pool = new WorkerPool(workers: 3);
        var error = Assert.Throws<InvalidOperationException>(() => pool.Run(job, runs.Length));
        Assert.Equal("part 5", error.Message);
        Assert.All(runs, count => Assert.Equal(1, count));
    }

    private sealed class SlowOnWorkers(int callerThread) : IPartitionedWork
    {
        public int[] Runs { get; } = new int[2];
        public int OnWorkers;

        public void Reset() => (Runs[0], Runs[1], OnWorkers) = (0, 0, 0);

        public void Execute(int part)
        {
            Interlocked.Increment(ref Runs[part]);
            if (Environment.CurrentManagedThreadId != callerThread)
            {
                Interlocked.Increment(ref OnWorkers);
                Thread.Sleep(2);
            }
            var spin = Stopwatch.StartNew();
            while (spin.Elapsed.TotalMilliseconds < 0.2) Thread.SpinWait(10);
        }
    }

    private sealed class Throwing(int[] runs, int throwingPart) : IPartitionedWork
    {
        public void Execute(int part)
        {
            Interlocked.Increment(ref runs[part]);
            if (part == throwingPart) throw new InvalidOperationException($"part {part}");
        }
    }
}

/// <summary>A fact that needs a second core to mean anything; skipped on a single-core machine.</summary>
public sealed class MultiCoreFactAttribute : FactAttribute
{
    public MultiCoreFactAttribute()
    {
        if (Environment.ProcessorCount < 2) Skip = "A worker lags behind its caller only with a core of its own.";
    }
}

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
    [Theory]
    [InlineData(true, 2.0, 140, 150)]   // the worker's part takes ten times the caller's: nearly every job runs alone
    [InlineData(false, 2.0, 0, 0)]      // the same lag with the balance check off: every job waits for the worker
    [InlineData(true, 0.2, 0, 0)]       // balanced parts: every job is shared
    public void A_lagging_worker_leaves_the_caller_to_run_the_next_jobs_alone(bool balanceCheck, double workerMs, int leastAlone, int mostAlone)
    {
        // 150 jobs of two parts; the caller's part takes 0.2 ms and a worker's workerMs, as when the host lends the second
        // core to other guests. The durations are scripted on the pool's clock and the hooks fix who runs which part, so the
        // outcome is the balance check's alone, whatever the machine's load.
        var job = new ScriptedDurations(Environment.CurrentManagedThreadId, callerMs: 0.2, workerMs);
        using var pool = new WorkerPool(workers: 1, balanceCheck, job.At, job.Now);
        int alone = 0;
        for (int i = 0; i < 150; i++)
        {
            job.Reset();
            pool.Run(job, 2);
            Assert.Equal([1, 1], job.Runs);
            if (job.OnWorker == 0) alone++;
        }
        Assert.InRange(alone, leastAlone, mostAlone);
        Assert.Equal(alone, pool.SoloJobs);
    }

    [Fact]
    public void A_single_late_part_now_and_then_leaves_every_job_shared()
    {
        // The worker's part ends a tenth of the caller's after it (parts side by side, as they run), but every eighth job's
        // ends ten times the caller's part later, as when the worker is woken from its sleep or the host takes its core for one
        // tick: a part that late once in a while says nothing of the next jobs, and running them alone would leave the second
        // core idle (the products of B ran at one core's rate on 2 threads).
        var job = new ScriptedDurations(Environment.CurrentManagedThreadId, callerMs: 0.2, workerMs: 0.02);
        using var pool = new WorkerPool(workers: 1, runAloneWhenLagging: true, job.At, job.Now);
        for (int i = 0; i < 150; i++)
        {
            job.Reset();
            job.WorkerMs = i % 8 == 7 ? 2.0 : 0.02;
            pool.Run(job, 2);
            Assert.Equal([1, 1], job.Runs);
        }
        Assert.Equal(0, pool.SoloJobs);
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

    /// <summary>
    /// Two parts whose durations exist only on a scripted clock: the caller's part advances it by callerMs, a worker's by
    /// workerMs. In a shared job the hooks make the caller take part 0 and the worker part 1, and hold the worker's part until
    /// the caller has read the time its own part ended, so the pool measures exactly the scripted durations.
    /// </summary>
    private sealed class ScriptedDurations(int callerThread, double callerMs, double workerMs) : IPartitionedWork
    {
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
        private readonly long _callerTicks = (long)(callerMs * Stopwatch.Frequency / 1000);
        private long _workerTicks = (long)(workerMs * Stopwatch.Frequency / 1000);

        /// <summary>How long a worker's part takes from the next job on.</summary>
        public double WorkerMs { set => _workerTicks = (long)(value * Stopwatch.Frequency / 1000); }
        private long _now;
        private volatile bool _shared, _callerStarted, _workerStarted, _callerWaiting;

        public int[] Runs { get; } = new int[2];
        public int OnWorker { get; private set; }

        public long Now() => Volatile.Read(ref _now);

        public void Reset() => (Runs[0], Runs[1], OnWorker, _shared, _callerStarted, _workerStarted, _callerWaiting) = (0, 0, 0, false, false, false, false);

        public void At(WorkerPool.PublicationPoint point)
        {
            switch (point)
            {
                case WorkerPool.PublicationPoint.BeforeDescribe: _shared = true; break; // a job the caller runs alone never gets here
                case WorkerPool.PublicationPoint.SawGeneration: Await(() => _callerStarted); break;
                case WorkerPool.PublicationPoint.BeforeWait: _callerWaiting = true; break;
            }
        }

        public void Execute(int part)
        {
            Interlocked.Increment(ref Runs[part]);
            if (Environment.CurrentManagedThreadId == callerThread)
            {
                _callerStarted = true;
                if (_shared) Await(() => _workerStarted);
                Interlocked.Add(ref _now, _callerTicks);
            }
            else
            {
                OnWorker++;
                _workerStarted = true;
                Await(() => _callerWaiting);
                Interlocked.Add(ref _now, _workerTicks);
            }
        }

        /// <summary>Spins until the other thread gets there; a broken protocol fails the test's assertions rather than hanging it.</summary>
        private static void Await(Func<bool> reached) => SpinWait.SpinUntil(reached, Patience);
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

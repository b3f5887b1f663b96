using System.Runtime.ExceptionServices;

namespace MLNetNN.Numerics;

/// <summary>A job split into independent parts; <see cref="WorkerPool"/> runs each part exactly once, on any thread.</summary>
internal interface IPartitionedWork
{
    /// <summary>Does part <paramref name="part"/> of the job.</summary>
    void Execute(int part);
}

/// <summary>
/// Persistent worker threads (one fewer than the cores) that run the parts of a job alongside the calling thread.
/// <c>Parallel.For</c> allocates and costs tens of microseconds per call; a training step makes a handful of matrix products
/// of about 100 µs each, so here a dispatch is one atomic write that spinning workers see within a microsecond, parts are
/// claimed by compare-and-swap, and nothing is allocated. Callers split only outputs, never reductions, so which thread runs
/// a part changes no result. While the workers lag far behind the caller (a core shared with other work), the caller runs
/// jobs alone for a while (<see cref="RecordBalance"/>).
/// </summary>
internal static class WorkerPool
{
    /// <summary>How long an idle worker spins before it blocks: longer than the gap between two products of a training step.</summary>
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 5000;

    private static readonly object Gate = new();
    private static readonly int WorkerCount = Math.Clamp(Environment.ProcessorCount - 1, 0, 63);
    private static volatile Thread[]? _workers;

    private static int _busy;
    private static int _generation;
    private static int _sleepers;
    private static IPartitionedWork? _work;
    private static int _parts, _pending;
    private static Exception? _failure;

    /// <summary>
    /// The job's generation (high 32 bits) and its next unclaimed part (low 32 bits), claimed by compare-and-swap, so a worker
    /// that wakes late can never claim a part of a later job with the previous job's description.
    /// </summary>
    private static long _claim;

    /// <summary>Parts that can run at once: the workers plus the calling thread.</summary>
    public static int Concurrency => WorkerCount + 1;

    /// <summary>
    /// How far the workers have lagged behind the caller of late: an average, over the last few jobs, of the caller's wait for
    /// the workers after its own parts, relative to the time those parts took (see <see cref="RecordBalance"/>).
    /// </summary>
    private static double _lag;

    /// <summary>Until when (a <see cref="System.Diagnostics.Stopwatch"/> timestamp) the caller runs jobs alone because the workers lagged, and for how long it does next time they do.</summary>
    private static long _soloUntil, _soloSpan = MinSoloSpan;

    /// <summary>5 ms and 1 s: spans of time rather than of jobs, since jobs last from microseconds (training) to milliseconds (prediction).</summary>
    private static readonly long MinSoloSpan = System.Diagnostics.Stopwatch.Frequency / 200, MaxSoloSpan = System.Diagnostics.Stopwatch.Frequency;

    /// <summary>Jobs of more than one part that could use the workers, and those the caller ran alone because they lagged: figures for tests and the benchmark.</summary>
    internal static long SharedJobs { get; private set; }

    /// <inheritdoc cref="SharedJobs"/>
    internal static long SoloJobs { get; private set; }

    /// <summary>
    /// Runs parts <c>0 … parts−1</c> of <paramref name="work"/> and returns when all are done. If another caller holds the
    /// pool (or this is called from inside a part), the calling thread runs every part itself.
    /// </summary>
    public static void Run(IPartitionedWork work, int parts)
    {
        if (parts > 1 && WorkerCount > 0 && _workers is null) StartWorkers();
        if (parts <= 1 || WorkerCount == 0 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            RunAlone(work, parts);
            return;
        }
        try
        {
            SharedJobs++;
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            if (start < _soloUntil)
            {
                SoloJobs++;
                RunAlone(work, parts);
                return;
            }
            _work = work;
            _parts = parts;
            _failure = null;
            _pending = parts;
            int generation = ++_generation;
            Interlocked.Exchange(ref _claim, (long)generation << 32);
            if (Volatile.Read(ref _sleepers) > 0)
                lock (Gate) Monitor.PulseAll(Gate);

            int ownParts = RunParts(generation);
            long ownDone = System.Diagnostics.Stopwatch.GetTimestamp();
            var spin = new SpinWait();
            while (Volatile.Read(ref _pending) > 0) spin.SpinOnce(sleep1Threshold: -1);
            _work = null;
            // With no part of its own (workers quicker to claim them all) the caller has nothing to compare with.
            long end = System.Diagnostics.Stopwatch.GetTimestamp();
            if (ownParts > 0) RecordBalance(ownDone - start, end - ownDone, end);
            if (_failure is { } failure) ExceptionDispatchInfo.Throw(failure);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Every part on the calling thread; as when shared, a failing part does not stop the others, and the first failure is rethrown.</summary>
    private static void RunAlone(IPartitionedWork work, int parts)
    {
        Exception? failure = null;
        for (int p = 0; p < parts; p++)
        {
            try
            {
                work.Execute(p);
            }
            catch (Exception e)
            {
                failure ??= e;
            }
        }
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
    }

    /// <summary>
    /// After a shared job: the caller spent <paramref name="own"/> ticks on its parts and then waited <paramref name="wait"/>
    /// for the workers. A worker part that takes more than twice a caller part means the caller alone would have finished
    /// sooner, as when the host of a virtual machine lends the second core to other guests part of the time: 2-thread epochs
    /// then ran slower than 1-thread ones, every job waiting for its slowest part. When that persists over a few jobs, the
    /// caller runs the jobs alone for a while (5 ms, doubling while the lag persists, up to 1 s), then shares again to look.
    /// Which thread runs a part changes no result, so neither does this.
    /// </summary>
    private static void RecordBalance(long own, long wait, long now)
    {
        _lag = 0.75 * _lag + 0.25 * wait / Math.Max(own, 1);
        if (_lag > 1)
        {
            // Kept just above the threshold: one balanced job after the solo run clears it, one lagging job renews it for twice as long.
            (_soloUntil, _lag) = (now + _soloSpan, 1.2);
            _soloSpan = Math.Min(2 * _soloSpan, MaxSoloSpan);
        }
        else if (_lag < 0.25) _soloSpan = MinSoloSpan;
    }

    private static int GenerationOf(long claim) => (int)(claim >> 32);

    /// <summary>Claims and runs parts of the given generation's job until none is left; returns how many this thread ran.</summary>
    private static int RunParts(int generation)
    {
        // Read after the generation was seen, so these describe that generation's job (or it is over and nothing is claimed).
        var work = _work;
        int parts = _parts, ran = 0;
        while (true)
        {
            long claim = Volatile.Read(ref _claim);
            int part = (int)claim;
            if (GenerationOf(claim) != generation || part >= parts || work is null) return ran;
            if (Interlocked.CompareExchange(ref _claim, claim + 1, claim) != claim) continue;
            try
            {
                work.Execute(part);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }
            Interlocked.Decrement(ref _pending);
            ran++;
        }
    }

    /// <summary>Starts the workers on the first call that could use them, whether or not it gets them, so no later call allocates.</summary>
    private static void StartWorkers()
    {
        lock (Gate)
        {
            if (_workers is not null) return;
            var workers = new Thread[WorkerCount];
            for (int i = 0; i < workers.Length; i++)
            {
                workers[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"MLNetNN worker {i + 1}" };
                workers[i].Start();
            }
            _workers = workers;
        }
    }

    private static void WorkerLoop()
    {
        int seen = GenerationOf(Volatile.Read(ref _claim));
        while (true)
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            while (GenerationOf(Volatile.Read(ref _claim)) == seen && System.Diagnostics.Stopwatch.GetTimestamp() - start < SpinTicks)
                Thread.SpinWait(20);
            if (GenerationOf(Volatile.Read(ref _claim)) == seen)
            {
                // Announce the sleep before re-checking, so a dispatcher either sees a sleeper or the sleeper sees its job.
                Interlocked.Increment(ref _sleepers);
                lock (Gate)
                {
                    while (GenerationOf(Volatile.Read(ref _claim)) == seen) Monitor.Wait(Gate);
                }
                Interlocked.Decrement(ref _sleepers);
            }
            seen = GenerationOf(Volatile.Read(ref _claim));
            RunParts(seen);
        }
    }
}

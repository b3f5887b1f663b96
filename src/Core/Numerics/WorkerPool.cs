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
/// a part changes no result.
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
    /// Runs parts <c>0 … parts−1</c> of <paramref name="work"/> and returns when all are done. If another caller holds the
    /// pool (or this is called from inside a part), the calling thread runs every part itself.
    /// </summary>
    public static void Run(IPartitionedWork work, int parts)
    {
        if (parts > 1 && WorkerCount > 0 && _workers is null) StartWorkers();
        if (parts <= 1 || WorkerCount == 0 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (int p = 0; p < parts; p++) work.Execute(p);
            return;
        }
        try
        {
            _work = work;
            _parts = parts;
            _failure = null;
            _pending = parts;
            int generation = ++_generation;
            Interlocked.Exchange(ref _claim, (long)generation << 32);
            if (Volatile.Read(ref _sleepers) > 0)
                lock (Gate) Monitor.PulseAll(Gate);

            RunParts(generation);
            var spin = new SpinWait();
            while (Volatile.Read(ref _pending) > 0) spin.SpinOnce(sleep1Threshold: -1);
            _work = null;
            if (_failure is { } failure) ExceptionDispatchInfo.Throw(failure);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    private static int GenerationOf(long claim) => (int)(claim >> 32);

    private static void RunParts(int generation)
    {
        // Read after the generation was seen, so these describe that generation's job (or it is over and nothing is claimed).
        var work = _work;
        int parts = _parts;
        while (true)
        {
            long claim = Volatile.Read(ref _claim);
            int part = (int)claim;
            if (GenerationOf(claim) != generation || part >= parts || work is null) return;
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

using System.Runtime.ExceptionServices;

namespace MLNetNN.Numerics;

/// <summary>A job split into independent parts; <see cref="WorkerPool"/> runs each part exactly once, on any thread, and every part has returned when its Run does.</summary>
internal interface IPartitionedWork
{
    /// <summary>Does part <paramref name="part"/> of the job.</summary>
    void Execute(int part);
}

/// <summary>
/// Persistent worker threads that run the parts of a job alongside the calling thread.
/// <c>Parallel.For</c> allocates and costs tens of microseconds per call; a training step makes a handful of matrix products
/// of about 100 µs each, so here a dispatch is one atomic write that spinning workers see within a microsecond, parts are
/// claimed by compare-and-swap, and nothing is allocated. Callers split only outputs, never reductions, so which thread runs
/// a part changes no result. While the workers lag far behind the caller (a core shared with other work), the caller runs
/// jobs alone for a while (<see cref="RecordBalance"/>).
/// </summary>
/// <remarks>
/// The protocol, in the order the caller (the one thread that holds <see cref="_busy"/>) follows it: write the job's
/// description (work, part count, pending count, no failure); open the claim word at (new generation, part 0) with one atomic
/// exchange, which publishes the description with it; wake the sleeping workers; claim and run parts like any worker; once no
/// part is left to claim, close the claim word (same generation, <see cref="Closed"/>); wait until the pending count, which
/// each part decrements after it has run, is zero; rethrow the first failure. A worker that sees a new generation reads the
/// description, then claims parts by compare-and-swap on the whole word, so a claim succeeds only for the generation it read
/// and only while that job is open: the closing before the next description is written is what keeps a worker that read the
/// next job's description under the previous generation from claiming anything (without it such a part ran twice, and could
/// still be running after Run had returned and its caller had unpinned the buffers). The stress tests drive every step of
/// this through <see cref="PublicationPoint"/> delays.
/// </remarks>
internal sealed class WorkerPool : IDisposable
{
    /// <summary>The pool the engine uses: one worker fewer than the cores, the calling thread being the last.</summary>
    /// <remarks>Settable so a test can put a pool with many workers and injected delays under the engine (from a test collection that runs alone).</remarks>
    internal static WorkerPool Shared { get; set; } = new(Math.Clamp(Environment.ProcessorCount - 1, 0, 63));

    /// <summary>How long an idle worker spins before it blocks: longer than the gap between two products of a training step.</summary>
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 5000;

    /// <summary>5 ms and 1 s: spans of time rather than of jobs, since jobs last from microseconds (training) to milliseconds (prediction).</summary>
    private static readonly long MinSoloSpan = System.Diagnostics.Stopwatch.Frequency / 200, MaxSoloSpan = System.Diagnostics.Stopwatch.Frequency;

    private readonly object _gate = new();
    private readonly int _workerCount;
    private readonly bool _runAloneWhenLagging;

    /// <summary>Test-only: called at each <see cref="PublicationPoint"/>, to widen the windows between two steps of the protocol.</summary>
    private readonly Action<PublicationPoint>? _delays;

    /// <summary>Where the caller reads the time for its balance check: <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>, or a test's scripted clock.</summary>
    private readonly Func<long> _clock;

    private volatile Thread[]? _workers;
    private int _disposed;
    private volatile bool _stopping;

    private int _busy;
    private int _generation;
    private int _sleepers;
    private IPartitionedWork? _work;
    private int _parts, _pending;
    private Exception? _failure;

    /// <summary>
    /// The job's generation (high 32 bits) and its next unclaimed part (low 32 bits), claimed by compare-and-swap. A job's
    /// claim opens at part 0 when its description (<see cref="_work"/>, <see cref="_parts"/>, <see cref="_pending"/>) is in
    /// place and is set to <see cref="Closed"/> once every part is claimed, before the next job's description is written: so a
    /// claim of generation g succeeds only while g's own description is the one in place, whatever a late worker read.
    /// </summary>
    private long _claim;

    /// <summary>
    /// How far the workers have lagged behind the caller of late: an average, over the last few jobs, of the caller's wait for
    /// the workers after its own parts, relative to the time those parts took (see <see cref="RecordBalance"/>).
    /// </summary>
    private double _lag;

    /// <summary>Until when (a <see cref="System.Diagnostics.Stopwatch"/> timestamp) the caller runs jobs alone because the workers lagged, and for how long it does next time they do.</summary>
    private long _soloUntil, _soloSpan = MinSoloSpan;

    /// <summary>A pool of <paramref name="workers"/> threads, started by the first job that can use them.</summary>
    /// <param name="workers">Worker threads besides the calling thread.</param>
    /// <param name="runAloneWhenLagging">Whether the caller takes the jobs alone for a while when the workers lag (<see cref="RecordBalance"/>); off for stress tests, whose delays would otherwise keep the workers out.</param>
    /// <param name="delays">Test-only: called at each <see cref="PublicationPoint"/> on the thread that reaches it.</param>
    /// <param name="clock">Test-only: the caller's clock for the balance check, in <see cref="System.Diagnostics.Stopwatch"/> ticks, so a test can script how long parts seem to take.</param>
    internal WorkerPool(int workers, bool runAloneWhenLagging = true, Action<PublicationPoint>? delays = null, Func<long>? clock = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workers);
        (_workerCount, _runAloneWhenLagging, _delays) = (workers, runAloneWhenLagging, delays);
        _clock = clock ?? System.Diagnostics.Stopwatch.GetTimestamp;
    }

    /// <summary>The steps of the protocol where another thread may act in between: where a stress test injects its delays.</summary>
    internal enum PublicationPoint
    {
        /// <summary>The caller holds the pool and is about to describe its job (the previous job has just completed).</summary>
        BeforeDescribe,

        /// <summary>The caller has described the job (work, parts, pending count) and not yet published its generation.</summary>
        BeforePublish,

        /// <summary>The caller has published the generation and not yet woken the sleeping workers.</summary>
        BeforeWake,

        /// <summary>The caller has run out of parts to claim and is about to wait for the workers' parts.</summary>
        BeforeWait,

        /// <summary>Every part is done; the caller is about to return.</summary>
        Completed,

        /// <summary>A worker has seen a new generation and not yet read that job's description.</summary>
        SawGeneration,

        /// <summary>A thread has read the job's description and is about to claim a part.</summary>
        BeforeClaim,

        /// <summary>A thread has claimed a part and not yet run it.</summary>
        Claimed,

        /// <summary>A thread has run a part and not yet counted it done.</summary>
        Ran,

        /// <summary>An idle worker is about to announce that it sleeps.</summary>
        BeforeSleep,
    }

    /// <summary>Parts that can run at once: the workers plus the calling thread.</summary>
    public int Concurrency => _workerCount + 1;

    /// <summary>Jobs of more than one part that could use the workers, and those the caller ran alone because they lagged: figures for tests and the benchmark.</summary>
    internal long SharedJobs { get; private set; }

    /// <inheritdoc cref="SharedJobs"/>
    internal long SoloJobs { get; private set; }

    /// <summary>
    /// Runs parts <c>0 … parts−1</c> of <paramref name="work"/> and returns when all are done. If another caller holds the
    /// pool (or this is called from inside a part), the calling thread runs every part itself.
    /// </summary>
    public void Run(IPartitionedWork work, int parts)
    {
        if (parts > 1 && _workerCount > 0 && _workers is null) StartWorkers();
        if (parts <= 1 || _workerCount == 0 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            RunAlone(work, parts);
            return;
        }
        try
        {
            SharedJobs++;
            long start = _clock();
            if (start < _soloUntil)
            {
                SoloJobs++;
                RunAlone(work, parts);
                return;
            }
            _delays?.Invoke(PublicationPoint.BeforeDescribe);
            _work = work;
            _parts = parts;
            _failure = null;
            _pending = parts;
            _delays?.Invoke(PublicationPoint.BeforePublish);
            int generation = ++_generation;
            Interlocked.Exchange(ref _claim, (long)generation << 32);
            _delays?.Invoke(PublicationPoint.BeforeWake);
            if (Volatile.Read(ref _sleepers) > 0)
                lock (_gate) Monitor.PulseAll(_gate);

            int ownParts = RunParts(generation);
            long ownDone = _clock();
            // Every part is claimed. Close the claim before anything of the next job is written: a worker that read this
            // generation but is only now reading the job's description may find the next job's work and part count there,
            // and the spent claim (this generation, part = parts) would still be open to a count larger than this job's.
            Interlocked.Exchange(ref _claim, ((long)generation << 32) | Closed);
            _delays?.Invoke(PublicationPoint.BeforeWait);
            var spin = new SpinWait();
            while (Volatile.Read(ref _pending) > 0) spin.SpinOnce(sleep1Threshold: -1);
            _work = null;
            // With no part of its own (workers quicker to claim them all) the caller has nothing to compare with.
            long end = _clock();
            if (ownParts > 0 && _runAloneWhenLagging) RecordBalance(ownDone - start, end - ownDone, end);
            _delays?.Invoke(PublicationPoint.Completed);
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
    private void RecordBalance(long own, long wait, long now)
    {
        // One job counts for at most twice the threshold, so a single late part (a worker woken from its sleep, or descheduled
        // for one of the host's ticks) cannot send the pool solo: only lag over a few jobs in a row does.
        _lag = 0.75 * _lag + 0.25 * Math.Min((double)wait / Math.Max(own, 1), MaxLagPerJob);
        if (_lag > 1)
        {
            // Kept just above the threshold: one balanced job after the solo run clears it, one lagging job renews it for twice as long.
            (_soloUntil, _lag) = (now + _soloSpan, 1.2);
            _soloSpan = Math.Min(2 * _soloSpan, MaxSoloSpan);
        }
        else if (_lag < 0.25) _soloSpan = MinSoloSpan;
    }

    /// <summary>The most one job adds to the lag's average: from none, three jobs in a row at this lag or more take it over 1.</summary>
    private const double MaxLagPerJob = 2;

    private static int GenerationOf(long claim) => (int)(claim >> 32);

    /// <summary>The part a claim word holds once every part of its job is claimed: no part count reaches it, so nothing more can be.</summary>
    private const long Closed = int.MaxValue;

    /// <summary>Claims and runs parts of the given generation's job until none is left; returns how many this thread ran.</summary>
    private int RunParts(int generation)
    {
        // Read after the generation was seen, so these describe that generation's job or, if it is over, a later one: then
        // nothing is claimed, since a job's claim is closed before the next job's description is written.
        var work = Volatile.Read(ref _work);
        int parts = Volatile.Read(ref _parts), ran = 0;
        while (true)
        {
            _delays?.Invoke(PublicationPoint.BeforeClaim);
            long claim = Volatile.Read(ref _claim);
            int part = (int)claim;
            if (GenerationOf(claim) != generation || part >= parts || work is null) return ran;
            if (Interlocked.CompareExchange(ref _claim, claim + 1, claim) != claim) continue;
            _delays?.Invoke(PublicationPoint.Claimed);
            try
            {
                work.Execute(part);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }
            _delays?.Invoke(PublicationPoint.Ran);
            Interlocked.Decrement(ref _pending);
            ran++;
        }
    }

    /// <summary>Starts the workers on the first call that could use them, whether or not it gets them, so no later call allocates.</summary>
    private void StartWorkers()
    {
        lock (_gate)
        {
            if (_workers is not null || _stopping) return;
            var workers = new Thread[_workerCount];
            for (int i = 0; i < workers.Length; i++)
            {
                workers[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"MLNetNN worker {i + 1}" };
                workers[i].Start();
            }
            _workers = workers;
        }
    }

    private void WorkerLoop()
    {
        // Generation 0 is the one before any job: a worker that starts only after the first job was published still joins it
        // (if that job is over, its closed claim turns the worker away).
        int seen = 0;
        while (true)
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            while (GenerationOf(Volatile.Read(ref _claim)) == seen && System.Diagnostics.Stopwatch.GetTimestamp() - start < SpinTicks)
                Thread.SpinWait(20);
            if (GenerationOf(Volatile.Read(ref _claim)) == seen)
            {
                _delays?.Invoke(PublicationPoint.BeforeSleep);
                // Announce the sleep before re-checking, so a dispatcher either sees a sleeper or the sleeper sees its job.
                Interlocked.Increment(ref _sleepers);
                lock (_gate)
                {
                    while (GenerationOf(Volatile.Read(ref _claim)) == seen) Monitor.Wait(_gate);
                }
                Interlocked.Decrement(ref _sleepers);
            }
            seen = GenerationOf(Volatile.Read(ref _claim));
            if (_stopping) return;
            _delays?.Invoke(PublicationPoint.SawGeneration);
            RunParts(seen);
        }
    }

    /// <summary>
    /// Waits for the job in progress, stops the workers and waits for them to end; later jobs run on their callers. For pools
    /// made by tests: the <see cref="Shared"/> one lives as long as the process.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        // Held from now on, so every later Run takes the path that runs its parts on the caller.
        var spin = new SpinWait();
        while (Interlocked.CompareExchange(ref _busy, 1, 0) != 0) spin.SpinOnce();
        Thread[]? workers;
        lock (_gate)
        {
            _stopping = true;
            workers = _workers;
            // A new generation with nothing to claim: every worker wakes, sees it is to stop, and ends.
            Interlocked.Exchange(ref _claim, (long)++_generation << 32);
            Monitor.PulseAll(_gate);
        }
        if (workers is null) return;
        foreach (var worker in workers) worker.Join();
    }
}

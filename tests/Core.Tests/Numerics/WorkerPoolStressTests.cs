using MLNetNN.Numerics;
using MLNetNN.Training;
using Xunit;

namespace MLNetNN.Tests.Numerics;

/// <summary>
/// The pool's hand-over between threads, proven under injected delays: pools of many more workers than the machine's cores,
/// with each thread pausing at random (its own seeded <see cref="Random"/>) at every step of the protocol where another thread
/// can act in between, so the rare interleavings the scheduler could produce happen within a few thousand jobs.
/// </summary>
[Collection(nameof(WorkerPoolTests))]
public class WorkerPoolStressTests
{
    /// <summary>More workers than cores, so workers are descheduled at any step, and at least three of them (the race of issue 11 needs three).</summary>
    private const int ManyWorkers = 7;

    [Fact]
    public void Every_part_runs_once_inside_its_own_job_while_delays_widen_every_window()
    {
        // Jobs alternate between few and many parts: a worker lagging behind a small job could then claim a part of the next,
        // larger one under the small job's generation (the part ran twice, or after Run returned, on buffers no longer pinned).
        var delays = new RandomDelays(seed: 11);
        var log = new JobLog();
        using (var pool = new WorkerPool(ManyWorkers, runAloneWhenLagging: false, delays.At))
        {
            for (int id = 0; id < 1000 && log.Clean; id++)
                log.RunChecked(pool, id, parts: id % 2 == 0 ? 2 : 3 + id % 14);
        }
        log.AssertClean();
    }

    [Fact]
    public void A_failing_part_fails_its_own_job_and_no_later_one()
    {
        // Every fifth job has a part that throws; the others must not rethrow it.
        var delays = new RandomDelays(seed: 12);
        var log = new JobLog();
        using (var pool = new WorkerPool(ManyWorkers, runAloneWhenLagging: false, delays.At))
        {
            for (int id = 0; id < 300 && log.Clean; id++)
                log.RunChecked(pool, id, parts: 2 + id % 9, failingPart: id % 5 == 0 ? id % (2 + id % 9) : -1);
        }
        log.AssertClean();
    }

    [Fact]
    public void Two_callers_at_once_each_get_every_part_of_their_own_jobs()
    {
        // One caller holds the pool; the other runs its job on its own thread meanwhile, and may take the pool for the next.
        var delays = new RandomDelays(seed: 13);
        var logs = new[] { new JobLog(), new JobLog() };
        using (var pool = new WorkerPool(ManyWorkers, runAloneWhenLagging: false, delays.At))
        {
            Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, caller =>
            {
                for (int id = 0; id < 400 && logs[caller].Clean; id++)
                    logs[caller].RunChecked(pool, id, parts: (id + caller) % 2 == 0 ? 2 : 5 + id % 11);
            });
        }
        logs[0].AssertClean();
        logs[1].AssertClean();
    }

    [Fact]
    public void A_part_that_runs_a_job_of_its_own_gets_it_run_on_its_thread()
    {
        var delays = new RandomDelays(seed: 14);
        var outer = new JobLog();
        var inner = new JobLog();
        int innerJobs = 0;
        using (var pool = new WorkerPool(ManyWorkers, runAloneWhenLagging: false, delays.At))
        {
            for (int id = 0; id < 150 && outer.Clean && inner.Clean; id++)
            {
                int outerId = id;
                outer.RunChecked(pool, id, parts: 2 + id % 7, body: part =>
                {
                    // Parts of one outer job run at once on several threads, each with its own nested job.
                    int thread = Environment.CurrentManagedThreadId;
                    int innerId = Interlocked.Increment(ref innerJobs);
                    var job = new RecordingJob(inner, innerId, parts: 4, failingPart: -1, oneAtATime: false, body: _ =>
                    {
                        if (Environment.CurrentManagedThreadId != thread) inner.Fail($"a part of the job nested in part {part} of job {outerId} ran on another thread");
                    });
                    pool.Run(job, 4);
                    job.CheckDone();
                });
            }
        }
        outer.AssertClean();
        inner.AssertClean();
    }

    [Fact]
    public void Sleeping_workers_all_wake_for_each_job()
    {
        // Each part waits until every thread of the pool holds one, so a job completes only if every worker woke for it.
        // Between jobs the workers often go to sleep (they spin 0.2 ms), and the delays land between announcing a sleep and
        // sleeping, and between publishing a job and waking the sleepers.
        const int workers = 3;
        var delays = new RandomDelays(seed: 15);
        var pause = new Random(15);
        var log = new JobLog();
        using (var pool = new WorkerPool(workers, runAloneWhenLagging: false, delays.At))
        {
            using var everyone = new Barrier(workers + 1);
            for (int id = 0; id < 60 && log.Clean; id++)
            {
                log.RunChecked(pool, id, parts: workers + 1, body: part =>
                {
                    // A hang guard, not a timing: a worker that missed its wake would keep the job waiting forever.
                    if (!everyone.SignalAndWait(TimeSpan.FromSeconds(20))) log.Fail($"job {id}: a worker never woke to take a part");
                });
                if (pause.Next(3) == 0) Thread.Sleep(1);
            }
        }
        log.AssertClean();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("conv16x3:same,pool2,conv8x3,flatten,dense32")]
    public void Training_and_split_prediction_on_many_delayed_workers_give_the_bits_of_one_thread(string? layers)
    {
        // The engine's own jobs (row-split forward passes, split products, the optimiser's step; with convolutions their
        // chunks, gradient groups, pooling gradients and activation derivatives) on a pool of 7 delayed workers: a part run
        // twice, late or not at all would show as a wrong bit somewhere in the weights or the outputs.
        var data = TestData.Digits();
        var options = new NeuralNetworkOptions { HiddenLayers = [64], Epochs = 2, BatchSize = 128, Seed = 3, Threads = 1 };
        if (layers is not null) options = options with { Layers = MLNetNN.Networks.LayerText.Parse(layers), InputShape = MLNetNN.Layers.LayerShape.Image(8, 8, 1) };
        var alone = Trainers.MulticlassClassification(options).Fit(data).Model;
        float[] expected = alone.PredictBatch(data);

        var engines = WorkerPool.Shared;
        var delays = new RandomDelays(seed: 16);
        using var pool = new WorkerPool(ManyWorkers, runAloneWhenLagging: false, delays.At);
        WorkerPool.Shared = pool;
        try
        {
            var shared = Trainers.MulticlassClassification(options with { Threads = ManyWorkers + 1 }).Fit(data).Model;
            Assert.True(AsBits(shared.Network.Parameters).SequenceEqual(AsBits(alone.Network.Parameters)), "training on the pool gave other weights");

            // Slices of 54 rows (4 parts of a forward pass) alternate with slices of 500 (8 parts), 100 passes over the data.
            int columns = data.Columns, outputs = expected.Length / data.Rows, wrong = 0, jobs = 0;
            var predicted = new float[expected.Length];
            for (int pass = 0; pass < 100; pass++)
            {
                Array.Clear(predicted);
                for (int start = 0, slice = 0; start < data.Rows; start += SliceRows(slice++), jobs++)
                {
                    int rows = Math.Min(SliceRows(slice), data.Rows - start);
                    shared.PredictBatch(data.Features.AsSpan(start * columns, rows * columns), predicted.AsSpan(start * outputs, rows * outputs));
                }
                if (!AsBits(predicted).SequenceEqual(AsBits(expected))) wrong++;
            }
            Assert.True(wrong == 0, $"{wrong} of 100 passes ({jobs} split predictions) differed from one thread's");
        }
        finally
        {
            WorkerPool.Shared = engines;
        }

        static int SliceRows(int slice) => slice % 2 == 0 ? 54 : 500;
        static ReadOnlySpan<int> AsBits(float[] values) => System.Runtime.InteropServices.MemoryMarshal.Cast<float, int>(values.AsSpan());
    }

    /// <summary>Pauses the thread that reaches a step of the protocol, at random: often not at all, sometimes for a yield or a spin.</summary>
    internal sealed class RandomDelays
    {
        private readonly ThreadLocal<Random> _random;
        private int _threads;

        public RandomDelays(int seed) => _random = new(() => new Random(seed * 1000 + Interlocked.Increment(ref _threads)));

        public void At(WorkerPool.PublicationPoint point) => Pause(_random.Value!);

        /// <summary>A part's own work: a random pause, so parts end in any order.</summary>
        public void Work() => Pause(_random.Value!);

        private static void Pause(Random random)
        {
            switch (random.Next(6))
            {
                case 0: Thread.Sleep(0); break;
                case 1: Thread.Yield(); break;
                case 2: Thread.SpinWait(random.Next(1, 400)); break;
            }
        }
    }

    /// <summary>The first breach of the pool's promises seen by the jobs of one caller: a part run twice, outside its job's Run call, or a part its job never had.</summary>
    internal sealed class JobLog
    {
        private string? _firstFailure;
        private int _failures, _jobs;

        /// <summary>The job the caller is running now.</summary>
        public volatile int Current = -1;

        public bool Clean => Volatile.Read(ref _failures) == 0;

        public void Fail(string what)
        {
            if (Interlocked.Increment(ref _failures) == 1) _firstFailure = what;
        }

        /// <summary>Runs job <paramref name="id"/> on <paramref name="pool"/> and checks that each of its parts ran exactly once before Run returned, and that it threw exactly when a part did.</summary>
        public void RunChecked(WorkerPool pool, int id, int parts, int failingPart = -1, Action<int>? body = null)
        {
            var job = new RecordingJob(this, id, parts, failingPart, oneAtATime: true, body);
            Current = id;
            try
            {
                pool.Run(job, parts);
                if (failingPart >= 0) Fail($"job {id}: part {failingPart} threw, and Run did not");
            }
            catch (PartFailed e)
            {
                if (e.Job != id || e.Part != failingPart) Fail($"job {id}: Run threw the failure of part {e.Part} of job {e.Job}");
            }
            job.CheckDone();
            _jobs++;
        }

        public void AssertClean() => Assert.True(Clean, $"{_failures} breach(es) in {_jobs} jobs; the first: {_firstFailure}");
    }

    /// <summary>A job that records each run of each part in its log; <paramref name="oneAtATime"/>: the log's jobs run one after another, so a part must belong to the current one.</summary>
    internal sealed class RecordingJob(JobLog log, int id, int parts, int failingPart, bool oneAtATime, Action<int>? body) : IPartitionedWork
    {
        private readonly int[] _runs = new int[parts];
        private volatile bool _returned;

        public void Execute(int part)
        {
            if ((uint)part >= (uint)parts)
            {
                log.Fail($"job {id} of {parts} parts was asked for part {part}");
                return;
            }
            if (_returned) log.Fail($"job {id}: part {part} started after Run returned");
            if (oneAtATime && log.Current != id) log.Fail($"job {id}: part {part} ran during job {log.Current}");
            if (Interlocked.Increment(ref _runs[part]) > 1) log.Fail($"job {id}: part {part} ran twice");
            if (body is null) Delays.Work();
            else body(part);
            if (_returned) log.Fail($"job {id}: part {part} was still running after Run returned");
            if (part == failingPart) throw new PartFailed(id, part);
        }

        /// <summary>After Run: every part ran exactly once, and none may run from now on.</summary>
        public void CheckDone()
        {
            _returned = true;
            for (int p = 0; p < parts; p++)
            {
                int runs = Volatile.Read(ref _runs[p]);
                if (runs != 1) log.Fail($"job {id}: part {p} had run {runs} times when Run returned");
            }
        }

        private static readonly RandomDelays Delays = new(seed: 10);
    }

    internal sealed class PartFailed(int job, int part) : Exception($"part {part} of job {job}")
    {
        public int Job { get; } = job;
        public int Part { get; } = part;
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetNN.Data;
using MLNetNN.Training;

namespace MLNetNN.MLNet.Tests;

/// <summary>
/// Reading the data view ahead of training on a thread of its own (<see cref="ReadAheadCursor"/>): where the reading happens,
/// that training gets the same batches and network as from reading between batches, and the hand-over under injected delays.
/// </summary>
public sealed class ReadAheadTests
{
    [Fact]
    public void With_more_than_one_thread_the_epochs_read_the_view_beside_the_training_thread()
    {
        var ml = new MLContext(seed: 1);
        var rows = new ThreadRecordingRows(TestData.TwoMoons(2000, 0.1, 1));
        var data = ml.Data.LoadFromEnumerable(rows);
        int caller = Environment.CurrentManagedThreadId;
        var options = new NeuralNetworkBinaryTrainer.Options { HiddenLayers = [8], Epochs = 3, Convergence = ConvergenceCriterion.None, NumberOfThreads = 2 };

        ml.BinaryClassification.Trainers.NeuralNetwork(options).Fit(data);
        // The standardisation pass runs before training on the caller's thread; the three epochs are read on another.
        Assert.Equal(4, rows.Passes.Count);
        Assert.Equal([caller], rows.Passes[0].Distinct());
        Assert.All(rows.Passes.Skip(1), pass => Assert.DoesNotContain(caller, pass));

        rows.Passes.Clear();
        ml.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkBinaryTrainer.Options
        {
            HiddenLayers = [8], Epochs = 3, Convergence = ConvergenceCriterion.None, NumberOfThreads = 1,
        }).Fit(data);
        // One thread asked for: every pass stays on it.
        Assert.Equal(4, rows.Passes.Count);
        Assert.All(rows.Passes, pass => Assert.Equal([caller], pass.Distinct()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reading_ahead_trains_the_same_network_as_reading_between_batches(bool validationFraction)
    {
        // The engine's results are bit-identical for any thread count, so 1 thread (no read-ahead) and 2 (read-ahead) must agree
        // bit for bit: the same rows in the same batches, the same hold-out, the same shuffle.
        float[] Train(int threads)
        {
            var ml = new MLContext(seed: 1);
            var data = ml.Data.LoadFromEnumerable(TestData.TwoMoons(3000, 0.2, 3));
            return ml.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkBinaryTrainer.Options
            {
                HiddenLayers = [16], Epochs = 4, BatchSize = 50, ShuffleBufferRows = 500, Convergence = ConvergenceCriterion.None,
                ValidationFraction = validationFraction ? 0.2f : null, NumberOfThreads = threads,
            }).Fit(data).Model.Network.Parameters;
        }
        Assert.Equal(Train(1), Train(2));
    }

    [Fact]
    public void Read_ahead_hands_over_the_same_batches_as_the_cursor_under_injected_delays()
    {
        // Seeded stress: passes over views with skipped rows, weights, a hold-out, sorted labels (8 cursors), a failing row and
        // early stops, read once directly and once ahead with random delays at every hand-over point.
        var ml = new MLContext(seed: 1);
        for (int seed = 0; seed < 200; seed++)
        {
            var random = new Random(seed);
            int rows = random.Next(0, 700), features = random.Next(1, 6), capacity = random.Next(1, 40);
            int? failAt = random.Next(4) == 0 ? random.Next(rows + 1) : null;
            var view = new GeneratedView(rows, features, sorted: random.Next(3) == 0, failAt);
            var options = new NeuralNetworkBinaryTrainer.Options { ExampleWeightColumnName = "Weight" };
            var columns = TrainingColumns.Bind(TaskKind.BinaryClassification, view.Schema, options);
            var holdOut = random.Next(2) == 0 ? new DataViewBatchSource.HoldOut(0.3f, seed, Keep: random.Next(2) == 0) : null;
            int bufferRows = random.Next(1, 100);
            var direct = new DataViewBatchSource(view, columns, bufferRows, holdOut);
            var delayRandom = new Random(seed + 1000);
            var ahead = new DataViewBatchSource(view, columns, bufferRows, holdOut) { ReadAhead = true, ReadAheadDelays = _ => Delay(delayRandom) };
            if (failAt is null && rows > 0 && random.Next(2) == 0)
            {
                // The order check of the first pass: sorted rows are then read through 8 cursors by both.
                direct.CheckOrder();
                ahead.CheckOrder();
            }
            for (int pass = 0; pass < 3; pass++)
            {
                int? shuffleSeed = random.Next(3) == 0 ? null : random.Next();
                int stopAfter = random.Next(4) == 0 ? random.Next(0, 5) : int.MaxValue;
                var (expected, expectedFailure) = ReadPass(direct, shuffleSeed, capacity, features, stopAfter);
                int before = view.OpenCursors;
                var (actual, actualFailure) = ReadPass(ahead, shuffleSeed, capacity, features, stopAfter);
                string what = $"seed {seed}, pass {pass}: {rows} rows, capacity {capacity}, fail at {failAt}, stop after {stopAfter}";
                Assert.True(expected.Count == actual.Count, $"{what}: {expected.Count} batches directly, {actual.Count} read ahead");
                for (int b = 0; b < expected.Count; b++) Assert.True(expected[b].SequenceEqual(actual[b]), $"{what}: batch {b} differs");
                Assert.Equal(expectedFailure, actualFailure);
                Assert.Equal(before, view.OpenCursors);
                if (expectedFailure is null && stopAfter == int.MaxValue)
                    Assert.Equal((direct.RowsUsed, direct.RowsSkipped), (ahead.RowsUsed, ahead.RowsSkipped));
            }
            Assert.Equal(0, view.OpenCursors);
            Assert.Equal(0, view.Misuses);
        }
    }

    /// <summary>One pass's batches, each as its rows, label, weight and flag in a flat list; and the message of a failure, if any.</summary>
    private static (List<float[]> Batches, string? Failure) ReadPass(IBatchSource source, int? shuffleSeed, int capacity, int features, int stopAfter)
    {
        var batches = new List<float[]>();
        var batch = new MiniBatch(capacity, features, 1);
        try
        {
            using var cursor = source.Open(shuffleSeed);
            while (batches.Count < stopAfter && cursor.Next(batch))
                batches.Add([.. batch.Features.AsSpan(0, batch.Rows * features), .. batch.Labels.AsSpan(0, batch.Rows), .. batch.Weights.AsSpan(0, batch.Rows), batch.HasWeights ? 1 : 0]);
        }
        catch (InvalidDataException e)
        {
            return (batches, e.Message);
        }
        return (batches, null);
    }

    private static void Delay(Random random)
    {
        int choice;
        lock (random) choice = random.Next(10);
        switch (choice)
        {
            case 0: Thread.Yield(); break;
            case 1: Thread.SpinWait(500); break;
            case 2: Thread.Sleep(0); break;
            case 3: Thread.Sleep(1); break;
        }
    }

    /// <summary>Two-moons rows whose enumerations record the thread that produced each row, one list per pass.</summary>
    private sealed class ThreadRecordingRows(List<PointRow> rows) : IEnumerable<PointRow>
    {
        public List<List<int>> Passes { get; } = [];

        public IEnumerator<PointRow> GetEnumerator()
        {
            var threads = new List<int>();
            lock (Passes) Passes.Add(threads);
            foreach (var row in rows)
            {
                threads.Add(Environment.CurrentManagedThreadId);
                yield return row;
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>
    /// Rows made from their index: every seventh has a NaN feature, every eleventh a NaN label, weights vary; optionally sorted
    /// by label, optionally failing at one row. Its cursors count how many are open and any use from two threads at once or
    /// after disposal.
    /// </summary>
    private sealed class GeneratedView(int rows, int features, bool sorted, int? failAt) : IDataView
    {
        private readonly int _rows = rows, _features = features;
        private readonly int? _failAt = failAt;
        private int _open, _misuses;

        public int OpenCursors => Volatile.Read(ref _open);

        public int Misuses => Volatile.Read(ref _misuses);

        public DataViewSchema Schema { get; } = BuildSchema(features);

        public bool CanShuffle => false;

        public long? GetRowCount() => null;

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(this)];

        private static DataViewSchema BuildSchema(int features)
        {
            var builder = new DataViewSchema.Builder();
            builder.AddColumn("Features", new VectorDataViewType(NumberDataViewType.Single, features));
            builder.AddColumn("Label", NumberDataViewType.Single);
            builder.AddColumn("Weight", NumberDataViewType.Single);
            return builder.ToSchema();
        }

        private float Label(long i) => i % 11 == 5 ? float.NaN : sorted ? (i < _rows / 2 ? 0 : 1) : (i * 7919 % 13) % 2;

        private sealed class Cursor : DataViewRowCursor
        {
            private readonly GeneratedView _view;
            private long _position = -1;
            private int _inside;
            private bool _disposed;

            public Cursor(GeneratedView view)
            {
                _view = view;
                Interlocked.Increment(ref view._open);
            }

            public override long Position => _position;

            public override long Batch => 0;

            public override DataViewSchema Schema => _view.Schema;

            public override bool MoveNext() => Guarded(() =>
            {
                if (++_position == _view._failAt) throw new InvalidDataException($"Row {_position} could not be read.");
                return _position < _view._rows;
            });

            public override bool IsColumnActive(DataViewSchema.Column column) => true;

            public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

            public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => column.Index switch
            {
                0 => (ValueGetter<TValue>)(Delegate)(ValueGetter<VBuffer<float>>)GetFeatures,
                1 => (ValueGetter<TValue>)(Delegate)(ValueGetter<float>)((ref float v) => v = Guarded(() => _view.Label(_position))),
                _ => (ValueGetter<TValue>)(Delegate)(ValueGetter<float>)((ref float v) => v = 0.5f + _position % 3),
            };

            private void GetFeatures(ref VBuffer<float> value)
            {
                var editor = VBufferEditor.Create(ref value, _view._features);
                for (int j = 0; j < _view._features; j++)
                    editor.Values[j] = _position % 7 == 3 && j == 0 ? float.NaN : (_position * 31 + j * 17) % 101 / 10f;
                value = editor.Commit();
            }

            private T Guarded<T>(Func<T> read)
            {
                if (Interlocked.Increment(ref _inside) != 1 || _disposed) Interlocked.Increment(ref _view._misuses);
                try { return read(); }
                finally { Interlocked.Decrement(ref _inside); }
            }

            protected override void Dispose(bool disposing)
            {
                if (_disposed) return;
                if (Interlocked.Increment(ref _inside) != 1) Interlocked.Increment(ref _view._misuses);
                _disposed = true;
                Interlocked.Decrement(ref _inside);
                Interlocked.Decrement(ref _view._open);
                base.Dispose(disposing);
            }
        }
    }
}

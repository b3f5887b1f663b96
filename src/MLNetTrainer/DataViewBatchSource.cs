using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetNN.Data;

namespace MLNetNN.MLNet;

/// <summary>
/// Streams an <see cref="IDataView"/> to the engine as mini-batches: each pass opens a fresh cursor, skips rows with missing
/// features, label or weight (counting them, as ML.NET's trainers do), and shuffles through a bounded buffer, so memory stays
/// at about (<c>bufferRows</c> + batch) × (features + 2) floats however many rows the view holds (with <see cref="ReadAhead"/>,
/// <see cref="ReadAheadChunks.Count"/> batches more).
/// </summary>
/// <remarks>
/// A view that can shuffle itself (a cached view) is also asked for a shuffled cursor, which makes the shuffle complete. Over one
/// that cannot, the first pass (<see cref="FitStandardization"/> or <see cref="CheckOrder"/>) watches the labels' order; rows found
/// sorted are then read through <see cref="Segments"/> cursors spread over the view, taken in turn. The hold-out
/// split hashes each row's id with the seed: a row lands on the same side on every pass and in every cursor order, with nothing
/// stored per row.
/// </remarks>
internal sealed class DataViewBatchSource : IBatchSource
{
    private readonly IDataView _data;
    private readonly TrainingColumns _columns;
    private readonly int _bufferRows;
    private readonly HoldOut? _holdOut;
    private ShuffleBuffer? _buffer;
    /// <summary>Rows of the view (counted by the last full pass in stream order), for spreading cursors over it.</summary>
    private long? _viewRows;
    /// <summary>Set once the labels were seen arriving sorted: shuffling passes then read through <see cref="Segments"/> cursors.</summary>
    private bool _sorted;

    /// <summary>
    /// Cursors a shuffling pass spreads over a view found sorted, read in turn: each mini-batch then draws from every eighth of
    /// the rows, so class-sorted rows give batches of every class. Skipping to the later cursors' starts moves past
    /// (Segments − 1) / 2 times the rows each epoch, which is why this is kept to views found sorted.
    /// </summary>
    internal const int Segments = 8;

    public DataViewBatchSource(IDataView data, TrainingColumns columns, int bufferRows, HoldOut? holdOut)
    {
        _data = data;
        _columns = columns;
        _bufferRows = Math.Max(1, bufferRows);
        _holdOut = holdOut;
    }

    public int FeatureCount => _columns.FeatureCount;

    public int LabelWidth => 1;

    /// <summary>The MLContext whose cancellation stops every pass (checked row by row), or null.</summary>
    public MLContextHost? Host { get; init; }

    /// <summary>Where the first pass over a view that cannot shuffle warns that its rows arrive ordered by label.</summary>
    public TrainingLog? Log { get; init; }

    /// <summary>The scaler applied to every row handed out (fitted by <see cref="FitStandardization"/>), or null.</summary>
    public FeatureScaler? Scaler { get; set; }

    /// <summary>Rows used by the last complete pass.</summary>
    public long RowsUsed { get; private set; }

    /// <summary>Rows skipped by the last complete pass for a missing feature, label or weight.</summary>
    public long RowsSkipped { get; private set; }

    /// <summary>
    /// Whether passes read the view on a thread of their own, a few batches ahead of training (<see cref="ReadAheadCursor"/>):
    /// set when training may use more than one thread, so reading runs beside the training instead of between its batches.
    /// </summary>
    public bool ReadAhead { get; init; }

    /// <summary>Test-only: called at each step of a read-ahead pass's hand-over, on the thread that reaches it.</summary>
    internal Action<ReadAheadCursor.PublicationPoint>? ReadAheadDelays { get; init; }

    private ReadAheadChunks? _chunks;

    public IBatchCursor Open(int? shuffleSeed)
    {
        var cursor = new Cursor(this, shuffleSeed);
        if (!ReadAhead) return cursor;
        return new ReadAheadCursor(cursor, _chunks ??= new ReadAheadChunks(FeatureCount, LabelWidth), ReadAheadDelays);
    }

    /// <summary>
    /// One pass computing each feature's mean and population standard deviation (Welford's update in double, stable in one
    /// pass) over the rows this source yields, as the engine's <see cref="FeatureScaler.FitStandardization"/> would.
    /// </summary>
    public FeatureScaler FitStandardization()
    {
        int d = FeatureCount;
        var mean = new double[d];
        var m2 = new double[d];
        var row = new float[d];
        long n = 0;
        using (var reader = new RowReader(this, _data.GetRowCursor(_columns.Needed(_data.Schema))))
        {
            if (!_data.CanShuffle) reader.WatchOrder(_bufferRows);
            while (reader.Next(row, out _, out _))
            {
                n++;
                for (int j = 0; j < d; j++)
                {
                    double delta = row[j] - mean[j];
                    mean[j] += delta / n;
                    m2[j] += delta * (row[j] - mean[j]);
                }
            }
            if (n == 0) throw NoRows(reader.Skipped);
            _viewRows = reader.RawRows;
        }
        var offset = new float[d];
        var scale = new float[d];
        for (int j = 0; j < d; j++)
        {
            offset[j] = (float)mean[j];
            double std = Math.Sqrt(m2[j] / n);
            scale[j] = std > 0 ? (float)(1 / std) : 1f;
        }
        return new FeatureScaler(ScalerKind.Standardization, offset, scale);
    }

    /// <summary>
    /// For a view that cannot shuffle, one pass in stream order watching the labels' order (as <see cref="FitStandardization"/>
    /// does on its way), so that rows found sorted are read spread out from the first epoch; nothing for a view that can shuffle.
    /// </summary>
    public void CheckOrder()
    {
        if (_data.CanShuffle) return;
        var row = new float[FeatureCount];
        using var reader = new RowReader(this, _data.GetRowCursor(_columns.Needed(_data.Schema)));
        reader.WatchOrder(_bufferRows);
        while (reader.Next(row, out _, out _)) { }
        _viewRows = reader.RawRows;
    }

    /// <summary>ML.NET's wording for an empty training set.</summary>
    public InvalidOperationException NoRows(long skipped) => new(skipped > 0
        ? $"Training set has 0 instances, aborting training: all {skipped} rows had a missing (NaN) feature, label or weight."
        : "Training set has 0 instances, aborting training.");

    /// <summary>Which rows a source holds when the training data is split by hashing row ids.</summary>
    /// <param name="Fraction">Share of rows in the hold-out.</param>
    /// <param name="Seed">Salt of the hash.</param>
    /// <param name="Keep">True for the hold-out side, false for the rest.</param>
    public sealed record HoldOut(float Fraction, int Seed, bool Keep)
    {
        public bool Contains(DataViewRowId id)
        {
            // SplitMix64 finaliser over the id and seed: a cheap, well-mixed hash whose top 53 bits give a uniform number in [0, 1).
            ulong z = id.Low ^ (id.High * 0x9E3779B97F4A7C15UL) ^ ((ulong)(uint)Seed << 32);
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            bool inHoldOut = (z >> 11) * (1.0 / (1UL << 53)) < Fraction;
            return inHoldOut == Keep;
        }
    }

    /// <summary>Reads usable rows from a cursor: densified features, the label as the engine wants it, the weight.</summary>
    private sealed class RowReader : IDisposable
    {
        private readonly DataViewBatchSource _source;
        private readonly DataViewRowCursor _cursor;
        private readonly ValueGetter<VBuffer<float>> _features;
        private readonly Func<float> _label;
        private readonly ValueGetter<float>? _weight;
        private readonly ValueGetter<DataViewRowId>? _id;
        private VBuffer<float> _buffer;
        private LabelOrder? _order;
        private readonly long _limit;

        /// <summary>Reads <paramref name="cursor"/> from its row <paramref name="skip"/>, at most <paramref name="limit"/> rows.</summary>
        public RowReader(DataViewBatchSource source, DataViewRowCursor cursor, long skip = 0, long limit = long.MaxValue)
        {
            _source = source;
            _cursor = cursor;
            var c = source._columns;
            _features = cursor.GetGetter<VBuffer<float>>(cursor.Schema[c.Features.Index]);
            _label = c.LabelReader(cursor);
            _weight = c.Weight is { } w ? cursor.GetGetter<float>(cursor.Schema[w.Index]) : null;
            _id = source._holdOut is null ? null : cursor.GetIdGetter();
            _limit = limit;
            for (long i = 0; i < skip && cursor.MoveNext(); i++) source.Host?.ThrowIfCanceled();
        }

        /// <summary>Rows this reader has moved past (usable or not, either side of the split), not counting those skipped to reach its start.</summary>
        public long RawRows { get; private set; }

        public long Used { get; private set; }

        /// <summary>Watches the labels' order from now on, warning through the source's log once a run outgrows <paramref name="bufferRows"/>.</summary>
        public void WatchOrder(int bufferRows) => _order = new LabelOrder(bufferRows);

        public long Skipped { get; private set; }

        /// <summary>Advances to the next usable row of this source's side of the split; false at the end.</summary>
        public bool Next(Span<float> features, out float label, out float weight)
        {
            while (RawRows < _limit && _cursor.MoveNext())
            {
                RawRows++;
                _source.Host?.ThrowIfCanceled();
                if (_id is not null)
                {
                    DataViewRowId id = default;
                    _id(ref id);
                    if (!_source._holdOut!.Contains(id)) continue;
                }
                label = _label();
                weight = 1f;
                _weight?.Invoke(ref weight);
                bool usable = !float.IsNaN(label) && float.IsFinite(weight) && weight >= 0;
                if (usable)
                {
                    _features(ref _buffer);
                    _buffer.CopyTo(features);
                    usable = Dataset.IndexOfNonFinite(features) < 0;
                }
                if (usable)
                {
                    Used++;
                    if (_order is not null && _order.Add(label)) ReportOrder();
                    return true;
                }
                Skipped++;
            }
            label = weight = 0;
            return false;
        }

        private void ReportOrder()
        {
            _order = null;
            _source._sorted = true;
            _source.Log?.Warning(
                $"The training rows arrive ordered by label: over {_source._bufferRows:N0} rows in a row came in rising or falling label order, " +
                $"more than the shuffle buffer holds (ShuffleBufferRows = {_source._bufferRows:N0}), and this data view cannot shuffle itself. " +
                $"So that mini-batches do not hold one class or label range at a time, the trainer reads the view through {Segments} cursors " +
                $"spread over its rows, moving past about {(Segments - 1) / 2.0:G2} times the rows " +
                "each epoch to reach their starts. Put ml.Data.Cache(data) before fitting (a cached view shuffles completely) or shuffle " +
                "the rows where they are stored to avoid that cost.");
        }

        public void Dispose() => _cursor.Dispose();
    }

    /// <summary>
    /// The longest runs of rising and of falling labels in stream order (equal labels extend both). Shuffled rows give runs of a
    /// few rows; rows sorted by class or by target give one run as long as the data.
    /// </summary>
    private sealed class LabelOrder(int limit)
    {
        private float _previous = float.NaN;
        private long _rising, _falling;

        /// <summary>Adds the next label; true once a run exceeds the limit.</summary>
        public bool Add(float label)
        {
            _rising = label >= _previous ? _rising + 1 : 1;
            _falling = label <= _previous ? _falling + 1 : 1;
            _previous = label;
            return Math.Max(_rising, _falling) > limit;
        }
    }

    /// <summary>One pass: rows go through a shuffle buffer (reservoir-style: emit a random slot, refill it with the next row).</summary>
    private sealed class Cursor : IBatchCursor
    {
        private readonly DataViewBatchSource _source;
        private readonly RowReader[] _readers;
        private readonly bool[] _done;
        private int _turn, _live;
        private readonly Random? _random;
        private readonly float[] _features = [];
        private readonly float[] _labels = [];
        private readonly float[] _weights = [];
        private int _count;
        private bool _exhausted;

        public Cursor(DataViewBatchSource source, int? shuffleSeed)
        {
            _source = source;
            int d = source.FeatureCount;
            _random = shuffleSeed is int seed ? new Random(seed) : null;
            // A view that can shuffle itself gives a full shuffle for free; the buffer below then only adds a little more mixing.
            var cursorRandom = _random is not null && source._data.CanShuffle ? new Random(_random.Next()) : null;
            var columns = source._columns.Needed(source._data.Schema);
            if (_random is not null && source._sorted && source._viewRows is long n && n >= Segments)
            {
                _readers = new RowReader[Segments];
                try
                {
                    for (int i = 0; i < Segments; i++)
                    {
                        long start = n * i / Segments, end = n * (i + 1) / Segments;
                        _readers[i] = new RowReader(source, source._data.GetRowCursor(columns), start, end - start);
                    }
                }
                catch
                {
                    // A cancellation (or a failing view) while skipping to a start: close the cursors already open.
                    foreach (var reader in _readers) reader?.Dispose();
                    throw;
                }
            }
            else
            {
                _readers = [new RowReader(source, source._data.GetRowCursor(columns, cursorRandom))];
            }
            _done = new bool[_readers.Length];
            _live = _readers.Length;
            if (_random is null) return;
            // Passes run one at a time, so every pass reuses the source's buffer: no allocation per epoch.
            long rows = source._data.GetRowCount() ?? long.MaxValue;
            var buffer = source._buffer ??= new ShuffleBuffer((int)Math.Min(source._bufferRows, Math.Max(1, rows)), d);
            (_features, _labels, _weights) = (buffer.Features, buffer.Labels, buffer.Weights);
        }

        public bool Next(MiniBatch batch)
        {
            int d = _source.FeatureCount, rows = 0;
            if (_random is null)
            {
                while (rows < batch.Capacity && ReadNext(batch.Features.AsSpan(rows * d, d), out batch.Labels[rows], out batch.Weights[rows])) rows++;
            }
            else
            {
                Fill();
                while (rows < batch.Capacity && _count > 0)
                {
                    int slot = _random.Next(_count);
                    _features.AsSpan(slot * d, d).CopyTo(batch.Features.AsSpan(rows * d, d));
                    batch.Labels[rows] = _labels[slot];
                    batch.Weights[rows] = _weights[slot];
                    rows++;
                    if (_exhausted || !ReadNext(_features.AsSpan(slot * d, d), out _labels[slot], out _weights[slot]))
                    {
                        _exhausted = true;
                        Move(--_count, slot);
                    }
                }
            }
            if (rows == 0)
            {
                _source.RowsUsed = _readers.Sum(r => r.Used);
                _source.RowsSkipped = _readers.Sum(r => r.Skipped);
                return false;
            }
            batch.Rows = rows;
            batch.HasWeights = _source._columns.Weight is not null;
            _source.Scaler?.TransformRows(batch.Features.AsSpan(0, rows * d), batch.Features.AsSpan(0, rows * d));
            return true;
        }

        private void Fill()
        {
            int d = _source.FeatureCount;
            while (!_exhausted && _count < _labels.Length)
            {
                if (ReadNext(_features.AsSpan(_count * d, d), out _labels[_count], out _weights[_count])) _count++;
                else _exhausted = true;
            }
        }

        private void Move(int from, int to)
        {
            if (from == to) return;
            int d = _source.FeatureCount;
            _features.AsSpan(from * d, d).CopyTo(_features.AsSpan(to * d, d));
            _labels[to] = _labels[from];
            _weights[to] = _weights[from];
        }

        /// <summary>The next usable row, taking the readers in turn; false once all are exhausted.</summary>
        private bool ReadNext(Span<float> features, out float label, out float weight)
        {
            while (_live > 0)
            {
                int i = _turn;
                _turn = (_turn + 1) % _readers.Length;
                if (_done[i]) continue;
                if (_readers[i].Next(features, out label, out weight)) return true;
                _done[i] = true;
                _live--;
            }
            label = weight = 0;
            return false;
        }

        public void Dispose()
        {
            foreach (var reader in _readers) reader.Dispose();
        }
    }

    /// <summary>The rows a shuffling pass holds back: features row-major, labels, weights.</summary>
    private sealed class ShuffleBuffer(int rows, int features)
    {
        public float[] Features { get; } = new float[rows * features];
        public float[] Labels { get; } = new float[rows];
        public float[] Weights { get; } = new float[rows];
    }
}

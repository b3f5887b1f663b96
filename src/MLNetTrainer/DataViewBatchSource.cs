using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetNN.Data;

namespace MLNetNN.MLNet;

/// <summary>
/// Streams an <see cref="IDataView"/> to the engine as mini-batches: each pass opens a fresh cursor, skips rows with missing
/// features, label or weight (counting them, as ML.NET's trainers do), and shuffles through a bounded buffer, so memory stays
/// at about (<c>bufferRows</c> + batch) × (features + 2) floats however many rows the view holds.
/// </summary>
/// <remarks>
/// A view that can shuffle itself (a cached view) is also asked for a shuffled cursor, which makes the shuffle complete. The hold-out
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
    private bool _orderReported;

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

    /// <summary>Where a shuffling pass warns that the rows arrive ordered by label, or null for no check.</summary>
    public TrainingLog? Log { get; init; }

    /// <summary>The scaler applied to every row handed out (fitted by <see cref="FitStandardization"/>), or null.</summary>
    public FeatureScaler? Scaler { get; set; }

    /// <summary>Rows used by the last complete pass.</summary>
    public long RowsUsed { get; private set; }

    /// <summary>Rows skipped by the last complete pass for a missing feature, label or weight.</summary>
    public long RowsSkipped { get; private set; }

    public IBatchCursor Open(int? shuffleSeed) => new Cursor(this, shuffleSeed);

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

        public RowReader(DataViewBatchSource source, DataViewRowCursor cursor)
        {
            _source = source;
            _cursor = cursor;
            var c = source._columns;
            _features = cursor.GetGetter<VBuffer<float>>(cursor.Schema[c.Features.Index]);
            _label = c.LabelReader(cursor);
            _weight = c.Weight is { } w ? cursor.GetGetter<float>(cursor.Schema[w.Index]) : null;
            _id = source._holdOut is null ? null : cursor.GetIdGetter();
        }

        public long Used { get; private set; }

        /// <summary>Watches the labels' order from now on, warning through the source's log once a run outgrows <paramref name="bufferRows"/>.</summary>
        public void WatchOrder(int bufferRows) => _order = new LabelOrder(bufferRows);

        public long Skipped { get; private set; }

        /// <summary>Advances to the next usable row of this source's side of the split; false at the end.</summary>
        public bool Next(Span<float> features, out float label, out float weight)
        {
            while (_cursor.MoveNext())
            {
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
                    foreach (float v in features)
                        if (!float.IsFinite(v)) { usable = false; break; }
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
            if (_source._orderReported) return;
            _source._orderReported = true;
            _source.Log?.Warning(
                $"The training rows arrive ordered by label: over {_source._bufferRows:N0} rows in a row came in rising or falling label order, " +
                $"more than the shuffle buffer holds (ShuffleBufferRows = {_source._bufferRows:N0}), and this data view cannot shuffle itself, " +
                "so mini-batches hold one class or label range at a time and the network will learn badly. Put ml.Data.Cache(data) before " +
                "fitting (a cached view shuffles completely), shuffle the rows where they are stored, or raise ShuffleBufferRows above the longest run.");
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
        private readonly RowReader _reader;
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
            _reader = new RowReader(source, source._data.GetRowCursor(source._columns.Needed(source._data.Schema), cursorRandom));
            if (_random is null) return;
            // Only a stream the view could not shuffle can arrive sorted; the buffer cannot mix a run longer than itself.
            if (cursorRandom is null && source.Log is not null && !source._orderReported) _reader.WatchOrder(source._bufferRows);
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
                while (rows < batch.Capacity && _reader.Next(batch.Features.AsSpan(rows * d, d), out batch.Labels[rows], out batch.Weights[rows])) rows++;
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
                    if (_exhausted || !_reader.Next(_features.AsSpan(slot * d, d), out _labels[slot], out _weights[slot]))
                    {
                        _exhausted = true;
                        Move(--_count, slot);
                    }
                }
            }
            if (rows == 0)
            {
                _source.RowsUsed = _reader.Used;
                _source.RowsSkipped = _reader.Skipped;
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
                if (_reader.Next(_features.AsSpan(_count * d, d), out _labels[_count], out _weights[_count])) _count++;
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

        public void Dispose() => _reader.Dispose();
    }

    /// <summary>The rows a shuffling pass holds back: features row-major, labels, weights.</summary>
    private sealed class ShuffleBuffer(int rows, int features)
    {
        public float[] Features { get; } = new float[rows * features];
        public float[] Labels { get; } = new float[rows];
        public float[] Weights { get; } = new float[rows];
    }
}

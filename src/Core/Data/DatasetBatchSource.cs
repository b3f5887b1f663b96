using System.Runtime.Intrinsics.X86;

namespace MLNetNN.Data;

/// <summary>Mini-batches over an in-memory <see cref="Dataset"/>, in a fresh seeded order every pass.</summary>
public sealed class DatasetBatchSource : IBatchSource
{
    private readonly Dataset _data;
    private readonly int[] _order;

    /// <summary>Batches over every row of <paramref name="data"/>.</summary>
    public DatasetBatchSource(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _data = data;
        _order = new int[data.Rows];
    }

    /// <inheritdoc/>
    public int FeatureCount => _data.Columns;

    /// <inheritdoc/>
    public int LabelWidth => _data.LabelWidth;

    /// <summary>Rows in the data set.</summary>
    public int Rows => _data.Rows;

    /// <inheritdoc/>
    public IBatchCursor Open(int? shuffleSeed)
    {
        for (int i = 0; i < _order.Length; i++) _order[i] = i;
        if (shuffleSeed is int seed)
        {
            // Fisher–Yates with a seeded generator: the same seed gives the same permutation.
            var random = new Random(seed);
            for (int i = _order.Length - 1; i > 0; i--)
            {
                int j = random.Next(i + 1);
                (_order[i], _order[j]) = (_order[j], _order[i]);
            }
        }
        return new Cursor(this);
    }

    private sealed class Cursor(DatasetBatchSource source) : IBatchCursor
    {
        private int _next;

        public bool Next(MiniBatch batch)
        {
            var data = source._data;
            if (batch.FeatureCount != data.Columns || batch.LabelWidth != data.LabelWidth)
                throw new ArgumentException($"The batch holds {batch.FeatureCount} features and {batch.LabelWidth} labels per row; the data set has {data.Columns} and {data.LabelWidth}.");
            int rows = Math.Min(batch.Capacity, data.Rows - _next);
            if (rows <= 0) return false;
            int following = Math.Min(batch.Capacity, data.Rows - _next - rows), width = data.Columns, labelWidth = data.LabelWidth;
            float[] labels = data.Labels, batchLabels = batch.Labels;
            // The trainer lets the batch name its rows where they lie (see MiniBatch.AllowsRowReferences); others get copies.
            int[]? named = batch.AllowsRowReferences ? batch.SourceRows : null;
            for (int r = 0; r < rows; r++)
            {
                int row = source._order[_next + r];
                if (named is not null)
                {
                    named[r] = row;
                    // Labels are read a row at a time from all over their array: ask now for the next batch's.
                    if (r < following) PrefetchLine(labels, (long)source._order[_next + rows + r] * labelWidth);
                }
                else
                {
                    // The rows are scattered over the whole data set, so each would be a wait on main memory: ask for the next
                    // batch's rows now, while this batch trains, and while this batch's rows (asked for last time) are copied.
                    if (r < following) Prefetch(data.Features, (long)source._order[_next + rows + r] * width, width);
                    data.Row(row).CopyTo(batch.Features.AsSpan(r * width, width));
                }
                // Labels are one or a few values a row: a loop costs less than a copy call.
                for (int j = 0; j < labelWidth; j++) batchLabels[r * labelWidth + j] = labels[row * labelWidth + j];
                if (data.Weights is not null) batch.Weights[r] = data.Weights[row];
            }
            if (named is not null) batch.ReferenceRows(data.Features, rows);
            else batch.Rows = rows;
            batch.HasWeights = data.Weights is not null;
            _next += rows;
            return true;
        }

        /// <summary>Asks the processor to start loading the cache line holding <c>values[index]</c>.</summary>
        private static unsafe void PrefetchLine(float[] values, long index)
        {
            if (!Sse.IsSupported) return;
            fixed (float* value = &values[index]) Sse.Prefetch0(value);
        }

        /// <summary>Asks the processor to start loading <c>values[start..start+length]</c> into its caches.</summary>
        private static unsafe void Prefetch(float[] values, long start, int length)
        {
            if (!Sse.IsSupported) return;
            fixed (float* first = &values[start])
            {
                for (int j = 0; j < length; j += 16) Sse.Prefetch2(first + j);
            }
        }

        public void Dispose() { }
    }
}

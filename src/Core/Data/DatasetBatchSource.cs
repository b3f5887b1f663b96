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
            for (int r = 0; r < rows; r++)
            {
                int row = source._order[_next + r];
                data.Row(row).CopyTo(batch.Features.AsSpan(r * data.Columns, data.Columns));
                data.LabelRow(row).CopyTo(batch.Labels.AsSpan(r * data.LabelWidth, data.LabelWidth));
                if (data.Weights is not null) batch.Weights[r] = data.Weights[row];
            }
            batch.Rows = rows;
            batch.HasWeights = data.Weights is not null;
            _next += rows;
            return true;
        }

        public void Dispose() { }
    }
}

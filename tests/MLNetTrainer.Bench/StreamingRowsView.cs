using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetNN.MLNet.Bench;

/// <summary>
/// An <see cref="IDataView"/> over the benchmark's rows that behaves as a stream does: it cannot shuffle, does not know its row
/// count, and hands each row through getters (dense <c>Features</c>, Boolean <c>Label</c>). Reading rows already in memory
/// costs next to nothing, so what the adapter spends beyond the engine is the adapter's own overhead (and ML.NET's cursor
/// protocol), not a loader's parsing or decompression.
/// </summary>
sealed class StreamingRowsView(SyntheticRows rows) : IDataView
{
    public SyntheticRows Rows { get; } = rows;

    public DataViewSchema Schema { get; } = BuildSchema(rows.Columns);

    public bool CanShuffle => false;

    public long? GetRowCount() => null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(this)];

    private static DataViewSchema BuildSchema(int features)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("Features", new VectorDataViewType(NumberDataViewType.Single, features));
        builder.AddColumn("Label", BooleanDataViewType.Instance);
        return builder.ToSchema();
    }

    private sealed class Cursor(StreamingRowsView view) : DataViewRowCursor
    {
        private readonly SyntheticRows _rows = view.Rows;
        private long _position = -1;

        public override long Position => _position;

        public override long Batch => 0;

        public override DataViewSchema Schema => view.Schema;

        public override bool MoveNext() => ++_position < _rows.Rows;

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => column.Index switch
        {
            0 => (ValueGetter<TValue>)(Delegate)(ValueGetter<VBuffer<float>>)GetFeatures,
            1 => (ValueGetter<TValue>)(Delegate)(ValueGetter<bool>)GetLabel,
            _ => throw new ArgumentOutOfRangeException(nameof(column)),
        };

        private void GetFeatures(ref VBuffer<float> value)
        {
            int d = _rows.Columns;
            var editor = VBufferEditor.Create(ref value, d);
            _rows.Features.AsSpan((int)_position * d, d).CopyTo(editor.Values);
            value = editor.Commit();
        }

        private void GetLabel(ref bool value) => value = _rows.Labels[_position] > 0;
    }
}

/// <summary>One row as <c>ml.Data.LoadFromEnumerable</c> reads it.</summary>
sealed class BenchRow
{
    [VectorType]
    public float[] Features { get; set; } = [];

    public bool Label { get; set; }

    /// <summary>The rows made one at a time as they are read, as an application streaming its own records would.</summary>
    public static IEnumerable<BenchRow> Lazily(SyntheticRows rows)
    {
        int d = rows.Columns;
        for (int i = 0; i < rows.Rows; i++)
            yield return new BenchRow { Features = rows.Features.AsSpan(i * d, d).ToArray(), Label = rows.Labels[i] > 0 };
    }
}

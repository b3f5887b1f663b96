using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetNN.Training;
using Output = MLNetNN.MLNet.ScoringBinding.Output;

namespace MLNetNN.MLNet;

/// <summary>The lazy result of <see cref="NeuralNetworkTransformer.Transform"/>: the input's rows with score columns added.</summary>
internal sealed class ScoredDataView(IDataView input, ScoringBinding binding) : IDataView
{
    public bool CanShuffle => input.CanShuffle;

    public DataViewSchema Schema => binding.OutputSchema;

    public long? GetRowCount() => input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var (inputColumns, active) = binding.Split(columnsNeeded);
        return new ScoredCursor(binding, input.GetRowCursor(inputColumns, rand), active);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        var (inputColumns, active) = binding.Split(columnsNeeded);
        return input.GetRowCursorSet(inputColumns, n, rand).Select(c => (DataViewRowCursor)new ScoredCursor(binding, c, active)).ToArray();
    }
}

/// <summary>The transformer as a row mapper, for <c>PredictionEngine</c> and chains of mappers.</summary>
internal sealed class ScoringRowMapper(ScoringBinding binding) : IRowToRowMapper
{
    public DataViewSchema InputSchema => binding.InputSchema;

    public DataViewSchema OutputSchema => binding.OutputSchema;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) => binding.Split(dependingColumns).Input;

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ScoredRow(binding, input, binding.Split(activeColumns).Active);
    }
}

/// <summary>
/// Computes one row's scores when a getter first asks for them at a new position, and serves every added column from that one
/// forward pass. Each cursor or row owns one, so buffers are never shared between threads.
/// </summary>
internal sealed class RowScorer
{
    private readonly ScoringBinding _binding;
    private readonly DataViewRow _input;
    private readonly ValueGetter<VBuffer<float>> _features;
    private readonly float[] _x;
    private readonly float[] _outputs;
    private readonly float[] _logits;
    private VBuffer<float> _raw;
    private long _position = -1;

    public RowScorer(ScoringBinding binding, DataViewRow input)
    {
        _binding = binding;
        _input = input;
        var model = binding.Transformer.Model;
        _features = input.GetGetter<VBuffer<float>>(input.Schema[binding.Features.Index]);
        _x = new float[model.FeatureCount];
        _outputs = new float[model.OutputCount];
        _logits = new float[model.Network.OutputCount];
    }

    /// <summary>The getter of added column <paramref name="output"/>.</summary>
    public Delegate Getter(Output output)
    {
        bool binary = _binding.Transformer.Task == TaskKind.BinaryClassification;
        return output switch
        {
            // Binary: ML.NET's Score is the margin (here the logit) and PredictedLabel is Score > 0, i.e. probability > 0.5.
            Output.Score when binary => (ValueGetter<float>)((ref float v) => { Update(); v = _logits[0]; }),
            Output.Score => (ValueGetter<float>)((ref float v) => { Update(); v = _outputs[0]; }),
            Output.Probability => (ValueGetter<float>)((ref float v) => { Update(); v = _outputs[1]; }),
            Output.PredictedLabelBool => (ValueGetter<bool>)((ref bool v) => { Update(); v = _logits[0] > 0; }),
            Output.ScoreVector => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) =>
            {
                Update();
                var editor = VBufferEditor.Create(ref v, _outputs.Length);
                _outputs.CopyTo(editor.Values);
                v = editor.Commit();
            }),
            _ => (ValueGetter<uint>)((ref uint v) => { Update(); v = PredictedKey(); }),
        };
    }

    private void Update()
    {
        long position = _input.Position;
        if (position == _position) return;
        _features(ref _raw);
        if (_raw.Length != _x.Length)
            throw new InvalidOperationException($"Row {position} of feature column '{_binding.Features.Name}' has {_raw.Length} values; the network expects {_x.Length}.");
        _raw.CopyTo(_x);
        if (AllFinite(_x))
            _binding.Transformer.Model.Predict(_x, _outputs, _logits);
        else
        {
            // ML.NET's models score a row with a missing feature as NaN (and its evaluators skip such rows); the engine refuses them.
            Array.Fill(_outputs, float.NaN);
            Array.Fill(_logits, float.NaN);
        }
        _position = position;
    }

    /// <summary>The 1-based key of the most probable class (ties to the lower class), or 0 (missing) for a NaN score.</summary>
    private uint PredictedKey()
    {
        if (float.IsNaN(_outputs[0])) return 0;
        int best = 0;
        for (int i = 1; i < _outputs.Length; i++) if (_outputs[i] > _outputs[best]) best = i;
        return (uint)best + 1;
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (float v in values) if (!float.IsFinite(v)) return false;
        return true;
    }
}

/// <summary>Getters for an input row plus the added columns; shared by <see cref="ScoredCursor"/> and <see cref="ScoredRow"/>.</summary>
internal sealed class ScoredColumns
{
    private readonly ScoringBinding _binding;
    private readonly DataViewRow _input;
    private readonly bool[] _active;
    private readonly Delegate?[] _getters;

    public ScoredColumns(ScoringBinding binding, DataViewRow input, bool[] active)
    {
        _binding = binding;
        _input = input;
        _active = active;
        _getters = new Delegate?[active.Length];
        if (!active.Any(a => a)) return;
        var scorer = new RowScorer(binding, input);
        for (int i = 0; i < active.Length; i++)
            if (active[i]) _getters[i] = scorer.Getter(binding.Outputs[i]);
    }

    public bool IsActive(DataViewSchema.Column column)
    {
        int n = _binding.InputSchema.Count;
        return column.Index < n ? _input.IsColumnActive(_input.Schema[column.Index]) : _active[column.Index - n];
    }

    public ValueGetter<T> Getter<T>(DataViewSchema.Column column)
    {
        int n = _binding.InputSchema.Count;
        if (column.Index < n) return _input.GetGetter<T>(_input.Schema[column.Index]);
        var getter = _getters[column.Index - n]
            ?? throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor; request it when opening the cursor.");
        return getter as ValueGetter<T>
            ?? throw new InvalidOperationException($"Invalid TValue in GetGetter: '{typeof(T)}', expected type: '{column.Type.RawType}'.");
    }
}

/// <summary>A cursor over the input with the added columns.</summary>
internal sealed class ScoredCursor(ScoringBinding binding, DataViewRowCursor input, bool[] active) : DataViewRowCursor
{
    private readonly ScoredColumns _columns = new(binding, input, active);

    public override DataViewSchema Schema => binding.OutputSchema;
    public override long Position => input.Position;
    public override long Batch => input.Batch;
    public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();
    public override bool MoveNext() => input.MoveNext();
    public override bool IsColumnActive(DataViewSchema.Column column) => _columns.IsActive(column);
    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _columns.Getter<TValue>(column);

    protected override void Dispose(bool disposing)
    {
        if (disposing) input.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>A single row with the added columns (what the row mapper returns).</summary>
internal sealed class ScoredRow(ScoringBinding binding, DataViewRow input, bool[] active) : DataViewRow
{
    private readonly ScoredColumns _columns = new(binding, input, active);

    public override DataViewSchema Schema => binding.OutputSchema;
    public override long Position => input.Position;
    public override long Batch => input.Batch;
    public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();
    public override bool IsColumnActive(DataViewSchema.Column column) => _columns.IsActive(column);
    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _columns.Getter<TValue>(column);

    protected override void Dispose(bool disposing)
    {
        if (disposing) input.Dispose();
        base.Dispose(disposing);
    }
}

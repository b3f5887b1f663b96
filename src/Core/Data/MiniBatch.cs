namespace MLNetNN.Data;

/// <summary>
/// A reusable buffer for up to <see cref="Capacity"/> rows: features (row-major), labels and optional weights. A cursor fills it;
/// the trainer allocates it once per run, so batches cost no allocation.
/// </summary>
public sealed class MiniBatch
{
    /// <summary>A batch buffer for <paramref name="capacity"/> rows of the given widths.</summary>
    public MiniBatch(int capacity, int featureCount, int labelWidth)
        : this(new float[checked(capacity * featureCount)], capacity, featureCount, labelWidth)
    {
    }

    /// <summary>A batch whose features are written straight into <paramref name="features"/> (the network's input buffer), saving a copy.</summary>
    internal MiniBatch(float[] features, int capacity, int featureCount, int labelWidth)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A batch holds at least one row.");
        if (features.Length < capacity * featureCount) throw new ArgumentException("The feature buffer is smaller than capacity × features.", nameof(features));
        Capacity = capacity;
        FeatureCount = featureCount;
        LabelWidth = labelWidth;
        Features = features;
        Labels = new float[capacity * labelWidth];
        Weights = new float[capacity];
    }

    /// <summary>Rows the buffer can hold.</summary>
    public int Capacity { get; }

    /// <summary>Features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Label values per row.</summary>
    public int LabelWidth { get; }

    /// <summary>Rows currently filled. Setting it, as every cursor does once it has filled the batch, ends any row reference of the previous batch.</summary>
    public int Rows
    {
        get => _rows;
        set
        {
            _rows = value;
            Source = null;
        }
    }

    private int _rows;

    /// <summary>Whether <see cref="Weights"/> holds example weights for the filled rows; otherwise every row weighs 1.</summary>
    public bool HasWeights { get; set; }

    /// <summary>Features, row-major; the first <see cref="Rows"/> × <see cref="FeatureCount"/> values are valid.</summary>
    public float[] Features { get; }

    /// <summary>Labels, row-major; the first <see cref="Rows"/> × <see cref="LabelWidth"/> values are valid.</summary>
    public float[] Labels { get; }

    /// <summary>Example weights for the first <see cref="Rows"/> rows when <see cref="HasWeights"/>.</summary>
    public float[] Weights { get; }

    /// <summary>
    /// Whether a cursor over rows already in memory may leave them there, naming them in <see cref="SourceRows"/> instead of
    /// copying them into <see cref="Features"/>. The trainer allows it: its forward pass multiplies the rows where they lie and
    /// copies each into <see cref="Features"/> while it is in L1 for that, for the weight gradient. A shuffled batch's rows are
    /// scattered over the data set, so copying them before the forward pass was a wait on main memory per row, and copying
    /// them after it a second pass over them.
    /// </summary>
    internal bool AllowsRowReferences { get; init; }

    /// <summary>The matrix (rows × <see cref="FeatureCount"/>) whose rows <see cref="SourceRows"/> names, or null when <see cref="Features"/> holds the batch.</summary>
    internal float[]? Source { get; private set; }

    /// <summary>With a <see cref="Source"/>: batch row r is row <c>SourceRows[r]</c> of it.</summary>
    internal int[] SourceRows => _sourceRows ??= new int[Capacity];

    private int[]? _sourceRows;

    /// <summary>Marks the batch as the first <paramref name="rows"/> rows that <see cref="SourceRows"/> names in <paramref name="source"/>.</summary>
    internal void ReferenceRows(float[] source, int rows)
    {
        Rows = rows;
        Source = source;
    }

    /// <summary>Records that the rows <see cref="SourceRows"/> names are now in <see cref="Features"/>: the batch holds its features like any other.</summary>
    internal void SourceRowsCopied() => Source = null;
}

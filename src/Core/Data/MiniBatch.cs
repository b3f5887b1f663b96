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

    /// <summary>Rows currently filled.</summary>
    public int Rows { get; set; }

    /// <summary>Whether <see cref="Weights"/> holds example weights for the filled rows; otherwise every row weighs 1.</summary>
    public bool HasWeights { get; set; }

    /// <summary>Features, row-major; the first <see cref="Rows"/> × <see cref="FeatureCount"/> values are valid.</summary>
    public float[] Features { get; }

    /// <summary>Labels, row-major; the first <see cref="Rows"/> × <see cref="LabelWidth"/> values are valid.</summary>
    public float[] Labels { get; }

    /// <summary>Example weights for the first <see cref="Rows"/> rows when <see cref="HasWeights"/>.</summary>
    public float[] Weights { get; }
}

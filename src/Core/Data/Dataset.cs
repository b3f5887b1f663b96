namespace MLNetNN.Data;

/// <summary>
/// A dense, in-memory data set: a row-major feature matrix, one label row per example and optional
/// per-example weights. Labels are stored as floats: for classification the class index
/// (0..K-1, with <see cref="ClassNames"/> giving the original values), for regression the
/// <see cref="LabelWidth"/> target values of the row.
/// </summary>
public sealed class Dataset
{
    /// <summary>Creates a data set over the given arrays (not copied).</summary>
    /// <param name="features">Row-major features, <paramref name="rows"/> × <paramref name="columns"/>.</param>
    /// <param name="rows">Number of examples.</param>
    /// <param name="columns">Number of features per example.</param>
    /// <param name="labels">Row-major labels, rows × <paramref name="labelWidth"/>.</param>
    /// <param name="labelWidth">1 for classification (class index) or single-target regression; K for K-target regression.</param>
    /// <param name="weights">Optional per-example weights (length rows); null means all 1.</param>
    /// <param name="featureNames">Optional feature names (length columns).</param>
    /// <param name="classNames">For classification: the original label of each class index.</param>
    public Dataset(float[] features, int rows, int columns, float[] labels, int labelWidth = 1,
        float[]? weights = null, IReadOnlyList<string>? featureNames = null, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, "Row count must not be negative.");
        if (columns <= 0) throw new ArgumentOutOfRangeException(nameof(columns), columns, "A data set needs at least one feature column.");
        if (labelWidth <= 0) throw new ArgumentOutOfRangeException(nameof(labelWidth), labelWidth, "Label width must be positive.");
        if ((long)rows * columns != features.Length)
            throw new ArgumentException($"Features hold {features.Length} values; expected {rows} rows × {columns} columns = {(long)rows * columns}.", nameof(features));
        if ((long)rows * labelWidth != labels.Length)
            throw new ArgumentException($"Labels hold {labels.Length} values; expected {rows} rows × {labelWidth} = {(long)rows * labelWidth}.", nameof(labels));
        if (weights is not null && weights.Length != rows)
            throw new ArgumentException($"Weights hold {weights.Length} values; expected one per row ({rows}).", nameof(weights));
        if (featureNames is not null && featureNames.Count != columns)
            throw new ArgumentException($"{featureNames.Count} feature names given for {columns} columns.", nameof(featureNames));
        if (classNames is not null)
        {
            if (labelWidth != 1) throw new ArgumentException("Class names apply only to single-column class-index labels.", nameof(classNames));
            for (int i = 0; i < labels.Length; i++)
            {
                float y = labels[i];
                if (y < 0 || y >= classNames.Count || y != MathF.Floor(y))
                    throw new ArgumentException($"Row {i}: label {y} is not a class index in 0..{classNames.Count - 1}.", nameof(labels));
            }
        }

        Features = features;
        Rows = rows;
        Columns = columns;
        Labels = labels;
        LabelWidth = labelWidth;
        Weights = weights;
        FeatureNames = featureNames ?? Enumerable.Range(0, columns).Select(i => $"f{i}").ToArray();
        ClassNames = classNames;
    }

    /// <summary>Row-major features, <see cref="Rows"/> × <see cref="Columns"/>.</summary>
    public float[] Features { get; }

    /// <summary>Number of examples.</summary>
    public int Rows { get; }

    /// <summary>Number of features per example.</summary>
    public int Columns { get; }

    /// <summary>Row-major labels, <see cref="Rows"/> × <see cref="LabelWidth"/>.</summary>
    public float[] Labels { get; }

    /// <summary>Values per label row: 1 for a class index or a single regression target.</summary>
    public int LabelWidth { get; }

    /// <summary>Per-example weights, or null when every example weighs 1.</summary>
    public float[]? Weights { get; }

    /// <summary>Names of the feature columns.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>For classification, the original label value of each class index; null for regression.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>Number of classes, or 0 when the data set has no class names (regression).</summary>
    public int ClassCount => ClassNames?.Count ?? 0;

    /// <summary>The features of one row.</summary>
    public ReadOnlySpan<float> Row(int row) => Features.AsSpan(row * Columns, Columns);

    /// <summary>The label values of one row.</summary>
    public ReadOnlySpan<float> LabelRow(int row) => Labels.AsSpan(row * LabelWidth, LabelWidth);

    /// <summary>A new data set holding the given rows, in the given order (copied).</summary>
    public Dataset Subset(IReadOnlyList<int> rowIndices)
    {
        ArgumentNullException.ThrowIfNull(rowIndices);
        var features = new float[rowIndices.Count * Columns];
        var labels = new float[rowIndices.Count * LabelWidth];
        var weights = Weights is null ? null : new float[rowIndices.Count];
        for (int i = 0; i < rowIndices.Count; i++)
        {
            int r = rowIndices[i];
            if ((uint)r >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(rowIndices), r, $"Row index outside 0..{Rows - 1}.");
            Row(r).CopyTo(features.AsSpan(i * Columns, Columns));
            LabelRow(r).CopyTo(labels.AsSpan(i * LabelWidth, LabelWidth));
            if (weights is not null) weights[i] = Weights![r];
        }
        return new Dataset(features, rowIndices.Count, Columns, labels, LabelWidth, weights, FeatureNames, ClassNames);
    }

    /// <summary>The same rows with features replaced (e.g. after scaling).</summary>
    public Dataset WithFeatures(float[] features) =>
        new(features, Rows, Columns, Labels, LabelWidth, Weights, FeatureNames, ClassNames);
}

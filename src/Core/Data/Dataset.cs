using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace MLNetNN.Data;

/// <summary>
/// A dense, in-memory data set: a row-major feature matrix, one label row per example and optional
/// per-example weights. Labels are stored as floats: for classification the class index
/// (0..K-1, with <see cref="ClassNames"/> giving the original values), for regression the
/// <see cref="LabelWidth"/> target values of the row.
/// </summary>
/// <remarks>
/// The constructor is where every in-memory data set enters (the loaders, the PowerShell and example builders, code), so it
/// checks the values once there: a NaN or infinity in a feature, label or weight, or a negative weight, is refused with the
/// row and column it sits in, rather than surfacing later as a diverged loss or a scaler of NaNs.
/// </remarks>
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
    /// <exception cref="ArgumentException">
    /// The arrays do not match the shape, a feature, label or weight is NaN or infinite, a weight is negative, or a label is not
    /// a class index when <paramref name="classNames"/> is given. The message names the row (0-based) and column.
    /// </exception>
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
        featureNames ??= new IndexedNames(columns, j => $"f{j}");

        if (IndexOfNonFinite(features) is var f and >= 0)
            throw new ArgumentException($"Row {f / columns}, feature '{featureNames[f % columns]}': {Show(features[f])} is not a finite number.", nameof(features));
        if (IndexOfNonFinite(labels) is var l and >= 0)
        {
            string column = labelWidth == 1 ? "the label" : $"label column {l % labelWidth}";
            throw new ArgumentException($"Row {l / labelWidth}, {column}: {Show(labels[l])} is not a finite number.", nameof(labels));
        }
        if (weights is not null)
        {
            if (IndexOfNonFinite(weights) is var w and >= 0)
                throw new ArgumentException($"Row {w}, the weight: {Show(weights[w])} is not a finite number.", nameof(weights));
            // After the finiteness check the minimum is a number, so one comparison finds any negative weight.
            if (weights.Length > 0 && TensorPrimitives.Min(weights) < 0)
            {
                int negative = TensorPrimitives.IndexOfMin(weights);
                throw new ArgumentException($"Row {negative}, the weight: {Show(weights[negative])} is negative; weights must be ≥ 0.", nameof(weights));
            }
        }
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
        FeatureNames = featureNames;
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

    private static string Show(float value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The index of the first NaN or infinity in <paramref name="values"/>, or −1.</summary>
    internal static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        // x − x is 0 for every finite x and NaN for NaN and ±∞: one vectorised pass over the data, the scalar search only when
        // a block holds a bad value.
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ReadOnlySpan<Vector<float>> blocks = MemoryMarshal.Cast<float, Vector<float>>(values);
            for (int b = 0; b < blocks.Length; b++, i += Vector<float>.Count)
            {
                if (!Vector.EqualsAll(blocks[b] - blocks[b], Vector<float>.Zero)) break;
            }
        }
        for (; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i])) return i;
        }
        return -1;
    }
}

using System.Numerics.Tensors;

namespace MLNetNN.Data;

/// <summary>
/// A per-column affine feature transform, x'ⱼ = (xⱼ − Offset[j]) · Scale[j], fitted as a z-score
/// (<see cref="FitStandardization"/>) or a min-max mapping (<see cref="FitMinMax"/>).
/// </summary>
/// <remarks>
/// Fit on the training rows only, then apply the same scaler to validation, test and prediction data: fitting on
/// all rows leaks test statistics into training and overstates accuracy. That split is the caller's
/// responsibility; the scaler cannot tell which rows it was given. Fitting ignores <see cref="Dataset.Weights"/>.
/// </remarks>
public sealed class FeatureScaler
{
    private readonly float[] _offset;
    private readonly float[] _scale;

    /// <summary>Recreates a fitted scaler, e.g. from a model file. The arrays are copied.</summary>
    /// <param name="kind">How the parameters were fitted.</param>
    /// <param name="offset">Per-column value subtracted first.</param>
    /// <param name="scale">Per-column factor applied after the subtraction.</param>
    /// <exception cref="ArgumentException">The arrays are empty, differ in length, or hold a non-finite value.</exception>
    public FeatureScaler(ScalerKind kind, IReadOnlyList<float> offset, IReadOnlyList<float> scale)
    {
        ArgumentNullException.ThrowIfNull(offset);
        ArgumentNullException.ThrowIfNull(scale);
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown scaler kind.");
        if (offset.Count == 0) throw new ArgumentException("A scaler needs at least one column.", nameof(offset));
        if (offset.Count != scale.Count)
            throw new ArgumentException($"Offset has {offset.Count} values but scale has {scale.Count}; expected one of each per column.", nameof(scale));
        for (int j = 0; j < offset.Count; j++)
        {
            if (!float.IsFinite(offset[j])) throw new ArgumentException($"Offset[{j}] is {offset[j]}; expected a finite number.", nameof(offset));
            if (!float.IsFinite(scale[j])) throw new ArgumentException($"Scale[{j}] is {scale[j]}; expected a finite number.", nameof(scale));
        }
        Kind = kind;
        _offset = offset.ToArray();
        _scale = scale.ToArray();
    }

    /// <summary>How the scaler was fitted.</summary>
    public ScalerKind Kind { get; }

    /// <summary>Number of feature columns the scaler transforms.</summary>
    public int Columns => _offset.Length;

    /// <summary>Per-column value subtracted first (the mean for standardization).</summary>
    public IReadOnlyList<float> Offset => _offset;

    /// <summary>Per-column factor applied after the subtraction (1/std for standardization).</summary>
    public IReadOnlyList<float> Scale => _scale;

    /// <summary>
    /// Fits a z-score: Offset = mean μⱼ, Scale = 1/σⱼ with the population standard deviation
    /// σⱼ = √(Σᵢ (xᵢⱼ − μⱼ)² / n), as scikit-learn's StandardScaler. A constant column (σ = 0) gets Scale 1, so it
    /// becomes all zeros instead of dividing by zero; so does a column whose spread is too small for 1/σ to be a float
    /// (σ below about 3E−39, i.e. values differing only in subnormal digits).
    /// </summary>
    /// <param name="train">The training rows (see the remarks on leakage).</param>
    /// <exception cref="ArgumentException">The data set has no rows.</exception>
    public static FeatureScaler FitStandardization(Dataset train)
    {
        RequireRows(train);
        int n = train.Rows, d = train.Columns;
        // Two passes in double: float sums of thousands of rows lose digits, and one-pass variance formulas cancel catastrophically.
        var mean = new double[d];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> row = train.Row(i);
            for (int j = 0; j < d; j++) mean[j] += row[j];
        }
        for (int j = 0; j < d; j++) mean[j] /= n;

        var squares = new double[d];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> row = train.Row(i);
            for (int j = 0; j < d; j++)
            {
                double delta = row[j] - mean[j];
                squares[j] += delta * delta;
            }
        }

        var offset = new float[d];
        var scale = new float[d];
        for (int j = 0; j < d; j++)
        {
            offset[j] = (float)mean[j];
            scale[j] = FiniteOrOne(1 / Math.Sqrt(squares[j] / n));
        }
        return new FeatureScaler(ScalerKind.Standardization, offset, scale);
    }

    /// <summary>
    /// Fits a min-max mapping of each column's training range [aⱼ, bⱼ] onto [<paramref name="min"/>, <paramref name="max"/>]:
    /// Scale = (max − min)/(bⱼ − aⱼ), Offset = aⱼ − min/Scale, so x' = (x − aⱼ)·Scale + min. New data outside the
    /// training range maps outside [min, max] (no clipping). A constant column maps to <paramref name="min"/>, as does one whose
    /// range is too small for the factor to be a float.
    /// </summary>
    /// <param name="train">The training rows (see the remarks on leakage).</param>
    /// <param name="min">The value the column minimum maps to.</param>
    /// <param name="max">The value the column maximum maps to; must exceed <paramref name="min"/>.</param>
    /// <exception cref="ArgumentException">The data set has no rows, or the target range is empty or not finite.</exception>
    public static FeatureScaler FitMinMax(Dataset train, float min = 0f, float max = 1f)
    {
        RequireRows(train);
        if (!float.IsFinite(min) || !float.IsFinite(max) || min >= max)
            throw new ArgumentException($"The target range [{min}, {max}] must be finite with min < max.", nameof(max));

        int d = train.Columns;
        var low = train.Row(0).ToArray();
        var high = train.Row(0).ToArray();
        for (int i = 1; i < train.Rows; i++)
        {
            TensorPrimitives.Min(low, train.Row(i), low);
            TensorPrimitives.Max(high, train.Row(i), high);
        }

        var offset = new float[d];
        var scale = new float[d];
        for (int j = 0; j < d; j++)
        {
            scale[j] = FiniteOrOne(((double)max - min) / ((double)high[j] - low[j]));
            offset[j] = (float)(low[j] - min / (double)scale[j]);
        }
        return new FeatureScaler(ScalerKind.MinMax, offset, scale);
    }

    /// <summary>
    /// Scales one row: destination[j] = (row[j] − Offset[j]) · Scale[j]. Allocates nothing;
    /// <paramref name="row"/> and <paramref name="destination"/> may be the same span.
    /// </summary>
    /// <exception cref="ArgumentException">A span's length is not <see cref="Columns"/>.</exception>
    public void Transform(ReadOnlySpan<float> row, Span<float> destination)
    {
        if (row.Length != Columns) throw new ArgumentException($"The row has {row.Length} values; the scaler expects {Columns}.", nameof(row));
        if (destination.Length != Columns) throw new ArgumentException($"The destination has {destination.Length} values; the scaler expects {Columns}.", nameof(destination));
        TensorPrimitives.Subtract(row, _offset, destination);
        TensorPrimitives.Multiply(destination, _scale, destination);
    }

    /// <summary>
    /// Scales a row-major batch (any number of rows of <see cref="Columns"/> values). Allocates nothing;
    /// <paramref name="rows"/> and <paramref name="destination"/> may be the same span.
    /// </summary>
    /// <exception cref="ArgumentException">The batch is not whole rows, or the destination differs in length.</exception>
    public void TransformRows(ReadOnlySpan<float> rows, Span<float> destination)
    {
        if (rows.Length % Columns != 0)
            throw new ArgumentException($"The batch has {rows.Length} values, not a whole number of rows of {Columns}.", nameof(rows));
        if (destination.Length != rows.Length)
            throw new ArgumentException($"The destination has {destination.Length} values; expected {rows.Length} like the batch.", nameof(destination));
        for (int start = 0; start < rows.Length; start += Columns)
        {
            Transform(rows.Slice(start, Columns), destination.Slice(start, Columns));
        }
    }

    /// <summary>
    /// Undoes <see cref="TransformRows"/> on a row-major batch: destination[j] = rows[j] / Scale[j] + Offset[j], column by column.
    /// The model uses it to map a network's standardised targets back to their own units. Allocates nothing;
    /// <paramref name="rows"/> and <paramref name="destination"/> may be the same span.
    /// </summary>
    /// <exception cref="ArgumentException">The batch is not whole rows, or the destination differs in length.</exception>
    public void InverseTransformRows(ReadOnlySpan<float> rows, Span<float> destination)
    {
        if (rows.Length % Columns != 0)
            throw new ArgumentException($"The batch has {rows.Length} values, not a whole number of rows of {Columns}.", nameof(rows));
        if (destination.Length != rows.Length)
            throw new ArgumentException($"The destination has {destination.Length} values; expected {rows.Length} like the batch.", nameof(destination));
        for (int start = 0; start < rows.Length; start += Columns)
        {
            // Division rather than a stored reciprocal: Scale is 1/σ in float, and y'/(1/σ) returns y' · σ without a second rounding of σ.
            TensorPrimitives.Divide(rows.Slice(start, Columns), _scale, destination.Slice(start, Columns));
            TensorPrimitives.Add(destination.Slice(start, Columns), _offset, destination.Slice(start, Columns));
        }
    }

    /// <summary>A new data set with scaled features; labels, weights and names are shared with <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The data set's column count is not <see cref="Columns"/>.</exception>
    public Dataset Transform(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Columns != Columns)
            throw new ArgumentException($"The data set has {data.Columns} feature columns; the scaler was fitted on {Columns}.", nameof(data));
        var features = new float[data.Features.Length];
        TransformRows(data.Features, features);
        return data.WithFeatures(features);
    }

    /// <summary>
    /// A fitted factor as a float, or 1 when it is not one: infinite from a zero spread, or beyond float range from a spread
    /// too small to scale up. Either way the column is treated as constant rather than producing infinities.
    /// </summary>
    private static float FiniteOrOne(double factor) => float.IsFinite((float)factor) ? (float)factor : 1f;

    private static void RequireRows(Dataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.Rows == 0) throw new ArgumentException("Cannot fit a scaler on a data set with no rows.", nameof(train));
    }
}

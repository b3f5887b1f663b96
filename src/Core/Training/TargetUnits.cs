using MLNetNN.Data;

namespace MLNetNN.Training;

/// <summary>
/// Regression targets scaled for training (<see cref="NeuralNetworkOptions.TargetScaling"/>): fitting the scaler in one pass over
/// the training batches, scaling each batch's targets where the cursor put them, and measuring a batch's loss in the targets' own
/// units. Allocates nothing per batch.
/// </summary>
internal sealed class TargetUnits
{
    private readonly FeatureScaler _scaler;

    /// <summary>Works with <paramref name="scaler"/>, whose columns are the targets.</summary>
    public TargetUnits(FeatureScaler scaler) => _scaler = scaler;

    /// <summary>The scaler the model keeps to map its outputs back.</summary>
    public FeatureScaler Scaler => _scaler;

    /// <summary>
    /// Fits the target scaler on every row of <paramref name="train"/>, read through <paramref name="batch"/>: for standardisation
    /// the weighted mean and population standard deviation per target (West's weighted update, in double, so one pass is stable and
    /// a stream is read once), a constant target getting scale 1; for min-max the range per target mapped onto [0, 1].
    /// </summary>
    /// <returns>The scaler, or null for <see cref="ScalingKind.None"/>.</returns>
    /// <exception cref="ArgumentException">A target is NaN or infinite.</exception>
    public static FeatureScaler? Fit(IBatchSource train, MiniBatch batch, ScalingKind kind)
    {
        if (kind == ScalingKind.None) return null;
        int width = train.LabelWidth;
        var mean = new double[width];
        var squares = new double[width];
        var low = new double[width];
        var high = new double[width];
        Array.Fill(low, double.PositiveInfinity);
        Array.Fill(high, double.NegativeInfinity);
        double total = 0;
        long row = 0;
        using (var cursor = train.Open(null))
        {
            while (cursor.Next(batch))
            {
                for (int i = 0; i < batch.Rows; i++, row++)
                {
                    double w = batch.HasWeights ? batch.Weights[i] : 1.0;
                    ReadOnlySpan<float> y = batch.Labels.AsSpan(i * width, width);
                    for (int j = 0; j < width; j++)
                        if (!float.IsFinite(y[j]))
                            throw new ArgumentException($"Training row {row}: target {j} is {y[j]}; regression targets must be finite numbers.");
                    for (int j = 0; j < width; j++)
                    {
                        low[j] = Math.Min(low[j], y[j]);
                        high[j] = Math.Max(high[j], y[j]);
                    }
                    if (w <= 0) continue;
                    total += w;
                    for (int j = 0; j < width; j++)
                    {
                        double delta = y[j] - mean[j];
                        mean[j] += w / total * delta;
                        squares[j] += w * delta * (y[j] - mean[j]);
                    }
                }
            }
        }
        if (total <= 0) throw new ArgumentException("The training data has no rows of positive weight to fit the target scaling on.");

        var offset = new float[width];
        var scale = new float[width];
        for (int j = 0; j < width; j++)
        {
            double spread = kind == ScalingKind.Standardize ? Math.Sqrt(Math.Max(0, squares[j]) / total) : high[j] - low[j];
            offset[j] = (float)(kind == ScalingKind.Standardize ? mean[j] : low[j]);
            // A constant target, or a spread so small that its reciprocal leaves float, is shifted only.
            scale[j] = spread > 0 && float.IsFinite((float)(1 / spread)) && (float)spread > 0 ? (float)(1 / spread) : 1f;
        }
        return new FeatureScaler(kind == ScalingKind.Standardize ? ScalerKind.Standardization : ScalerKind.MinMax, offset, scale);
    }

    /// <summary>Scales the targets of the batch's rows in place (the cursor copied them there, so the data set is untouched).</summary>
    public void Scale(MiniBatch batch)
    {
        Span<float> labels = batch.Labels.AsSpan(0, batch.Rows * batch.LabelWidth);
        _scaler.TransformRows(labels, labels);
    }

    /// <summary>
    /// <c>Σ_i w_i ℓ_i</c> with ℓ the mean squared error in the targets' own units: an error e' in scaled units is e'/Scale in
    /// target units, so ℓ_i = (1/K) Σ_j (e'_ij / Scale_j)².
    /// </summary>
    public double LossSum(ReadOnlySpan<float> outputs, ReadOnlySpan<float> labels, ReadOnlySpan<float> weights, int rows)
    {
        int width = _scaler.Columns;
        var scale = _scaler.Scale;
        double sum = 0;
        for (int i = 0; i < rows; i++)
        {
            double rowSum = 0;
            for (int j = 0; j < width; j++)
            {
                double error = ((double)outputs[i * width + j] - labels[i * width + j]) / scale[j];
                rowSum += error * error;
            }
            sum += (weights.IsEmpty ? 1.0 : weights[i]) * rowSum / width;
        }
        return sum;
    }
}

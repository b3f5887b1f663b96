namespace MLNetNN.MLNet;

/// <summary>Whether a network trainer standardises the feature column before training (and stores the scaler in the model).</summary>
/// <remarks>
/// A network trains badly on raw features of very different scales, or far from zero. ML.NET's normalisers mark their output
/// column <c>IsNormalized</c>, but that does not mean centred: <c>NormalizeMeanVariance</c> with its default <c>fixZero: true</c>
/// and <c>NormalizeMinMax</c> only rescale. So <see cref="Auto"/> measures the features instead of trusting the annotation.
/// </remarks>
public enum FeatureNormalization
{
    /// <summary>
    /// Measure the features in one pass and standardise (z-score, fitted on the training rows) unless they already are
    /// standardised (every mean within 0.02 of 0 and standard deviation within 0.02 of 1, as <c>NormalizeMeanVariance(fixZero: false)</c>
    /// leaves them).
    /// </summary>
    Auto,
    /// <summary>Use the features as they come.</summary>
    No,
    /// <summary>Always standardise.</summary>
    Yes,
}

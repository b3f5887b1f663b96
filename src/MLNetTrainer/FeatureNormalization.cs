namespace MLNetNN.MLNet;

/// <summary>Whether a network trainer standardises the feature column before training (and stores the scaler in the model).</summary>
/// <remarks>
/// A network trains badly on raw features of very different scales. ML.NET's normalisers mark their output column with the
/// <c>IsNormalized</c> annotation, so <see cref="Auto"/> can tell a normalised pipeline from one that forgot.
/// </remarks>
public enum FeatureNormalization
{
    /// <summary>Standardise (z-score, fitted on the training rows) unless an ML.NET normaliser has marked the column as normalised.</summary>
    Auto,
    /// <summary>Use the features as they come.</summary>
    No,
    /// <summary>Always standardise.</summary>
    Yes,
}

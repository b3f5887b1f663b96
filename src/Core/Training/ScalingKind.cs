namespace MLNetNN.Training;

/// <summary>How the trainer scales features before they reach the network (fitted on training rows, stored with the model).</summary>
public enum ScalingKind
{
    /// <summary>Features go in as given (the caller has scaled them, e.g. an ML.NET normaliser).</summary>
    None,
    /// <summary>z-score: <c>(x − mean) / std</c> per feature.</summary>
    Standardize,
    /// <summary>Min-max to [0, 1] per feature.</summary>
    MinMax,
}

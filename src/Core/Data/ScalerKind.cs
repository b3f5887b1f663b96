namespace MLNetNN.Data;

/// <summary>How a <see cref="FeatureScaler"/> was fitted.</summary>
public enum ScalerKind
{
    /// <summary>z-score: x' = (x − mean) / std, with the population standard deviation.</summary>
    Standardization,

    /// <summary>Min-max: maps each column's training range [min, max] linearly onto a target range.</summary>
    MinMax,
}

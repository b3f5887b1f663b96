using MLNetNN.Data;

namespace MLNetNN.Training;

/// <summary>
/// What the trainer must know about streamed data that an in-memory data set would tell it: feature count and names,
/// the class names (classification) or target count (regression), and the scaler the caller already applies, if any.
/// </summary>
public sealed record TrainingDataInfo(
    int FeatureCount,
    IReadOnlyList<string>? ClassNames = null,
    int TargetCount = 1,
    IReadOnlyList<string>? FeatureNames = null,
    FeatureScaler? Scaler = null)
{
    /// <summary>The description of an in-memory data set.</summary>
    public static TrainingDataInfo From(Dataset data, FeatureScaler? scaler = null) =>
        new(data.Columns, data.ClassNames, data.LabelWidth, data.FeatureNames, scaler);
}

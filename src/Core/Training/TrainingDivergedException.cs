namespace MLNetNN.Training;

/// <summary>
/// The loss became NaN or infinite. <see cref="Result"/> holds the model with the last weights that gave a finite loss,
/// so the run is not lost; lowering the learning rate usually helps.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    internal TrainingDivergedException(string message, TrainingResult result) : base(message) => Result = result;

    /// <summary>The run up to the last good epoch.</summary>
    public TrainingResult Result { get; }
}

namespace MLNetNN.Training;

/// <summary>
/// The loss became NaN or infinite. <see cref="Result"/> holds the model with the best weights whose loss on the training rows
/// was measured finite (an earlier epoch's, or the initial weights when no epoch beat them), and its message names which, so
/// the run is not lost; lowering the learning rate usually helps.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    internal TrainingDivergedException(string message, TrainingResult result) : base(message) => Result = result;

    /// <summary>The run up to the divergence, holding the weights of <see cref="TrainingResult.BestEpoch"/> (0 for the initial weights).</summary>
    public TrainingResult Result { get; }
}

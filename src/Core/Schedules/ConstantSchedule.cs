namespace MLNetNN.Schedules;

/// <summary>A constant learning rate: <c>lr_t = lr</c>.</summary>
public sealed class ConstantSchedule(float learningRate) : ILearningRateSchedule
{
    /// <inheritdoc/>
    public float LearningRate(long step, int epoch) => learningRate;

    /// <inheritdoc/>
    public void EpochEnded(int epoch, double monitoredLoss) { }
}

namespace MLNetNN.Schedules;

/// <summary>Step decay: <c>lr_e = lr · factor^⌊(e − 1) / every⌋</c> for epoch e (1-based).</summary>
public sealed class StepDecaySchedule : ILearningRateSchedule
{
    private readonly float _initial, _factor;
    private readonly int _every;

    /// <summary>Multiplies the rate by <paramref name="factor"/> every <paramref name="everyEpochs"/> epochs.</summary>
    public StepDecaySchedule(float learningRate, int everyEpochs, float factor)
    {
        if (everyEpochs < 1) throw new ArgumentOutOfRangeException(nameof(everyEpochs), everyEpochs, "The decay period must be at least one epoch.");
        if (!(factor > 0f && factor <= 1f)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "The decay factor must be in (0, 1].");
        (_initial, _every, _factor) = (learningRate, everyEpochs, factor);
    }

    /// <inheritdoc/>
    public float LearningRate(long step, int epoch) => _initial * MathF.Pow(_factor, (epoch - 1) / _every);

    /// <inheritdoc/>
    public void EpochEnded(int epoch, double monitoredLoss) { }
}

namespace MLNetNN.Schedules;

/// <summary>
/// Inverse scaling: <c>lr_t = lr / tᵖ</c> for update t (1-based). For 0.5 &lt; p ≤ 1 the rates satisfy the Robbins–Monro conditions
/// <c>Σ lr_t = ∞</c>, <c>Σ lr_t² &lt; ∞</c> under which SGD converges.
/// </summary>
public sealed class InverseScalingSchedule : ILearningRateSchedule
{
    private readonly float _initial, _power;

    /// <summary>Decays the rate as <c>1 / t^power</c>.</summary>
    public InverseScalingSchedule(float learningRate, float power)
    {
        if (!(power >= 0f)) throw new ArgumentOutOfRangeException(nameof(power), power, "The power must not be negative.");
        (_initial, _power) = (learningRate, power);
    }

    /// <inheritdoc/>
    public float LearningRate(long step, int epoch) => _initial / MathF.Pow(Math.Max(1, step), _power);

    /// <inheritdoc/>
    public void EpochEnded(int epoch, double monitoredLoss) { }
}

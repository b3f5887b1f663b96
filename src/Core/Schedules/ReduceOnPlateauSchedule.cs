namespace MLNetNN.Schedules;

/// <summary>
/// Reduce-on-plateau (as Keras's ReduceLROnPlateau): when the monitored loss has not improved on its best by more than
/// <c>threshold·|best|</c> for <c>patience</c> epochs, <c>lr ← max(lr · factor, minimum)</c>.
/// </summary>
public sealed class ReduceOnPlateauSchedule : ILearningRateSchedule
{
    private readonly float _factor, _minimum;
    private readonly int _patience;
    private readonly double _threshold;
    private float _current;
    private double _best = double.PositiveInfinity;
    private int _badEpochs;

    /// <summary>Cuts the rate by <paramref name="factor"/> after <paramref name="patience"/> epochs without improvement.</summary>
    public ReduceOnPlateauSchedule(float learningRate, float factor, int patience, float minimum = 0f, double threshold = 1e-4)
    {
        if (!(factor > 0f && factor < 1f)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "The reduction factor must be in (0, 1).");
        if (patience < 1) throw new ArgumentOutOfRangeException(nameof(patience), patience, "Patience must be at least one epoch.");
        if (!(minimum >= 0f)) throw new ArgumentOutOfRangeException(nameof(minimum), minimum, "The minimum rate must not be negative.");
        (_current, _factor, _patience, _minimum, _threshold) = (learningRate, factor, patience, minimum, threshold);
    }

    /// <inheritdoc/>
    public float LearningRate(long step, int epoch) => _current;

    /// <inheritdoc/>
    public void EpochEnded(int epoch, double monitoredLoss)
    {
        if (monitoredLoss < _best - _threshold * Math.Abs(_best) || double.IsPositiveInfinity(_best))
        {
            _best = monitoredLoss;
            _badEpochs = 0;
        }
        else if (++_badEpochs >= _patience)
        {
            _current = Math.Max(_current * _factor, _minimum);
            _badEpochs = 0;
        }
    }
}

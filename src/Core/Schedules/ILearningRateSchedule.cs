namespace MLNetNN.Schedules;

/// <summary>
/// The learning rate as training goes on. The trainer asks before every update and reports the monitored loss
/// (validation loss when there is a validation set, else training loss) after every epoch.
/// </summary>
public interface ILearningRateSchedule
{
    /// <summary>The rate for update number <paramref name="step"/> (1-based, counted over the whole run) in epoch <paramref name="epoch"/> (1-based).</summary>
    float LearningRate(long step, int epoch);

    /// <summary>Told at the end of every epoch; schedules that react to progress (reduce-on-plateau) update here.</summary>
    void EpochEnded(int epoch, double monitoredLoss);
}

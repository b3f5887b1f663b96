using MLNetNN.Training;

namespace MLNetNN.PowerShell.Output;

/// <summary>
/// One epoch of a model's history, as <c>$model.History</c> lists it. The metric is named for what it is
/// (<see cref="ClassificationEpoch.Accuracy"/>, <see cref="RegressionEpoch.R2"/>) so <c>Format-Table Epoch, TrainLoss, Accuracy</c> reads naturally.
/// </summary>
public abstract class NeuralNetEpoch
{
    private protected NeuralNetEpoch(EpochRecord record) => Record = record;

    /// <summary>The engine's record.</summary>
    public EpochRecord Record { get; }

    /// <summary>1-based epoch number.</summary>
    public int Epoch => Record.Epoch;

    /// <summary>Mean training loss over the epoch (plus any L1/L2 penalty).</summary>
    public double TrainLoss => Record.TrainLoss;

    /// <summary>Loss on the validation rows after the epoch, or null without validation.</summary>
    public double? ValidationLoss => Record.ValidationLoss;

    /// <summary>The learning rate at the end of the epoch.</summary>
    public float LearningRate => Record.LearningRate;

    /// <summary>How long the epoch took; null (unknown) for a model read from a file, which keeps no timings.</summary>
    public TimeSpan? Duration => Record.Duration;

    /// <summary>Time since training started; null (unknown) for a model read from a file.</summary>
    public TimeSpan? Elapsed => Record.Elapsed;

    /// <summary>The history entry for <paramref name="record"/>: accuracy for classifiers, R² for regression.</summary>
    public static NeuralNetEpoch From(EpochRecord record, bool classifier)
    {
        ArgumentNullException.ThrowIfNull(record);
        return classifier ? new ClassificationEpoch(record) : new RegressionEpoch(record);
    }

    /// <inheritdoc/>
    public override string ToString() => Record.ToString();
}

/// <summary>An epoch of a classifier's training.</summary>
public sealed class ClassificationEpoch : NeuralNetEpoch
{
    internal ClassificationEpoch(EpochRecord record) : base(record) { }

    /// <summary>Share of training rows classified correctly during the epoch.</summary>
    public double Accuracy => Record.TrainMetric;

    /// <summary>Share of validation rows classified correctly after the epoch, or null without validation.</summary>
    public double? ValidationAccuracy => Record.ValidationMetric;
}

/// <summary>An epoch of a regression network's training.</summary>
public sealed class RegressionEpoch : NeuralNetEpoch
{
    internal RegressionEpoch(EpochRecord record) : base(record) { }

    /// <summary>R² on the training rows during the epoch.</summary>
    public double R2 => Record.TrainMetric;

    /// <summary>R² on the validation rows after the epoch, or null without validation.</summary>
    public double? ValidationR2 => Record.ValidationMetric;
}

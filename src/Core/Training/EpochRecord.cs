namespace MLNetNN.Training;

/// <summary>
/// One epoch of training, as the history keeps it and progress reports it.
/// The metric is accuracy for classification and R² for regression; training figures are measured on the fly during the epoch
/// (before each batch's update, as Keras does) unless <see cref="NeuralNetworkOptions.MeasureTrainingSetAfterEpoch"/> asks for a
/// pass over the training set after the epoch; validation figures are always measured after it. A regression model's losses are
/// in its targets' own units even when it trained on scaled targets (<see cref="NeuralNetworkOptions.TargetScaling"/>): the mean
/// squared error of its predictions, plus the L1/L2 penalty as the optimiser sees it.
/// <see cref="Duration"/> and <see cref="Elapsed"/> are null when unknown: a model file keeps no timings, so that a seeded run
/// writes the same bytes every time (see docs/model-format.md), and a history read back from one has none.
/// </summary>
public sealed record EpochRecord(
    int Epoch,
    int MaxEpochs,
    double TrainLoss,
    double? ValidationLoss,
    double TrainMetric,
    double? ValidationMetric,
    string MetricName,
    float LearningRate,
    TimeSpan? Duration,
    TimeSpan? Elapsed)
{
    /// <summary>A one-line summary for logs and consoles.</summary>
    public override string ToString()
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        string validation = ValidationLoss is double vl ? string.Format(c, "  val_loss {0:F4}  val_{1} {2:F4}", vl, MetricName, ValidationMetric) : "";
        string duration = Duration is { } d ? string.Format(c, "  {0:F0} ms", d.TotalMilliseconds) : "";
        return string.Format(c, "epoch {0,4}/{1}  loss {2:F4}  {3} {4:F4}{5}  lr {6:G3}{7}",
            Epoch, MaxEpochs, TrainLoss, MetricName, TrainMetric, validation, LearningRate, duration);
    }
}

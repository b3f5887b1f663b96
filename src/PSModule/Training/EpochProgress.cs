using System.Globalization;
using MLNetNN.Training;

namespace MLNetNN.PowerShell.Training;

/// <summary>
/// The text and numbers of one Write-Progress update for an epoch: loss, validation loss, metric and time left.
/// Numbers use the invariant culture so logs read the same on every machine.
/// </summary>
/// <param name="Status">E.g. <c>Epoch 12/200  loss 0.4321  val_loss 0.4502  accuracy 0.9500  val_accuracy 0.9333</c>.</param>
/// <param name="PercentComplete">Share of the epoch limit done, 0..100.</param>
/// <param name="SecondsRemaining">
/// Estimated seconds until the epoch limit at the mean epoch time so far; early stopping or convergence may end sooner. -1
/// (Write-Progress's unknown) for an epoch without timings.
/// </param>
public sealed record EpochProgress(string Status, int PercentComplete, int SecondsRemaining)
{
    /// <summary>The update for <paramref name="epoch"/>.</summary>
    public static EpochProgress For(EpochRecord epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        var c = CultureInfo.InvariantCulture;
        string status = string.Format(c, "Epoch {0}/{1}  loss {2:F4}", epoch.Epoch, epoch.MaxEpochs, epoch.TrainLoss);
        if (epoch.ValidationLoss is double vl) status += string.Format(c, "  val_loss {0:F4}", vl);
        status += string.Format(c, "  {0} {1:F4}", epoch.MetricName, epoch.TrainMetric);
        if (epoch.ValidationMetric is double vm) status += string.Format(c, "  val_{0} {1:F4}", epoch.MetricName, vm);

        int percent = (int)Math.Clamp(100L * epoch.Epoch / Math.Max(1, epoch.MaxEpochs), 0, 100);
        if (epoch.Elapsed is not { } elapsed) return new EpochProgress(status, percent, -1);
        double perEpoch = elapsed.TotalSeconds / Math.Max(1, epoch.Epoch);
        int remaining = (int)Math.Ceiling(Math.Min(int.MaxValue, perEpoch * Math.Max(0, epoch.MaxEpochs - epoch.Epoch)));
        return new EpochProgress(status, percent, remaining);
    }
}

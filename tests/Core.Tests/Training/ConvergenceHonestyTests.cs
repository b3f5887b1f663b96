using MLNetNN.Training;
using Xunit;

namespace MLNetNN.Tests.Training;

/// <summary>Issue 13 item 4: a run the epoch limit cut short while it was still improving says so, as scikit-learn's ConvergenceWarning does.</summary>
public class ConvergenceHonestyTests
{
    private static NeuralNetworkOptions Iris => new() { HiddenLayers = [16], BatchSize = 16, Seed = 3, LearningRate = 0.01f };

    [Fact]
    public void EpochLimitOnAFallingLossIsFlaggedAndExplained()
    {
        var result = Trainers.MulticlassClassification(Iris with { Epochs = 5 }).Fit(TestData.Iris());
        Assert.Equal(StopReason.MaxEpochs, result.StopReason);
        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss - 0.1, "five epochs at lr 0.01 should still be far from the minimum");
        Assert.True(result.StoppedWhileImproving);
        Assert.StartsWith("Reached the epoch limit (5).", result.Message);
        Assert.Contains("training loss was still falling", result.Message);
        Assert.Contains("had not converged", result.Message);
    }

    [Fact]
    public void ConvergedRunIsNotFlagged()
    {
        var result = Trainers.MulticlassClassification(Iris with { Epochs = 5000, Tolerance = 1e-3 }).Fit(TestData.Iris());
        Assert.Equal(StopReason.Converged, result.StopReason);
        Assert.False(result.StoppedWhileImproving);
        Assert.DoesNotContain("still falling", result.Message);
    }

    [Fact]
    public void EpochLimitAfterThePlateauIsNotFlagged()
    {
        // Without a convergence test the run goes on to the limit; a tolerance far above the late epochs' gains means the loss
        // stopped improving long before, so the limit cut nothing short.
        var result = Trainers.MulticlassClassification(Iris with { Epochs = 60, Convergence = ConvergenceCriterion.None, Tolerance = 0.5 }).Fit(TestData.Iris());
        Assert.Equal(StopReason.MaxEpochs, result.StopReason);
        Assert.False(result.StoppedWhileImproving);
        Assert.Equal("Reached the epoch limit (60).", result.Message);
    }

    [Fact]
    public void ValidationLossDecidesWhenThereIsValidationData()
    {
        // The training loss falls all along, but the validation loss has not improved for the last 3 epochs: not improving.
        double[] train = [1.0, 0.8, 0.6, 0.4, 0.2, 0.1];
        double[] validation = [1.0, 0.7, 0.6, 0.65, 0.7, 0.8];
        Assert.False(TrainingResult.StillImproving(History(train, validation), tolerance: 1e-4, patience: 3, out bool onValidation));
        Assert.True(onValidation);
        Assert.True(TrainingResult.StillImproving(History(train, null), tolerance: 1e-4, patience: 3, out onValidation));
        Assert.False(onValidation);
    }

    [Theory]
    [InlineData(new[] { 1.0, 0.9, 0.8, 0.8, 0.8, 0.8 }, 1e-4, 3, false)] // flat for the last 3 epochs
    [InlineData(new[] { 1.0, 0.9, 0.8, 0.8, 0.7 }, 1e-4, 3, true)]  // a new low in the last epoch
    [InlineData(new[] { 1.0, 0.9, 0.8, 0.79995, 0.7999, 0.79985 }, 1e-4, 3, false)] // new lows, each by less than the tolerance
    [InlineData(new[] { 1.0, 0.9, 0.8, 0.8, 0.8, 0.8 }, 1e-4, 4, true)]  // only 3 flat epochs: patience 4 is not used up
    [InlineData(new[] { 1.0, 0.5, 2.0, 1.5, 0.6 }, 1e-4, 3, false)] // recovering, but never below the best (0.5)
    public void ReplaysTheLossChangeTest(double[] losses, double tolerance, int patience, bool improving) =>
        Assert.Equal(improving, TrainingResult.StillImproving(History(losses, null), tolerance, patience, out _));

    private static List<EpochRecord> History(double[] train, double[]? validation) =>
        train.Select((loss, i) => new EpochRecord(i + 1, train.Length, loss, validation?[i], 0, validation is null ? null : 0, "accuracy", 0.01f, TimeSpan.Zero, TimeSpan.Zero)).ToList();
}

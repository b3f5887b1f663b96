using MLNetNN.Training;
using Xunit;

namespace MLNetNN.Tests.Training;

/// <summary>
/// Issue 13 item 3: the library's defaults, chosen with tests/QualityBench (docs/defaults.md), train a small table well untuned.
/// With scikit-learn's batch of 200 rows, Iris's 120–150 training rows made one Adam step an epoch and the model underfitted.
/// </summary>
public class DefaultsTests
{
    [Fact]
    public void OptionsLeftOutAreTheDefaults()
    {
        var options = new NeuralNetworkOptions();
        Assert.Equal(Defaults.BatchSize, options.BatchSize);
        Assert.Equal(Defaults.Epochs, options.Epochs);
        Assert.Equal(Defaults.LearningRate, options.LearningRate);
        Assert.Equal(Defaults.Optimizer, options.Optimizer);
        Assert.Equal(Defaults.HiddenLayers, options.HiddenLayers);
        // The measured choice (docs/defaults.md): enough Adam steps per epoch for a table of a hundred rows.
        Assert.Equal(32, Defaults.BatchSize);
    }

    [Fact]
    public void DefaultOptionsFitIrisTrainingRows()
    {
        var iris = TestData.Iris();
        foreach (int seed in new[] { 0, 1, 2 })
        {
            var model = Trainers.MulticlassClassification(new NeuralNetworkOptions { Seed = seed }).Fit(iris).Model;
            double accuracy = model.EvaluateClassification(iris).Accuracy;
            Assert.True(accuracy >= 0.97, $"seed {seed}: training accuracy {accuracy:F4}; batch 200 (one Adam step an epoch) left seed 0 at 0.96");
        }
    }
}

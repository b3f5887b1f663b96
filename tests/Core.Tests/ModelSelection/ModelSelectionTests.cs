using MLNetNN.Activations;
using MLNetNN.ModelSelection;
using MLNetNN.Training;
using Xunit;

namespace MLNetNN.Tests.ModelSelection;

public class ModelSelectionTests
{
    private static NeuralNetworkOptions Base => new() { HiddenLayers = [8], Epochs = 60, BatchSize = 16, Seed = 1, LearningRate = 0.01f };

    [Fact]
    public void CrossValidationScoresEveryFoldOnRowsItDidNotTrainOn()
    {
        var cv = CrossValidation.Run(Base, TestData.Iris(), folds: 5, seed: 3);
        Assert.Equal(5, cv.Folds.Count);
        Assert.All(cv.Folds, f => { Assert.Equal(120, f.TrainRows); Assert.Equal(30, f.TestRows); });
        Assert.InRange(cv.Mean, 0.85, 1.0);
        double std = Math.Sqrt(cv.Folds.Average(f => Math.Pow(f.Score - cv.Mean, 2)));
        Assert.Equal(std, cv.StandardDeviation, 10);
        Assert.Equal("accuracy", cv.MetricName);
    }

    [Fact]
    public void RegressionCrossValidationReportsRSquared()
    {
        var cv = CrossValidation.Run(Base with { Task = TaskKind.Regression, HiddenActivation = ActivationKind.Tanh, Epochs = 300, BatchSize = 16 },
            TestData.NoisySine(150, 0.1, 2), folds: 3, seed: 1);
        Assert.Equal("r2", cv.MetricName);
        Assert.True(cv.Mean > 0.6, cv.ToString());
    }

    [Fact]
    public void GridSearchReportsEveryCombinationAndPicksTheBest()
    {
        var grid = new ParameterGrid { HiddenLayers = [[2], [16]], L2 = [0f, 1f], LearningRates = [0.01f] };
        var result = GridSearch.Run(Base, grid, TestData.Iris(), folds: 3, seed: 2);
        Assert.Equal(4, result.Entries.Count);
        Assert.Equal(result.Entries.Max(e => e.CrossValidation.Mean), result.Best.CrossValidation.Mean);
        Assert.Equal([2, 2, 16, 16], result.Entries.Select(e => e.Options.HiddenLayers[0]));
        Assert.Equal([0f, 1f, 0f, 1f], result.Entries.Select(e => e.Options.L2));
        string table = result.ToString();
        Assert.Contains("hidden 16, ReLU, lr 0.01, L2 1", table);
        Assert.Equal(5, table.Trim().Split('\n').Length);
    }
}

using MLNetNN.Activations;
using MLNetNN.ModelSelection;
using MLNetNN.Networks;
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

    [Fact]
    public void A_grid_over_a_network_declared_by_layers_names_the_layers_of_each_combination()
    {
        var layered = Base with { Layers = LayerText.Parse("dense8,dropout0.2"), Epochs = 20 };
        var result = GridSearch.Run(layered, new ParameterGrid { L2 = [0f, 0.01f] }, TestData.Iris(), folds: 3, seed: 2);
        Assert.Equal(["layers dense8:relu,dropout0.2, lr 0.01, L2 0, batch 16", "layers dense8:relu,dropout0.2, lr 0.01, L2 0.01, batch 16"],
            result.Entries.Select(e => e.Description));
    }

    [Fact]
    public void A_grid_varies_layer_stacks_and_each_combination_trains_its_own()
    {
        var grid = new ParameterGrid { Layers = [LayerText.Parse("dense2"), new LayerStack().Dense(16, ActivationKind.Tanh).Dropout(0.2f)], LearningRates = [0.01f, 0.02f] };
        var result = GridSearch.Run(Base with { Epochs = 20 }, grid, TestData.Iris(), folds: 3, seed: 2);
        Assert.Equal(4, result.Entries.Count);
        Assert.Equal(["dense2:relu", "dense2:relu", "dense16:tanh,dropout0.2", "dense16:tanh,dropout0.2"],
            result.Entries.Select(e => LayerText.Format(e.Options.EffectiveHiddenLayers)));
        Assert.Equal([0.01f, 0.02f, 0.01f, 0.02f], result.Entries.Select(e => e.Options.LearningRate));
        Assert.Contains("layers dense16:tanh,dropout0.2, lr 0.02, L2 0, batch 16", result.ToString());
        // A stack of layers replaces the base options' HiddenLayers in every combination.
        Assert.All(result.Entries, e => Assert.NotNull(e.Options.Layers));
    }

    [Fact]
    public void A_grid_that_varies_hidden_layers_while_layers_are_set_is_refused_naming_both()
    {
        var layered = Base with { Layers = LayerText.Parse("dense8,dropout0.2") };
        var hidden = new ParameterGrid { HiddenLayers = [[2], [16]] };
        // Before any training: every combination would train the same layers under different labels.
        var e = Assert.Throws<ArgumentException>(() => hidden.Expand(layered));
        Assert.Contains("HiddenLayers", e.Message);
        Assert.Contains("Layers", e.Message.Replace("HiddenLayers", ""));
        Assert.Throws<ArgumentException>(() => GridSearch.Run(layered, hidden, TestData.Iris(), folds: 3));
        var both = new ParameterGrid { HiddenLayers = [[2]], Layers = [LayerText.Parse("dense2")] };
        e = Assert.Throws<ArgumentException>(() => both.Expand(Base));
        Assert.Contains("HiddenLayers", e.Message);
        Assert.Contains("Layers", e.Message.Replace("HiddenLayers", ""));
        // The hidden activation is the same: layers carry their own.
        var activations = new ParameterGrid { Activations = [ActivationKind.ReLU, ActivationKind.Tanh] };
        e = Assert.Throws<ArgumentException>(() => activations.Expand(layered));
        Assert.Contains("Activations", e.Message);
        Assert.Contains("Layers", e.Message);
        Assert.Equal(2, activations.Expand(Base).Count());
    }
}

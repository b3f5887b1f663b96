using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetNN.Training;
using Xunit.Abstractions;

namespace MLNetNN.MLNet.Tests;

/// <summary>Each task in a full ML.NET pipeline with normalisation, scored by ML.NET's own evaluators and compared with its built-in trainers.</summary>
public sealed class PipelineTests(ITestOutputHelper output)
{
    [Fact]
    public void Iris_cross_validated_macro_accuracy_is_at_least_095_and_near_lbfgs_maximum_entropy()
    {
        // Three fold splits, since one split of 150 flowers moves the figure by a flower (0.007) either way. The network is the
        // README's; its features are standardised (the trainer does it, whatever the pipeline's normaliser left).
        var ml = new MLContext(seed: 1);
        var data = ml.Data.Cache(TestData.Iris(ml));
        double MacroAccuracy(Func<IEstimator<ITransformer>> trainer) => new[] { 1, 2, 3 }.Average(seed =>
            ml.MulticlassClassification.CrossValidate(data, TestData.IrisPipeline(ml, trainer()), numberOfFolds: 5, seed: seed).Average(f => f.Metrics.MacroAccuracy));
        double macro = MacroAccuracy(() => ml.MulticlassClassification.Trainers.NeuralNetwork(hiddenLayers: [64, 32], batchSize: 32));
        double linearMacro = MacroAccuracy(() => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy());
        output.WriteLine($"Iris 5-fold macro-accuracy over three fold seeds: network {macro:F4}, LbfgsMaximumEntropy {linearMacro:F4}");

        Assert.True(macro >= 0.95, $"macro-accuracy {macro:F4} < 0.95");
        Assert.True(macro >= linearMacro - 0.02, $"network {macro:F4} vs LbfgsMaximumEntropy {linearMacro:F4}: lost by more than 0.02 on a nearly linear problem");
    }

    [Fact]
    public void Iris_predicted_labels_come_back_as_the_original_species_names()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Iris(ml);
        var model = TestData.IrisPipeline(ml, ml.MulticlassClassification.Trainers.NeuralNetwork(epochs: 60, batchSize: 16, learningRate: 0.01f)).Fit(data);
        var scored = model.Transform(data);
        var predicted = scored.GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(p => p.ToString()).ToArray();
        var truth = scored.GetColumn<string>(nameof(IrisRow.Species)).ToArray();
        Assert.Equal(["setosa", "versicolor", "virginica"], predicted.Distinct().Order());
        Assert.True(predicted.Zip(truth).Count(p => p.First == p.Second) >= 140);
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        Assert.Equal(3, metrics.PerClassLogLoss.Count);
        Assert.InRange(metrics.LogLoss, 0, 0.3);
    }

    [Fact]
    public void Breast_cancer_cross_validated_auc_is_at_least_098_and_near_sdca_logistic_regression()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.Cache(TestData.BreastCancer(ml));
        var normalize = ml.Transforms.NormalizeMeanVariance("Features");
        var network = ml.BinaryClassification.CrossValidate(data, normalize.Append(ml.BinaryClassification.Trainers.NeuralNetwork(hiddenLayers: [32], epochs: 100, batchSize: 32, learningRate: 0.003f)), numberOfFolds: 5, seed: 1);
        var linear = ml.BinaryClassification.CrossValidate(data, normalize.Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression()), numberOfFolds: 5, seed: 1);
        double auc = network.Average(f => f.Metrics.AreaUnderRocCurve), linearAuc = linear.Average(f => f.Metrics.AreaUnderRocCurve);
        double accuracy = network.Average(f => f.Metrics.Accuracy), linearAccuracy = linear.Average(f => f.Metrics.Accuracy);
        output.WriteLine($"Breast cancer 5-fold AUC: network {auc:F4} (accuracy {accuracy:F4}); SdcaLogisticRegression {linearAuc:F4} (accuracy {linearAccuracy:F4})");

        Assert.True(auc >= 0.98, $"AUC {auc:F4} < 0.98");
        Assert.True(auc >= linearAuc - 0.01, $"network AUC {auc:F4} lost to SdcaLogisticRegression {linearAuc:F4} by more than 0.01");
    }

    [Fact]
    public void On_two_moons_the_network_beats_sdca_logistic_regression()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(TestData.TwoMoons(600, 0.15, seed: 1));
        var test = ml.Data.LoadFromEnumerable(TestData.TwoMoons(400, 0.15, seed: 2));
        var network = ml.BinaryClassification.Trainers.NeuralNetwork(hiddenLayers: [32, 16], epochs: 150, batchSize: 32, learningRate: 0.01f).Fit(train);
        var linear = ml.BinaryClassification.Trainers.SdcaLogisticRegression().Fit(train);
        var n = ml.BinaryClassification.Evaluate(network.Transform(test));
        var l = ml.BinaryClassification.Evaluate(linear.Transform(test));
        output.WriteLine($"Two moons held-out accuracy: network {n.Accuracy:F4}, SdcaLogisticRegression {l.Accuracy:F4}");
        Assert.True(n.Accuracy >= 0.97, $"network accuracy {n.Accuracy:F4}");
        Assert.True(n.Accuracy >= l.Accuracy + 0.08, $"network {n.Accuracy:F4} should clearly beat the linear model {l.Accuracy:F4}");
    }

    [Fact]
    public void On_linearly_separable_blobs_the_network_does_not_lose_to_sdca_logistic_regression_by_much()
    {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(ml.Data.LoadFromEnumerable(TestData.LinearBlobs(1600, seed: 1)), testFraction: 0.5, seed: 1);
        var (train, test) = (split.TrainSet, split.TestSet);
        var n = ml.BinaryClassification.Evaluate(ml.BinaryClassification.Trainers.NeuralNetwork(hiddenLayers: [16], epochs: 60, batchSize: 32).Fit(train).Transform(test));
        var l = ml.BinaryClassification.Evaluate(ml.BinaryClassification.Trainers.SdcaLogisticRegression().Fit(train).Transform(test));
        output.WriteLine($"Linear blobs held-out accuracy: network {n.Accuracy:F4}, SdcaLogisticRegression {l.Accuracy:F4}; AUC {n.AreaUnderRocCurve:F4} vs {l.AreaUnderRocCurve:F4}");
        Assert.True(n.Accuracy >= l.Accuracy - 0.02, $"network {n.Accuracy:F4} lost to the linear model {l.Accuracy:F4} by more than 0.02");
    }

    [Fact]
    public void Regression_r_squared_matches_the_engine_and_beats_sdca_on_a_non_linear_target()
    {
        var rows = TestData.NonLinearRegression(1500, seed: 1);
        var testRows = TestData.NonLinearRegression(500, seed: 2);
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(rows);
        var test = ml.Data.LoadFromEnumerable(testRows);
        var options = new NeuralNetworkRegressionTrainer.Options { HiddenLayers = [64, 32], Epochs = 100, BatchSize = 32, LearningRate = 0.005f };
        var model = ml.Transforms.NormalizeMeanVariance("Features").Append(ml.Regression.Trainers.NeuralNetwork(options)).Fit(train);
        var metrics = ml.Regression.Evaluate(model.Transform(test));
        var sdca = ml.Regression.Evaluate(ml.Transforms.NormalizeMeanVariance("Features").Append(ml.Regression.Trainers.Sdca()).Fit(train).Transform(test));

        // The engine on its own, same data, same settings: the adapter must not cost accuracy.
        var engine = Trainers.Regression(new NeuralNetworkOptions { HiddenLayers = [64, 32], Epochs = 100, BatchSize = 32, LearningRate = 0.005f, Seed = 1 });
        var result = engine.Fit(ToDataset(rows));
        double engineR2 = result.Model.EvaluateRegression(ToDataset(testRows)).R2;
        output.WriteLine($"Non-linear regression held-out R²: adapter {metrics.RSquared:F4}, engine alone {engineR2:F4}, Sdca {sdca.RSquared:F4}");

        Assert.True(metrics.RSquared >= 0.9, $"R² {metrics.RSquared:F4}");
        Assert.True(Math.Abs(metrics.RSquared - engineR2) <= 0.03, $"adapter R² {metrics.RSquared:F4} vs engine {engineR2:F4}");
        Assert.True(metrics.RSquared >= sdca.RSquared + 0.3, $"network {metrics.RSquared:F4} vs Sdca {sdca.RSquared:F4}");
    }

    private static MLNetNN.Data.Dataset ToDataset(List<RegressionRow> rows) =>
        new(rows.SelectMany(r => r.Features).ToArray(), rows.Count, 3, rows.Select(r => r.Label).ToArray());
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetNN.MLNet.Tests;

/// <summary>Schema mistakes give the messages ML.NET's own trainers give.</summary>
public sealed class SchemaErrorTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Fact]
    public void A_missing_feature_column_is_named()
    {
        var data = _ml.Data.LoadFromEnumerable(TestData.NonLinearRegression(20, 1));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Regression.Trainers.NeuralNetwork(featureColumnName: "Pixels").Fit(data));
        Assert.StartsWith("Could not find feature column 'Pixels'", e.Message);
    }

    [Fact]
    public void A_missing_label_column_is_named_even_from_a_pipeline()
    {
        var data = _ml.Data.LoadFromEnumerable(TestData.NonLinearRegression(20, 1));
        var pipeline = _ml.Transforms.NormalizeMinMax("Features").Append(_ml.Regression.Trainers.NeuralNetwork(labelColumnName: "Price"));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => pipeline.Fit(data));
        Assert.StartsWith("Could not find label column 'Price'", e.Message);
    }

    [Fact]
    public void A_label_of_the_wrong_type_says_what_was_expected()
    {
        var iris = TestData.Iris(_ml);
        var features = _ml.Transforms.Concatenate("Features", nameof(IrisRow.SepalLength), nameof(IrisRow.PetalLength));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            features.Append(_ml.MulticlassClassification.Trainers.NeuralNetwork(labelColumnName: nameof(IrisRow.Species))).Fit(iris));
        Assert.StartsWith("Schema mismatch for label column 'Species': expected Key", e.Message);
        Assert.Contains("got String", e.Message);

        var direct = Assert.Throws<ArgumentOutOfRangeException>(() =>
            _ml.Regression.Trainers.NeuralNetwork(labelColumnName: nameof(IrisRow.Species)).Fit(features.Fit(iris).Transform(iris)));
        Assert.StartsWith("Schema mismatch for label column 'Species': expected Single, got String", direct.Message);
    }

    [Fact]
    public void A_feature_column_that_is_not_a_vector_of_single_is_refused()
    {
        var iris = TestData.Iris(_ml);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            _ml.Regression.Trainers.NeuralNetwork(labelColumnName: nameof(IrisRow.PetalWidth), featureColumnName: nameof(IrisRow.Species)).Fit(iris));
        Assert.StartsWith("Schema mismatch for feature column 'Species': expected", e.Message);
        Assert.Contains("got String", e.Message);
    }

    [Fact]
    public void Scoring_data_with_a_different_vector_size_names_both_sizes()
    {
        var model = _ml.Regression.Trainers.NeuralNetwork(hiddenLayers: [4], epochs: 2).Fit(_ml.Data.LoadFromEnumerable(TestData.NonLinearRegression(30, 1)));
        var wrong = _ml.Data.LoadFromEnumerable(TestData.TwoMoons(5, 0.1, 1));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.Transform(wrong));
        Assert.StartsWith("Schema mismatch for feature column 'Features': expected Vector<Single, 3>, got Vector<Single, 2>", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Model.CreatePredictionEngine<PointRow, RegressionPrediction>(model));
    }

    [Fact]
    public void A_weight_column_of_the_wrong_type_is_named()
    {
        var data = _ml.Data.LoadFromEnumerable(TestData.TwoMoons(20, 0.1, 1));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ml.BinaryClassification.Trainers.NeuralNetwork(exampleWeightColumnName: "Label").Fit(data));
        Assert.StartsWith("Schema mismatch for weight column 'Label': expected Single, got Boolean", e.Message);
    }

    [Fact]
    public void A_bad_setting_fails_when_the_trainer_is_created()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Regression.Trainers.NeuralNetwork(new NeuralNetworkRegressionTrainer.Options { LearningRate = -1 }));
        Assert.Contains("LearningRate", e.Message);
    }
}

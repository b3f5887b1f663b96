using Microsoft.ML;
using MLNetNN.Data;
using MLNetNN.Training;

namespace MLNetNN.MLNet.Tests;

/// <summary>The engine's target scaling and class weights, set through the ML.NET trainers' options.</summary>
public class TargetScalingAndClassWeightTests
{
    [Fact]
    public void A_label_in_the_hundreds_is_standardised_by_default_and_scored_in_its_units()
    {
        var ml = new MLContext(seed: 1);
        var rows = TestData.NonLinearRegression(600, 1);
        foreach (var row in rows) row.Label = 300f * row.Label + 500f;
        var data = ml.Data.LoadFromEnumerable(rows);
        var options = new NeuralNetworkRegressionTrainer.Options { HiddenLayers = [32], Epochs = 100 };

        var scaled = ml.Regression.Trainers.NeuralNetwork(options).Fit(data);
        Assert.Equal(ScalerKind.Standardization, scaled.Model.TargetScaler!.Kind);
        double r2 = ml.Regression.Evaluate(scaled.Transform(data)).RSquared;
        Assert.True(r2 > 0.5, $"R² {r2:F3} with the label standardised"); // measured 0.630

        options.TargetScaling = ScalingKind.None;
        var raw = ml.Regression.Trainers.NeuralNetwork(options).Fit(data);
        Assert.Null(raw.Model.TargetScaler);
        double rawR2 = ml.Regression.Evaluate(raw.Transform(data)).RSquared;
        Assert.True(rawR2 < 0, $"R² {rawR2:F3} unscaled against {r2:F3} scaled"); // measured −4.26
    }

    [Fact]
    public void Class_weights_reach_the_engine_and_an_unknown_class_is_refused_by_name()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(TestData.TwoMoons(200, 0.2, 1));
        var weighted = ml.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkBinaryTrainer.Options
        {
            HiddenLayers = [4], Epochs = 2, ClassWeights = new Dictionary<string, float> { ["True"] = 5f },
        }).Fit(data);
        Assert.Equal(5f, weighted.Model.Options.ClassWeights!["True"]);
        Assert.True(ml.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkBinaryTrainer.Options { HiddenLayers = [4], Epochs = 2, BalancedClassWeights = true })
            .Fit(data).Model.Options.BalancedClassWeights);

        var e = Assert.ThrowsAny<ArgumentException>(() => ml.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkBinaryTrainer.Options
        {
            HiddenLayers = [4], Epochs = 2, ClassWeights = new Dictionary<string, float> { ["Yes"] = 5f },
        }).Fit(data));
        Assert.Contains("'Yes'", e.Message);
    }
}

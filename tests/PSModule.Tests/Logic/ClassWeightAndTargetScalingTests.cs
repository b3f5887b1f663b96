using System.Collections;
using MLNetNN.PowerShell.Training;
using MLNetNN.Training;

namespace MLNetNN.PowerShell.Tests.Logic;

/// <summary><c>New-NeuralNet -ClassWeight</c> and <c>-TargetScaling</c> as engine options.</summary>
public class ClassWeightAndTargetScalingTests
{
    [Fact]
    public void Balanced_in_any_case_asks_for_balanced_class_weights()
    {
        Assert.True(ClassWeightSetting.Apply(new NeuralNetworkOptions(), "balanced").BalancedClassWeights);
        Assert.True(ClassWeightSetting.Apply(new NeuralNetworkOptions(), "Balanced").BalancedClassWeights);
        Assert.Same(ClassWeightSetting.Apply(new NeuralNetworkOptions(), null).ClassWeights, null);
    }

    [Fact]
    public void A_hashtable_names_classes_as_invariant_text_and_takes_numbers_of_any_type()
    {
        var options = ClassWeightSetting.Apply(new NeuralNetworkOptions(), new Hashtable { ["b"] = 5, [1] = "2.5", ["a"] = 0.5 });
        Assert.Equal(5f, options.ClassWeights!["b"]);
        Assert.Equal(2.5f, options.ClassWeights["1"]);
        Assert.Equal(0.5f, options.ClassWeights["a"]);
        // Applied to training on the blobs, the weights reach the trained model's options.
        var settings = new TrainingSettings { Epochs = 2 }.Apply(new NeuralNetSpec(NeuralNetTask.Auto, options with { ClassWeights = new Dictionary<string, float> { ["b"] = 5 } }), TrainingTests.Blobs());
        Assert.Equal(5f, new NeuralNetworkTrainer(settings).Fit(TrainingTests.Blobs()).Model.Options.ClassWeights!["b"]);
    }

    [Fact]
    public void A_weight_that_is_not_a_number_or_a_value_that_is_neither_is_refused_by_name()
    {
        Assert.Contains("'b'", Assert.Throws<ArgumentException>(() => ClassWeightSetting.Apply(new NeuralNetworkOptions(), new Hashtable { ["b"] = "lots" })).Message);
        Assert.Contains("Balanced", Assert.Throws<ArgumentException>(() => ClassWeightSetting.Apply(new NeuralNetworkOptions(), "even")).Message);
        var negative = ClassWeightSetting.Apply(new NeuralNetworkOptions(), new Hashtable { ["a"] = -1 });
        Assert.Contains("'a'", Assert.ThrowsAny<ArgumentException>(() => new NeuralNetSpec(NeuralNetTask.Auto, negative)).Message);
    }

    [Fact]
    public void Target_scaling_can_be_turned_off_for_regression()
    {
        var data = new Data.RowDatasetBuilder("Y", MLNetNN.Data.LabelKind.Regression);
        for (int i = 0; i < 40; i++) data.Add([new("X", (double)i), new("Y", 300.0 * i + 500)]);
        var rows = data.Build();
        var on = new TrainingSettings { Epochs = 2 }.Apply(new NeuralNetSpec(NeuralNetTask.Regression, new NeuralNetworkOptions { HiddenLayers = [4], Seed = 1 }), rows);
        var off = new TrainingSettings { Epochs = 2 }.Apply(new NeuralNetSpec(NeuralNetTask.Regression, new NeuralNetworkOptions { HiddenLayers = [4], Seed = 1, TargetScaling = ScalingKind.None }), rows);
        Assert.NotNull(new NeuralNetworkTrainer(on).Fit(rows).Model.TargetScaler);
        Assert.Null(new NeuralNetworkTrainer(off).Fit(rows).Model.TargetScaler);
    }
}

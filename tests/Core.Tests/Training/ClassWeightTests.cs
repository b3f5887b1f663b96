using MLNetNN.Data;
using MLNetNN.Training;
using Xunit;

namespace MLNetNN.Tests.Training;

/// <summary>Class weights, balanced or given per class, multiply the example weights of the training loss.</summary>
public class ClassWeightTests
{
    /// <summary>Two overlapping Gaussian blobs in 2-D, 95 % "common" (centred at 0) and 5 % "rare" (centred at (1.5, 1.5)).</summary>
    private static Dataset Imbalanced(int rows, int seed)
    {
        var random = new Random(seed);
        var x = new float[2 * rows];
        var y = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            bool rare = i % 20 == 0;
            y[i] = rare ? 1 : 0;
            for (int j = 0; j < 2; j++) x[2 * i + j] = (float)((rare ? 1.5 : 0) + Gaussian(random));
        }
        return new Dataset(x, rows, 2, y, classNames: ["common", "rare"]);
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static readonly NeuralNetworkOptions Options = new() { HiddenLayers = [8], Epochs = 60, Seed = 1, LearningRate = 0.01f, Threads = 1 };

    [Fact]
    public void Balanced_weights_raise_minority_recall_and_balanced_accuracy_on_held_out_data()
    {
        var train = Imbalanced(2000, 1);
        var test = Imbalanced(4000, 2);
        var plain = Trainers.BinaryClassification(Options).Fit(train).Model.EvaluateClassification(test);
        var balanced = Trainers.BinaryClassification(Options with { BalancedClassWeights = true }).Fit(train).Model.EvaluateClassification(test);
        double plainRecall = plain.PerClass[1].Recall, balancedRecall = balanced.PerClass[1].Recall;
        // Unweighted, the rare class is mostly called common; weighted, most of it is found, and the mean recall of the two classes rises.
        string figures = $"minority recall {plainRecall:F3} → {balancedRecall:F3}, balanced accuracy {plain.MacroRecall:F3} → {balanced.MacroRecall:F3}";
        // Measured: recall 0.320 → 0.855, balanced accuracy 0.657 → 0.843.
        Assert.True(plainRecall < 0.45, figures);
        Assert.True(balancedRecall > 0.75, figures);
        Assert.True(balanced.MacroRecall > plain.MacroRecall + 0.1, figures);
    }

    [Fact]
    public void A_class_weight_trains_exactly_as_the_same_example_weights_and_multiplies_them()
    {
        var data = Imbalanced(300, 3);
        var sampleWeights = Enumerable.Range(0, data.Rows).Select(i => 0.5f + i % 3).ToArray();
        var weighted = new Dataset(data.Features, data.Rows, 2, data.Labels, weights: sampleWeights, classNames: data.ClassNames);
        var combined = sampleWeights.Select((w, i) => data.Labels[i] == 1 ? w * 7f : w * 0.5f).ToArray();
        var expected = new Dataset(data.Features, data.Rows, 2, data.Labels, weights: combined, classNames: data.ClassNames);

        var byClass = Trainers.BinaryClassification(Options with { Epochs = 5, ClassWeights = new Dictionary<string, float> { ["rare"] = 7f, ["common"] = 0.5f } }).Fit(weighted);
        var byRow = Trainers.BinaryClassification(Options with { Epochs = 5 }).Fit(expected);
        Assert.Equal(byRow.Model.Network.Parameters, byClass.Model.Network.Parameters);
        Assert.Equal(byRow.History[^1].TrainLoss, byClass.History[^1].TrainLoss);
    }

    [Fact]
    public void Balanced_weights_are_those_of_scikit_learn()
    {
        // n / (classes · nᶜ): 2000 rows, 100 rare → common 2000/(2·1900), rare 2000/(2·100) = 10; as example weights they train alike.
        var data = Imbalanced(2000, 4);
        var weights = data.Labels.Select(y => y == 1 ? 10f : (float)(2000.0 / (2 * 1900))).ToArray();
        var expected = new Dataset(data.Features, data.Rows, 2, data.Labels, weights: weights, classNames: data.ClassNames);
        var balanced = Trainers.BinaryClassification(Options with { Epochs = 3, BalancedClassWeights = true }).Fit(data);
        var byRow = Trainers.BinaryClassification(Options with { Epochs = 3 }).Fit(expected);
        Assert.Equal(byRow.Model.Network.Parameters, balanced.Model.Network.Parameters);
    }

    [Fact]
    public void Multiclass_class_weights_shift_predictions_toward_the_weighted_class()
    {
        var iris = TestData.Iris();
        var heavy = Trainers.MulticlassClassification(Options with { Epochs = 20, ClassWeights = new Dictionary<string, float> { ["virginica"] = 20f } }).Fit(iris).Model;
        var plain = Trainers.MulticlassClassification(Options with { Epochs = 20 }).Fit(iris).Model;
        int Count(Models.NeuralNetworkModel m) => Enumerable.Range(0, iris.Rows).Count(i => m.PredictClass(iris.Row(i)) == 2);
        Assert.True(Count(heavy) > Count(plain), $"virginica predicted {Count(plain)} → {Count(heavy)} times");
    }

    [Theory]
    [InlineData("versicolour", 1f, "'versicolour'")]
    [InlineData("setosa", -1f, "'setosa'")]
    [InlineData("virginica", float.NaN, "'virginica'")]
    [InlineData("virginica", float.PositiveInfinity, "'virginica'")]
    public void Bad_class_weights_are_refused_naming_the_class(string name, float weight, string named)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() =>
            Trainers.MulticlassClassification(Options with { ClassWeights = new Dictionary<string, float> { [name] = weight } }).Fit(TestData.Iris()));
        Assert.Contains(named, e.Message);
        Assert.Contains("ClassWeights", e.Message);
    }

    [Fact]
    public void Class_weights_are_refused_for_regression_and_beside_balanced_weights()
    {
        Assert.Contains("classification only", Assert.ThrowsAny<ArgumentException>(() => Trainers.Regression(Options with { BalancedClassWeights = true })).Message);
        Assert.Contains("BalancedClassWeights", Assert.ThrowsAny<ArgumentException>(() => Trainers.BinaryClassification(Options with
        {
            BalancedClassWeights = true, ClassWeights = new Dictionary<string, float> { ["rare"] = 2f },
        })).Message);
    }
}

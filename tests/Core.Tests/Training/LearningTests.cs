using MLNetNN.Activations;
using MLNetNN.Data;
using MLNetNN.ModelSelection;
using MLNetNN.Optimizers;
using MLNetNN.Training;
using Xunit;

namespace MLNetNN.Tests.Training;

/// <summary>The network learns what a linear model cannot, and matches scikit-learn's MLPClassifier on real data.</summary>
public class LearningTests
{
    [Fact]
    public void XorIsLearnedPerfectly()
    {
        var trainer = Trainers.BinaryClassification(new NeuralNetworkOptions
        {
            HiddenLayers = [8], HiddenActivation = ActivationKind.Tanh, LearningRate = 0.05f, Epochs = 500, BatchSize = 4,
            Seed = 3, Scaling = ScalingKind.None, Convergence = ConvergenceCriterion.None,
        });
        var result = trainer.Fit(TestData.Xor(4));
        var metrics = result.Model.EvaluateClassification(TestData.Xor());
        Assert.Equal(1.0, metrics.Accuracy);
        Assert.True(result.History[^1].TrainLoss < 0.05, $"final loss {result.History[^1].TrainLoss}");
    }

    [Fact]
    public void TwoMoonsReachNinetyEightPercentTrainingAccuracy()
    {
        var data = TestData.TwoMoons(400, 0.1, seed: 7);
        var result = Trainers.BinaryClassification(new NeuralNetworkOptions
        {
            HiddenLayers = [32, 32], LearningRate = 0.01f, Epochs = 300, BatchSize = 32, Seed = 1,
        }).Fit(data);
        double accuracy = result.Model.EvaluateClassification(data).Accuracy;
        Assert.True(accuracy >= 0.98, $"training accuracy {accuracy:F4}");
    }

    [Fact]
    public void NoisySineIsFittedWithRSquaredAboveNinetyFivePercent()
    {
        var data = TestData.NoisySine(100, 0.1, seed: 5);
        var result = Trainers.Regression(new NeuralNetworkOptions
        {
            HiddenLayers = [32], HiddenActivation = ActivationKind.Sigmoid, LearningRate = 0.01f, Epochs = 3000, BatchSize = 20,
            Seed = 2, Convergence = ConvergenceCriterion.None,
        }).Fit(data);
        var metrics = result.Model.EvaluateRegression(data);
        Assert.True(metrics.R2 >= 0.95, $"R² {metrics.R2:F4}");
    }

    [Fact]
    public void LinearModelCannotSolveXorButTheNetworkCan()
    {
        // The same trainer with no hidden layer is logistic regression; it must fail where the hidden layer succeeds.
        var linear = Trainers.BinaryClassification(new NeuralNetworkOptions { HiddenLayers = [], Epochs = 500, LearningRate = 0.05f, Seed = 3, Scaling = ScalingKind.None, BatchSize = 4 });
        double accuracy = linear.Fit(TestData.Xor(4)).Model.EvaluateClassification(TestData.Xor()).Accuracy;
        Assert.True(accuracy <= 0.75, $"a linear model scored {accuracy} on XOR");
    }

    // scikit-learn 1.2.1 MLPClassifier(hidden_layer_sizes=(100,), activation='relu', solver='adam'), StandardScaler in each fold,
    // shuffled stratified 5-fold CV averaged over 5 seeds: tests/Core.Tests/reference/sklearn_cv.py printed these.
    [Theory]
    [InlineData("iris", 0.9453)]
    [InlineData("breast_cancer", 0.9740)]
    [InlineData("digits", 0.9787)]
    public void CrossValidatedAccuracyIsWithinOnePointOfScikitLearn(string dataset, double sklearnAccuracy)
    {
        var data = dataset switch { "iris" => TestData.Iris(), "breast_cancer" => TestData.BreastCancer(), _ => TestData.Digits() };
        var options = new NeuralNetworkOptions
        {
            Task = data.ClassCount == 2 ? TaskKind.BinaryClassification : TaskKind.MulticlassClassification,
            HiddenLayers = [100], HiddenActivation = ActivationKind.ReLU, Optimizer = OptimizerKind.Adam, Epochs = 200, Seed = 0,
        };
        // Like the reference, average over several shuffles so one lucky or unlucky split decides nothing.
        var runs = Enumerable.Range(0, 3).Select(seed => CrossValidation.Run(options with { Seed = seed }, data, folds: 5, seed: seed)).ToArray();
        double mean = runs.Average(cv => cv.Mean);
        Assert.True(mean >= sklearnAccuracy - 0.01, $"{dataset}: mean {mean:F4} ({string.Join("; ", runs.Select(r => r.ToString()))}); scikit-learn {sklearnAccuracy:F4}");
    }
}

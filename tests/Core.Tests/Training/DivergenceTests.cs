using System.Globalization;
using System.Text.RegularExpressions;
using MLNetNN.Data;
using MLNetNN.Initialization;
using MLNetNN.Optimizers;
using MLNetNN.Training;
using Xunit;

namespace MLNetNN.Tests.Training;

/// <summary>
/// A diverged run hands back weights whose training loss was measured finite, so the model it carries predicts finite outputs
/// on every training row and its message names the epoch those weights come from.
/// </summary>
public class DivergenceTests
{
    public static TheoryData<TaskKind, OptimizerKind, float> Runs()
    {
        var runs = new TheoryData<TaskKind, OptimizerKind, float>();
        foreach (var task in new[] { TaskKind.BinaryClassification, TaskKind.MulticlassClassification, TaskKind.Regression })
            foreach (var optimizer in new[] { OptimizerKind.Sgd, OptimizerKind.RMSProp })
                foreach (float rate in new[] { 30f, 1e3f, 1e6f })
                    runs.Add(task, optimizer, rate);
        return runs;
    }

    [Fact]
    public void TheIssuesReproductionCarriesAModelThatPredictsFiniteOutputs()
    {
        // Multiclass Iris, SGD at a learning rate of 1e6, seed 1: the carried model used to predict NaN for 399 of 450 outputs.
        var iris = TestData.Iris();
        var error = Assert.Throws<TrainingDivergedException>(() => Trainers.MulticlassClassification(new NeuralNetworkOptions
        {
            Optimizer = OptimizerKind.Sgd, LearningRate = 1e6f, Seed = 1,
        }).Fit(iris));
        AssertUsable(error, iris);
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void TheCarriedModelPredictsFiniteOutputsOnEveryTrainingRow(TaskKind task, OptimizerKind optimizer, float learningRate)
    {
        var data = DataFor(task);
        var options = new NeuralNetworkOptions { Task = task, Optimizer = optimizer, LearningRate = learningRate, Seed = 1, Epochs = 40 };
        TrainingResult result;
        try
        {
            result = new NeuralNetworkTrainer(options).Fit(data);
        }
        catch (TrainingDivergedException error)
        {
            AssertUsable(error, data);
            return;
        }
        // A run that did not diverge must still hand back a model worth having.
        Assert.All(result.Model.PredictBatch(data), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void EveryTaskHasDivergingRunsAmongThem()
    {
        // Guards the theory above from passing only because nothing diverged.
        var diverged = new List<TaskKind>();
        foreach (var run in Runs())
        {
            var (task, optimizer, rate) = ((TaskKind)run[0], (OptimizerKind)run[1], (float)run[2]);
            try
            {
                new NeuralNetworkTrainer(new NeuralNetworkOptions { Task = task, Optimizer = optimizer, LearningRate = rate, Seed = 1, Epochs = 40 }).Fit(DataFor(task));
            }
            catch (TrainingDivergedException)
            {
                diverged.Add(task);
            }
        }
        Assert.True(diverged.Count >= 8, $"{diverged.Count} runs diverged.");
        Assert.Equal([TaskKind.BinaryClassification, TaskKind.MulticlassClassification, TaskKind.Regression], diverged.Distinct().Order());
    }

    [Fact]
    public void DivergingInTheFirstEpochCarriesTheInitialWeights()
    {
        var iris = TestData.Iris();
        var options = new NeuralNetworkOptions { Optimizer = OptimizerKind.Sgd, LearningRate = 1e30f, Seed = 3, BatchSize = 16 };
        var error = Assert.Throws<TrainingDivergedException>(() => Trainers.MulticlassClassification(options).Fit(iris));
        AssertUsable(error, iris);
        Assert.Equal(0, error.Result.BestEpoch);
        Assert.Contains("initial weights", error.Message);
        // One epoch at a learning rate of 1e-30 moves the same seed's initial weights by less than 1e-29.
        var initial = Trainers.MulticlassClassification(options with { Epochs = 1, LearningRate = 1e-30f }).Fit(iris).Model.Network.Parameters;
        var carried = error.Result.Model.Network.Parameters;
        Assert.Equal(initial.Length, carried.Length);
        for (int i = 0; i < initial.Length; i++) Assert.True(Math.Abs(initial[i] - carried[i]) < 1e-29f, $"Parameter {i}: {carried[i]}, initially {initial[i]}.");
    }

    [Fact]
    public void ARunThatImprovedBeforeDivergingCarriesItsBestMeasuredEpoch()
    {
        // Least squares on x = ±10, y = 5, by full-batch gradient descent a little past stability along x: the bias settles
        // (the loss falls from 25 to about 6 by epoch 29) while the weight, started at 1e-6, grows 1.5-fold an epoch until the
        // loss overflows in epoch 141. The weights of epoch 140 fit nothing; those of epoch 29 are the best the run measured.
        var x = Enumerable.Range(0, 100).Select(i => i % 2 == 0 ? 10f : -10f).ToArray();
        var data = new Dataset(x, 100, 1, Enumerable.Repeat(5f, 100).ToArray());
        var error = Assert.Throws<TrainingDivergedException>(() => Trainers.Regression(new NeuralNetworkOptions
        {
            HiddenLayers = [], Optimizer = OptimizerKind.GradientDescent, LearningRate = 0.0125f, Epochs = 1000, Seed = 1, Scaling = ScalingKind.None,
            TargetScaling = ScalingKind.None, // the dynamics above are those of the raw target
            Initializer = InitializerKind.Normal, InitializerScale = 1e-6f, Convergence = ConvergenceCriterion.None,
        }).Fit(data));
        AssertUsable(error, data);
        Assert.InRange(error.Result.BestEpoch, 20, 40);
        // The loss the message names is the carried model's own error on the training rows.
        double named = double.Parse(Regex.Match(error.Message, @"\(training loss ([^,]+),").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal(named, error.Result.Model.EvaluateRegression(data).Mse, 0.001 * named);
        Assert.True(named < 7, error.Message);
    }

    private static Dataset DataFor(TaskKind task) => task switch
    {
        TaskKind.BinaryClassification => TestData.BreastCancer(),
        TaskKind.MulticlassClassification => TestData.Iris(),
        _ => TestData.NoisySine(200, 0.1, 1),
    };

    private static void AssertUsable(TrainingDivergedException error, Dataset data)
    {
        var result = error.Result;
        Assert.Equal(StopReason.Diverged, result.StopReason);
        float[] outputs = result.Model.PredictBatch(data);
        int nonFinite = outputs.Count(v => !float.IsFinite(v));
        Assert.True(nonFinite == 0, $"{nonFinite} of {outputs.Length} outputs are not finite. {error.Message}");
        Assert.Contains(result.BestEpoch == 0 ? "initial weights" : $"weights of epoch {result.BestEpoch}", error.Message);
        Assert.True(result.BestEpoch <= result.EpochsCompleted);
    }
}

using MLNetNN.Activations;
using MLNetNN.Data;
using MLNetNN.Optimizers;
using MLNetNN.Schedules;
using MLNetNN.Training;
using Xunit;

namespace MLNetNN.Tests.Training;

public class TrainerBehaviourTests
{
    private static NeuralNetworkOptions Small => new()
    {
        HiddenLayers = [16], Epochs = 30, BatchSize = 16, Seed = 11, LearningRate = 0.01f, Convergence = ConvergenceCriterion.None,
    };

    [Fact]
    public void SameSeedGivesBitIdenticalWeights()
    {
        var a = Trainers.MulticlassClassification(Small).Fit(TestData.Iris());
        var b = Trainers.MulticlassClassification(Small).Fit(TestData.Iris());
        Assert.Equal(a.Model.Network.Parameters, b.Model.Network.Parameters);
        var c = Trainers.MulticlassClassification(Small with { Seed = 12 }).Fit(TestData.Iris());
        Assert.NotEqual(a.Model.Network.Parameters, c.Model.Network.Parameters);
    }

    [Fact]
    public void ThreadCountDoesNotChangeTheWeights()
    {
        var data = TestData.Digits();
        var options = Small with { HiddenLayers = [64, 32], Epochs = 3, BatchSize = 128 };
        var one = Trainers.MulticlassClassification(options with { Threads = 1 }).Fit(data);
        var two = Trainers.MulticlassClassification(options with { Threads = 2 }).Fit(data);
        Assert.Equal(one.Model.Network.Parameters, two.Model.Network.Parameters);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void BatchesReadWhereTheyLieTrainExactlyLikeCopiedBatches(int threads)
    {
        // Fit(Dataset) lets the first layer read each shuffled batch in the data set; a source that copies every batch first
        // must give the same weights to the last bit, with and without example weights.
        var digits = TestData.Digits();
        var weighted = new Dataset(digits.Features, digits.Rows, digits.Columns, digits.Labels, 1,
            Enumerable.Range(0, digits.Rows).Select(i => 1f + i % 3).ToArray(), digits.FeatureNames, digits.ClassNames);
        foreach (var data in new[] { digits, weighted })
        {
            var options = Small with { HiddenLayers = [64], Epochs = 2, BatchSize = 100, Threads = threads, Scaling = ScalingKind.None };
            var inPlace = Trainers.MulticlassClassification(options).Fit(data);
            var copied = Trainers.MulticlassClassification(options).Fit(new CopyingSource(new DatasetBatchSource(data)), null, TrainingDataInfo.From(data));
            Assert.Equal(copied.Model.Network.Parameters, inPlace.Model.Network.Parameters);
        }
    }

    [Fact]
    public void UnseededRunReportsTheSeedThatRepeatsIt()
    {
        var first = Trainers.MulticlassClassification(Small with { Seed = null }).Fit(TestData.Iris());
        var again = Trainers.MulticlassClassification(Small with { Seed = first.Seed }).Fit(TestData.Iris());
        Assert.Equal(first.Model.Network.Parameters, again.Model.Network.Parameters);
    }

    [Fact]
    public void HistoryHasOneRecordPerEpochWithValidationFigures()
    {
        var progress = new List<EpochRecord>();
        var result = Trainers.MulticlassClassification(Small with { ValidationFraction = 0.2f })
            .Fit(TestData.Iris(), progress: new SynchronousProgress<EpochRecord>(progress.Add));
        Assert.Equal(30, result.History.Count);
        Assert.Equal(result.History, progress);
        Assert.All(result.History, r => Assert.True(r.ValidationLoss is > 0 && r.ValidationMetric is >= 0 and <= 1 && r.LearningRate == 0.01f));
        Assert.Equal(Enumerable.Range(1, 30), result.History.Select(r => r.Epoch));
        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss);
    }

    [Fact]
    public void TrainingFiguresCanBeMeasuredAfterEachEpochOnTheWholeTrainingSet()
    {
        var iris = TestData.Iris();
        var running = Trainers.MulticlassClassification(Small).Fit(iris);
        var measured = Trainers.MulticlassClassification(Small with { MeasureTrainingSetAfterEpoch = true }).Fit(iris);
        // The extra pass reads the data only: the weights are the same as without it.
        Assert.Equal(running.Model.Network.Parameters, measured.Model.Network.Parameters);
        var final = measured.Model.EvaluateClassification(iris);
        Assert.Equal(final.Accuracy, measured.History[^1].TrainMetric, 10);
        Assert.Equal(final.LogLoss, measured.History[^1].TrainLoss, 4);
        Assert.NotEqual(running.History[^1].TrainLoss, measured.History[^1].TrainLoss);
    }

    [Fact]
    public void EarlyStoppingStopsAndRestoresTheBestEpoch()
    {
        // A big network on few noisy rows overfits: validation loss turns up, and training must stop and go back.
        var data = TestData.TwoMoons(120, 0.35, seed: 4);
        var result = Trainers.BinaryClassification(new NeuralNetworkOptions
        {
            HiddenLayers = [256, 256], LearningRate = 0.01f, Epochs = 500, BatchSize = 8, Seed = 5,
            EarlyStopping = true, ValidationFraction = 0.3f, Patience = 15,
        }).Fit(data);
        Assert.Equal(StopReason.EarlyStopping, result.StopReason);
        Assert.True(result.EpochsCompleted < 500);
        var best = result.History.MinBy(r => r.ValidationLoss)!;
        Assert.Equal(best.Epoch, result.BestEpoch);
        Assert.Equal(result.BestEpoch + 15, result.EpochsCompleted);
        Assert.Contains($"restored epoch {best.Epoch}", result.Message);
    }

    [Fact]
    public void RestoredWeightsReproduceTheBestValidationLoss()
    {
        var data = TestData.Iris();
        var (train, validation) = DataSplit.TrainTestSplit(data, 0.3, 1, stratify: true);
        var result = Trainers.MulticlassClassification(Small with { Epochs = 60, EarlyStopping = true, Patience = 5, Scaling = ScalingKind.None })
            .Fit(train, validation);
        double best = result.History.Min(r => r.ValidationLoss!.Value);
        double logLoss = result.Model.EvaluateClassification(validation).LogLoss;
        Assert.Equal(best, logLoss, 4);
    }

    [Fact]
    public void CancellationKeepsAUsableModel()
    {
        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress<EpochRecord>(r => { if (r.Epoch == 5) cts.Cancel(); });
        var result = Trainers.MulticlassClassification(Small with { Epochs = 1000 }).Fit(TestData.Iris(), null, progress, cts.Token);
        Assert.Equal(StopReason.Cancelled, result.StopReason);
        Assert.Equal(5, result.EpochsCompleted);
        Assert.True(result.Model.EvaluateClassification(TestData.Iris()).Accuracy > 0.6);
    }

    [Fact]
    public void DivergenceRaisesAClearErrorAndKeepsTheLastGoodWeights()
    {
        var data = TestData.NoisySine(50, 0.1, 1);
        var trainer = Trainers.Regression(new NeuralNetworkOptions
        {
            HiddenLayers = [8], HiddenActivation = ActivationKind.Identity, Optimizer = OptimizerKind.Sgd, LearningRate = 50f, Epochs = 100, Seed = 1, Scaling = ScalingKind.None, BatchSize = 50,
        });
        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(data));
        Assert.Contains("Lower the learning rate", error.Message);
        Assert.Equal(StopReason.Diverged, error.Result.StopReason);
        Assert.All(error.Result.Model.Network.Parameters, p => Assert.True(float.IsFinite(p)));
    }

    [Fact]
    public void ParameterChangeConvergenceStopsFullBatchGradientDescent()
    {
        // L2 makes logistic regression strictly convex, so full-batch steps shrink geometrically and the test terminates.
        var result = Trainers.BinaryClassification(new NeuralNetworkOptions
        {
            HiddenLayers = [], Optimizer = OptimizerKind.GradientDescent, LearningRate = 0.1f, Epochs = 20000, Seed = 0, L2 = 0.01f,
            Convergence = ConvergenceCriterion.ParameterChange, Tolerance = 5e-5,
        }).Fit(TestData.BreastCancer());
        Assert.True(result.EpochsCompleted < 20000);
        Assert.Equal(StopReason.Converged, result.StopReason);
        Assert.Contains("‖θ − θ_prev‖", result.Message);
        Assert.True(result.Model.EvaluateClassification(TestData.BreastCancer()).Accuracy > 0.97);
    }

    [Fact]
    public void FullBatchGradientDescentTakesOneStepPerEpochWhateverTheChunkSize()
    {
        // The full-batch gradient is summed over chunks of BatchSize rows; the chunking must not change the result.
        var options = new NeuralNetworkOptions { Task = TaskKind.MulticlassClassification, HiddenLayers = [5], Optimizer = OptimizerKind.GradientDescent,
            LearningRate = 0.5f, Epochs = 20, Seed = 3, Convergence = ConvergenceCriterion.None, Threads = 1 };
        var whole = new NeuralNetworkTrainer(options with { BatchSize = 1000 }).Fit(TestData.Iris());
        var chunked = new NeuralNetworkTrainer(options with { BatchSize = 7 }).Fit(TestData.Iris());
        var a = whole.Model.Network.Parameters;
        var b = chunked.Model.Network.Parameters;
        for (int i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i], 4);
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd, 0f, false)]
    [InlineData(OptimizerKind.Sgd, 0.9f, false)]
    [InlineData(OptimizerKind.Sgd, 0.9f, true)]
    [InlineData(OptimizerKind.Adam, 0f, false)]
    [InlineData(OptimizerKind.AdamW, 0f, false)]
    [InlineData(OptimizerKind.RMSProp, 0f, false)]
    public void EveryOptimizerLearnsIris(OptimizerKind optimizer, float momentum, bool nesterov)
    {
        var result = Trainers.MulticlassClassification(Small with
        {
            Optimizer = optimizer, Momentum = momentum, Nesterov = nesterov, Epochs = 100,
            LearningRate = optimizer == OptimizerKind.Sgd ? 0.05f : 0.01f,
        }).Fit(TestData.Iris());
        Assert.True(result.Model.EvaluateClassification(TestData.Iris()).Accuracy >= 0.95, $"{optimizer}");
    }

    [Theory]
    [InlineData(LearningRateScheduleKind.StepDecay)]
    [InlineData(LearningRateScheduleKind.InverseScaling)]
    public void SchedulesLowerTheLearningRateOverTraining(LearningRateScheduleKind schedule)
    {
        var result = Trainers.MulticlassClassification(Small with { Schedule = schedule, Epochs = 40, DecayEveryEpochs = 10, LearningRate = 0.1f, PowerT = 0.25f })
            .Fit(TestData.Iris());
        Assert.True(result.History[^1].LearningRate < result.History[0].LearningRate, $"{schedule}: {result.History[0].LearningRate} → {result.History[^1].LearningRate}");
        Assert.True(result.Model.EvaluateClassification(TestData.Iris()).Accuracy > 0.9);
    }

    [Fact]
    public void L2AndL1ShrinkTheWeightsButNotTheBiases()
    {
        var plain = Trainers.MulticlassClassification(Small with { Epochs = 100 }).Fit(TestData.Iris()).Model.Network;
        var l2 = Trainers.MulticlassClassification(Small with { Epochs = 100, L2 = 0.1f }).Fit(TestData.Iris()).Model.Network;
        var l1 = Trainers.MulticlassClassification(Small with { Epochs = 100, L1 = 0.01f }).Fit(TestData.Iris()).Model.Network;
        static double WeightNorm(MLNetNN.Networks.NeuralNetwork n) => Enumerable.Range(0, n.Layers.Count).Sum(l => n.Weights(l).ToArray().Sum(w => (double)w * w));
        static double L1Norm(MLNetNN.Networks.NeuralNetwork n) => Enumerable.Range(0, n.Layers.Count).Sum(l => n.Weights(l).ToArray().Sum(w => Math.Abs((double)w)));
        Assert.True(WeightNorm(l2) < 0.7 * WeightNorm(plain), $"L2: {WeightNorm(l2)} vs {WeightNorm(plain)}");
        Assert.True(L1Norm(l1) < 0.7 * L1Norm(plain), $"L1: {L1Norm(l1)} vs {L1Norm(plain)}");
    }

    [Fact]
    public void SettingsTheOptimiserDoesNotUseAreNamedForTheFrontEndsToWarn()
    {
        // Accepted, as scikit-learn accepts momentum with its Adam solver, but listed so that no front end ignores it in silence.
        var adam = new NeuralNetworkOptions { Momentum = 0.9f };
        adam.Validate();
        Assert.Equal(["Momentum 0.9 applies only to the Sgd and GradientDescent optimisers; Adam ignores it."], Warnings(adam));
        Assert.Equal([new IgnoredSetting("Momentum", 0.9f, "applies only to the Sgd and GradientDescent optimisers; Adam ignores it.")], adam.IgnoredSettings());
        Assert.Equal(["Momentum 0.5 applies only to the Sgd and GradientDescent optimisers; RMSProp ignores it.", "Nesterov applies only to the Sgd and GradientDescent optimisers; RMSProp ignores it."],
            Warnings(new NeuralNetworkOptions { Optimizer = OptimizerKind.RMSProp, Momentum = 0.5f, Nesterov = true }));
        Assert.Empty(new NeuralNetworkOptions { Optimizer = OptimizerKind.Sgd, Momentum = 0.9f, Nesterov = true }.IgnoredSettings());
        Assert.Empty(new NeuralNetworkOptions { Optimizer = OptimizerKind.GradientDescent, Momentum = 0.9f }.IgnoredSettings());
        Assert.Empty(new NeuralNetworkOptions().IgnoredSettings());
    }

    [Fact]
    public void EveryOptimiserAndScheduleSettingIsNamedWhereItIsIgnoredAndOnlyThere()
    {
        // β, ε, weight decay and ρ belong to their optimisers; L-BFGS has no learning rate or schedule; each schedule has its own settings.
        Assert.Equal(["Beta1 0.8 applies only to the Adam and AdamW optimisers; Sgd ignores it.", "Beta2 0.99 applies only to the Adam and AdamW optimisers; Sgd ignores it.",
            "Epsilon 1E-06 applies only to the Adam, AdamW and RMSProp optimisers; Sgd ignores it."],
            Warnings(new NeuralNetworkOptions { Optimizer = OptimizerKind.Sgd, Beta1 = 0.8f, Beta2 = 0.99f, Epsilon = 1e-6f }));
        Assert.Empty(new NeuralNetworkOptions { Optimizer = OptimizerKind.AdamW, Beta1 = 0.8f, Beta2 = 0.99f, Epsilon = 1e-6f, WeightDecay = 0.1f }.IgnoredSettings());
        Assert.Empty(new NeuralNetworkOptions { Optimizer = OptimizerKind.RMSProp, Epsilon = 1e-6f, Rho = 0.95f }.IgnoredSettings());
        Assert.Equal(["WeightDecay 0.1 applies only to the AdamW optimiser; Adam ignores it.", "Rho 0.95 applies only to the RMSProp optimiser; Adam ignores it."],
            Warnings(new NeuralNetworkOptions { WeightDecay = 0.1f, Rho = 0.95f }));
        Assert.Equal(["LearningRate 0.01 does not apply to the Lbfgs optimiser, whose line search chooses every step.",
            "Schedule StepDecay does not apply to the Lbfgs optimiser, whose line search chooses every step.",
            "DecayEveryEpochs 3 does not apply to the Lbfgs optimiser, whose line search chooses every step."],
            Warnings(new NeuralNetworkOptions { Optimizer = OptimizerKind.Lbfgs, LearningRate = 0.01f, Schedule = LearningRateScheduleKind.StepDecay, DecayEveryEpochs = 3 }));
        Assert.Equal(["DecayEveryEpochs 3 applies only to the StepDecay schedule; Constant ignores it.",
            "DecayFactor 0.1 applies only to the StepDecay and ReduceOnPlateau schedules; Constant ignores it.",
            "PowerT 0.25 applies only to the InverseScaling schedule; Constant ignores it.",
            "PlateauPatience 2 applies only to the ReduceOnPlateau schedule; Constant ignores it.",
            "MinimumLearningRate 1E-05 applies only to the ReduceOnPlateau schedule; Constant ignores it."],
            Warnings(new NeuralNetworkOptions { DecayEveryEpochs = 3, DecayFactor = 0.1f, PowerT = 0.25f, PlateauPatience = 2, MinimumLearningRate = 1e-5f }));
        Assert.Equal(["DecayEveryEpochs 3 applies only to the StepDecay schedule; ReduceOnPlateau ignores it.", "PowerT 0.25 applies only to the InverseScaling schedule; ReduceOnPlateau ignores it."],
            Warnings(new NeuralNetworkOptions { Schedule = LearningRateScheduleKind.ReduceOnPlateau, DecayEveryEpochs = 3, DecayFactor = 0.1f, PowerT = 0.25f, PlateauPatience = 2, MinimumLearningRate = 1e-5f }));
        Assert.Empty(new NeuralNetworkOptions { Schedule = LearningRateScheduleKind.StepDecay, DecayEveryEpochs = 3, DecayFactor = 0.1f }.IgnoredSettings());
        Assert.Empty(new NeuralNetworkOptions { Schedule = LearningRateScheduleKind.InverseScaling, PowerT = 0.25f }.IgnoredSettings());
        // Each optimiser and schedule left at its defaults is told of nothing.
        foreach (var optimizer in Enum.GetValues<OptimizerKind>())
            foreach (var schedule in Enum.GetValues<LearningRateScheduleKind>())
                Assert.Empty(new NeuralNetworkOptions { Optimizer = optimizer, Schedule = optimizer == OptimizerKind.Lbfgs ? Defaults.Schedule : schedule }.IgnoredSettings());
        // Every setting named is an option by that name, so a front end can map it to its own spelling.
        var names = new NeuralNetworkOptions { Optimizer = OptimizerKind.Lbfgs, Momentum = 1, Nesterov = true, Beta1 = 0.5f, Beta2 = 0.5f, Epsilon = 1, WeightDecay = 1, Rho = 0.5f,
            LearningRate = 1, Schedule = LearningRateScheduleKind.StepDecay, DecayEveryEpochs = 1, DecayFactor = 0.1f, PowerT = 1, PlateauPatience = 1, MinimumLearningRate = 1 }
            .IgnoredSettings().Select(s => s.Option).ToArray();
        Assert.Equal(14, names.Length);
        Assert.All(names, name => Assert.NotNull(typeof(NeuralNetworkOptions).GetProperty(name)));
    }

    [Fact]
    public void IgnoredSettingsPrintTheirValuesAlikeInEveryCulture()
    {
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.Equal(["Momentum 0.9 applies only to the Sgd and GradientDescent optimisers; Adam ignores it."], Warnings(new NeuralNetworkOptions { Momentum = 0.9f }));
            Assert.Equal("-Momentum 0.9 applies only to the Sgd and GradientDescent optimisers; Adam ignores it.", new NeuralNetworkOptions { Momentum = 0.9f }.IgnoredSettings()[0].Describe("-Momentum"));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }
    }

    private static string[] Warnings(NeuralNetworkOptions options) => options.IgnoredSettings().Select(s => s.ToString()).ToArray();

    [Fact]
    public void BadSettingsAreNamed()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new NeuralNetworkTrainer(new NeuralNetworkOptions { LearningRate = -1 }));
        Assert.Contains("LearningRate", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new NeuralNetworkTrainer(new NeuralNetworkOptions { HiddenActivation = ActivationKind.Step }));
        Assert.Contains("PerceptronTrainer", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new NeuralNetworkTrainer(new NeuralNetworkOptions { Momentum = 1.5f, Optimizer = OptimizerKind.Sgd }));
        var wrongTask = Assert.Throws<ArgumentException>(() => Trainers.BinaryClassification().Fit(TestData.Iris()));
        Assert.Contains("exactly two classes", wrongTask.Message);
    }

    [Fact]
    public void PerceptronSeparatesSetosaFromTheRest()
    {
        var iris = TestData.Iris();
        var labels = iris.Labels.Select(l => l == 0 ? 1f : 0f).ToArray();
        var twoFeatures = new float[iris.Rows * 2];
        for (int r = 0; r < iris.Rows; r++) { twoFeatures[2 * r] = iris.Row(r)[0]; twoFeatures[2 * r + 1] = iris.Row(r)[1]; }
        var data = new Dataset(twoFeatures, iris.Rows, 2, labels, classNames: ["other", "setosa"]);
        var result = Trainers.Perceptron(learningRate: 0.1f, epochs: 1000).Fit(data);
        Assert.Equal(StopReason.Converged, result.StopReason);
        Assert.Equal(1.0, result.Model.EvaluateClassification(data).Accuracy);
    }

    /// <summary>Progress that runs its callback on the reporting thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    /// <summary>Hands out the inner source's batches with their features copied, as a source streaming from elsewhere does.</summary>
    internal sealed class CopyingSource(IBatchSource inner) : IBatchSource
    {
        public int FeatureCount => inner.FeatureCount;

        public int LabelWidth => inner.LabelWidth;

        public IBatchCursor Open(int? shuffleSeed) => new Cursor(inner.Open(shuffleSeed));

        private sealed class Cursor(IBatchCursor cursor) : IBatchCursor
        {
            private MiniBatch? _own;

            public bool Next(MiniBatch batch)
            {
                _own ??= new MiniBatch(batch.Capacity, batch.FeatureCount, batch.LabelWidth);
                if (!cursor.Next(_own)) return false;
                _own.Features.AsSpan(0, _own.Rows * _own.FeatureCount).CopyTo(batch.Features);
                _own.Labels.AsSpan(0, _own.Rows * _own.LabelWidth).CopyTo(batch.Labels);
                _own.Weights.AsSpan(0, _own.Rows).CopyTo(batch.Weights);
                batch.HasWeights = _own.HasWeights;
                batch.Rows = _own.Rows;
                return true;
            }

            public void Dispose() => cursor.Dispose();
        }
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}

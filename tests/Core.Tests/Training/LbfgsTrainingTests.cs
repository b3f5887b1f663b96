using MLNetNN.Activations;
using MLNetNN.Data;
using MLNetNN.Initialization;
using MLNetNN.Losses;
using MLNetNN.ModelSelection;
using MLNetNN.Networks;
using MLNetNN.Optimizers;
using MLNetNN.Tests.Optimizers;
using MLNetNN.Training;
using Xunit;

namespace MLNetNN.Tests.Training;

/// <summary>
/// Training with <see cref="OptimizerKind.Lbfgs"/>: the full-batch objective it minimises is gradient-checked, it reaches a
/// known minimum through the whole trainer, matches scikit-learn's <c>solver='lbfgs'</c> on real data, and keeps the trainer's
/// promises (limits, validation, early stopping, cancellation, determinism, clear refusals).
/// </summary>
public class LbfgsTrainingTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_full_batch_objective_matches_finite_differences(bool weighted)
    {
        // 13 rows in chunks of 5 (the last one short), so the sum over chunks and the division by the total weight are checked.
        const int rows = 13, inputs = 3, classes = 3;
        var random = new Random(weighted ? 5 : 4);
        var features = Enumerable.Range(0, rows * inputs).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        var labels = Enumerable.Range(0, rows).Select(_ => (float)random.Next(classes)).ToArray();
        float[]? weights = weighted ? Enumerable.Range(0, rows).Select(_ => (float)(0.2 + random.NextDouble())).ToArray() : null;
        var data = new Dataset(features, rows, inputs, labels, weights: weights, classNames: ["a", "b", "c"]);
        var network = new NeuralNetwork(inputs, [new LayerSpec(4, ActivationKind.Tanh), new LayerSpec(classes, ActivationKind.Softmax)]);
        network.Initialize(InitializerKind.Uniform, random, 0.8f);
        for (int i = 0; i < network.ParameterCount; i++) network.Parameters[i] += (float)(random.NextDouble() - 0.5) * 0.2f;
        var loss = Loss.Create(LossKind.CategoricalCrossEntropy, network.Layers[^1].Activation);
        var objective = new Objective(network, loss, l1: 0f, l2: 0.05f, threads: 1);
        var workspace = new Workspace(network, 5);
        var batch = new MiniBatch(workspace.Input, 5, inputs, 1) { AllowsRowReferences = true };
        var function = new FullBatchObjective(objective, new DatasetBatchSource(data), workspace, batch, new MetricAccumulator(TaskKind.MulticlassClassification, 1), targets: null, classWeights: null);

        var theta = (float[])network.Parameters.Clone();
        var analytic = new float[theta.Length];
        double value = function.ValueAndGradient(theta, analytic);
        // The value is J(θ) = Σwℓ/Σw + (λ₂/2)‖W‖², computed here from per-row losses in one batch.
        Assert.Equal(ReferenceObjective(network, loss, data, 0.05f), value, 1e-6);

        var scratch = new float[theta.Length];
        const float h = 1e-3f;
        for (int p = 0; p < theta.Length; p++)
        {
            float saved = theta[p];
            theta[p] = saved + h;
            double plus = function.ValueAndGradient(theta, scratch);
            theta[p] = saved - h;
            double minus = function.ValueAndGradient(theta, scratch);
            theta[p] = saved;
            double numeric = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(numeric - analytic[p]) <= 2e-3 + 2e-2 * Math.Abs(numeric), $"parameter {p}: analytic {analytic[p]:G6}, finite difference {numeric:G6}");
        }
    }

    /// <summary>J over all rows as one batch, with the penalty added by hand.</summary>
    private static double ReferenceObjective(NeuralNetwork network, Loss loss, Dataset data, float l2)
    {
        var workspace = new Workspace(network, data.Rows);
        var batch = new MiniBatch(workspace.Input, data.Rows, data.Columns, 1);
        data.Features.CopyTo(batch.Features, 0);
        data.Labels.CopyTo(batch.Labels, 0);
        batch.Rows = data.Rows;
        if (data.Weights is not null) { data.Weights.CopyTo(batch.Weights, 0); batch.HasWeights = true; }
        double sum = new Objective(network, loss, 0f, 0f, 1).LossOnly(workspace, batch);
        double totalWeight = data.Weights?.Sum(w => (double)w) ?? data.Rows;
        double squares = network.Layout.WeightSegments.Sum(s => network.Parameters.Skip(s.Offset).Take(s.Length).Sum(w => (double)w * w));
        return sum / totalWeight + 0.5 * l2 * squares;
    }

    [Fact]
    public void Logistic_regression_through_the_trainer_reaches_the_scipy_minimum_within_1e_minus_5()
    {
        // No hidden layer and a sigmoid output is logistic regression; standardised features and λ₂ = 0.01 on the weights only
        // are the objective tests/Core.Tests/reference/lbfgs_logistic.py minimised.
        var result = Trainers.BinaryClassification(new NeuralNetworkOptions
        {
            HiddenLayers = [], Optimizer = OptimizerKind.Lbfgs, L2 = 0.01f, Tolerance = 1e-6, Epochs = 1000, Seed = 0,
        }).Fit(TestData.BreastCancer());
        double reached = result.History[^1].TrainLoss;
        Assert.True(Math.Abs(reached - LbfgsTests.BreastCancerLogisticMinimum) <= 1e-5,
            $"reached {reached:R}; scipy's minimum is {LbfgsTests.BreastCancerLogisticMinimum:R}. {result.Message}");
        Assert.Equal(StopReason.Converged, result.StopReason);
        Assert.Equal(result.History.Count, result.BestEpoch);
        // The loss never rises from one iteration to the next: every step passed the sufficient-decrease test.
        for (int i = 1; i < result.History.Count; i++) Assert.True(result.History[i].TrainLoss <= result.History[i - 1].TrainLoss);
    }

    // scikit-learn 1.2.1 MLPClassifier(hidden_layer_sizes=(100,), activation='relu', solver='lbfgs'), StandardScaler in each fold,
    // shuffled stratified 5-fold CV averaged over 5 seeds: tests/Core.Tests/reference/sklearn_cv.py examples/data lbfgs printed these.
    [Theory]
    [InlineData("iris", 0.9400)]
    [InlineData("breast_cancer", 0.9729)]
    public void Cross_validated_accuracy_is_within_one_point_of_scikit_learns_lbfgs(string dataset, double sklearnAccuracy)
    {
        var data = dataset == "iris" ? TestData.Iris() : TestData.BreastCancer();
        var options = new NeuralNetworkOptions
        {
            Task = data.ClassCount == 2 ? TaskKind.BinaryClassification : TaskKind.MulticlassClassification,
            HiddenLayers = [100], HiddenActivation = ActivationKind.ReLU, Optimizer = OptimizerKind.Lbfgs, Epochs = 200,
            // scikit-learn's alpha = 1e-4 on the summed loss over a fold's training rows (four fifths of the data).
            L2 = 1e-4f / (0.8f * data.Rows),
        };
        var runs = Enumerable.Range(0, 3).Select(seed => CrossValidation.Run(options with { Seed = seed }, data, folds: 5, seed: seed)).ToArray();
        double mean = runs.Average(cv => cv.Mean);
        Assert.True(mean >= sklearnAccuracy - 0.01, $"{dataset}: mean {mean:F4} ({string.Join("; ", runs.Select(r => r.ToString()))}); scikit-learn {sklearnAccuracy:F4}");
    }

    [Fact]
    public void Regression_fits_a_noisy_sine()
    {
        var data = TestData.NoisySine(100, 0.1, seed: 5);
        var result = Trainers.Regression(new NeuralNetworkOptions
        {
            HiddenLayers = [16], HiddenActivation = ActivationKind.Tanh, Optimizer = OptimizerKind.Lbfgs, Epochs = 300, Seed = 2,
        }).Fit(data);
        Assert.True(result.Model.EvaluateRegression(data).R2 >= 0.95, result.Message);
    }

    [Fact]
    public void Epochs_limit_the_iterations_and_every_iteration_is_recorded()
    {
        var reports = new List<EpochRecord>();
        var result = Trainers.BinaryClassification(new NeuralNetworkOptions
        {
            HiddenLayers = [8], Optimizer = OptimizerKind.Lbfgs, Epochs = 7, Seed = 1, Convergence = ConvergenceCriterion.None,
        }).Fit(TestData.TwoMoons(200, 0.2, 3), progress: new SynchronousProgress<EpochRecord>(reports.Add));
        Assert.Equal(StopReason.MaxEpochs, result.StopReason);
        Assert.Equal(Enumerable.Range(1, 7), result.History.Select(r => r.Epoch));
        Assert.Equal(result.History, reports);
        Assert.All(result.History, r => Assert.True(r.LearningRate > 0f, "an epoch's learning rate is the accepted step length"));
    }

    [Fact]
    public void The_limit_on_passes_over_the_data_is_respected()
    {
        var data = TestData.TwoMoons(200, 0.2, 3);
        var source = new CountingSource(new DatasetBatchSource(data));
        var info = TrainingDataInfo.From(data, scaler: null);
        var result = new NeuralNetworkTrainer(new NeuralNetworkOptions
        {
            Task = TaskKind.BinaryClassification, HiddenLayers = [8], Optimizer = OptimizerKind.Lbfgs, MaxFunctionEvaluations = 12, Seed = 1,
            Convergence = ConvergenceCriterion.None,
        }).Fit(source, null, info);
        Assert.Equal(StopReason.MaxEpochs, result.StopReason);
        Assert.Contains("MaxFunctionEvaluations", result.Message);
        Assert.InRange(source.Opened, 2, 12);
    }

    [Fact]
    public void Early_stopping_restores_the_epoch_with_the_lowest_validation_loss()
    {
        // Few noisy rows and many units: L-BFGS drives the training loss down until the validation loss turns up.
        var data = TestData.TwoMoons(80, 0.35, 9);
        var options = new NeuralNetworkOptions
        {
            Task = TaskKind.BinaryClassification, HiddenLayers = [64], Optimizer = OptimizerKind.Lbfgs, Epochs = 500, Seed = 4,
            EarlyStopping = true, Patience = 5, ValidationFraction = 0.3f,
        };
        var result = new NeuralNetworkTrainer(options).Fit(data);
        Assert.Equal(StopReason.EarlyStopping, result.StopReason);
        var lowest = result.History.MinBy(r => r.ValidationLoss)!;
        Assert.Equal(lowest.Epoch, result.BestEpoch);
        Assert.Equal(result.BestEpoch + options.Patience, result.History.Count);
    }

    [Fact]
    public void Cancellation_keeps_the_weights_of_the_last_iteration()
    {
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress<EpochRecord>(r => { if (r.Epoch == 3) cancel.Cancel(); });
        var data = TestData.TwoMoons(200, 0.2, 3);
        var result = Trainers.BinaryClassification(new NeuralNetworkOptions { HiddenLayers = [8], Optimizer = OptimizerKind.Lbfgs, Seed = 1, Scaling = ScalingKind.None })
            .Fit(data, progress: progress, cancellationToken: cancel.Token);
        Assert.Equal(StopReason.Cancelled, result.StopReason);
        Assert.Equal(3, result.History.Count);
        Assert.Equal(3, result.BestEpoch);
        // The model holds the third iteration's weights: its loss on the training set is the one recorded then.
        Assert.Equal(result.History[2].TrainLoss, result.Model.EvaluateClassification(data).LogLoss, 1e-5);
    }

    [Fact]
    public void A_loss_that_overflows_at_the_start_is_reported_as_divergence()
    {
        // Targets near 1e30 square past float's range, so J is infinite at the first point and no step can be judged.
        var sine = TestData.NoisySine(50, 0.1, seed: 5);
        var data = new Dataset(sine.Features, sine.Rows, sine.Columns, sine.Labels.Select(v => v * 1e30f).ToArray());
        var trainer = Trainers.Regression(new NeuralNetworkOptions { HiddenLayers = [8], Optimizer = OptimizerKind.Lbfgs, Seed = 1, Scaling = ScalingKind.None, TargetScaling = ScalingKind.None });
        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(data));
        Assert.Equal(StopReason.Diverged, error.Result.StopReason);
        Assert.Empty(error.Result.History);
        Assert.Contains("NaN or infinite", error.Message);
    }

    [Fact]
    public void A_run_that_cannot_lower_the_loss_further_says_it_stopped_short_of_the_tolerance()
    {
        // Unscaled features of 1e37 give a loss near 1e34 whose float rounding hides any further decrease long before the gradient
        // is small: the solver's line search fails, and the message must not pass that off as meeting the tolerance.
        var moons = TestData.TwoMoons(50, 0.2, 3);
        var data = moons.WithFeatures(moons.Features.Select(v => v * 1e37f).ToArray());
        var result = Trainers.BinaryClassification(new NeuralNetworkOptions { HiddenLayers = [8], Optimizer = OptimizerKind.Lbfgs, Seed = 1, Scaling = ScalingKind.None })
            .Fit(data);
        Assert.Equal(StopReason.Converged, result.StopReason);
        Assert.Contains("short of the tolerance", result.Message);
        Assert.True(result.History.Count < result.Model.Options.Epochs);
    }

    [Fact]
    public void The_same_seed_gives_bit_identical_models()
    {
        var options = new NeuralNetworkOptions { Task = TaskKind.MulticlassClassification, HiddenLayers = [10], Optimizer = OptimizerKind.Lbfgs, Epochs = 50, Seed = 7 };
        var first = new NeuralNetworkTrainer(options).Fit(TestData.Iris());
        var second = new NeuralNetworkTrainer(options).Fit(TestData.Iris());
        Assert.Equal(first.Model.Network.Parameters, second.Model.Network.Parameters);
        Assert.Equal(first.History.Select(r => r.TrainLoss), second.History.Select(r => r.TrainLoss));
    }

    // Mean log-loss + 0.01‖w‖₁ on the standardised data, bias free: FISTA and scikit-learn's saga agree on the minimum and on 21 of
    // the 30 weights being exactly zero (tests/Core.Tests/reference/lbfgs_l1.py printed them).
    private const double BreastCancerL1LogisticMinimum = 0.15930738190723942;
    private const int BreastCancerL1LogisticZeroWeights = 21;

    [Fact]
    public void L1_logistic_regression_through_the_trainer_reaches_the_reference_minimum_and_its_zeros()
    {
        var result = Trainers.BinaryClassification(new NeuralNetworkOptions
        {
            HiddenLayers = [], Optimizer = OptimizerKind.Lbfgs, L1 = 0.01f, Tolerance = 1e-6, Epochs = 1000, Seed = 0,
        }).Fit(TestData.BreastCancer());
        double reached = result.History[^1].TrainLoss;
        Assert.True(Math.Abs(reached - BreastCancerL1LogisticMinimum) <= 1e-5, $"reached {reached:R}; the minimum is {BreastCancerL1LogisticMinimum:R}. {result.Message}");
        var network = result.Model.Network;
        var (offset, length) = network.Layout.WeightSegments.Single();
        Assert.Equal(BreastCancerL1LogisticZeroWeights, network.Parameters.Skip(offset).Take(length).Count(w => w == 0f));
    }

    [Fact]
    public void Bad_solver_settings_are_refused_by_name()
    {
        Assert.Equal("LbfgsHistorySize", Assert.Throws<ArgumentOutOfRangeException>(() => new NeuralNetworkOptions { Optimizer = OptimizerKind.Lbfgs, LbfgsHistorySize = 0 }.Validate()).ParamName);
        Assert.Equal("MaxFunctionEvaluations", Assert.Throws<ArgumentOutOfRangeException>(() => new NeuralNetworkOptions { MaxFunctionEvaluations = 0 }.Validate()).ParamName);
        Assert.Throws<InvalidOperationException>(() => new NeuralNetworkOptions { Optimizer = OptimizerKind.Lbfgs }.CreateOptimizer());
    }

    [Fact]
    public void Extra_iterations_cost_no_allocation_per_chunk_of_rows()
    {
        // 5,000 rows in chunks of 5: a thousand chunks per pass, and each iteration makes at least one pass, so one 24-byte object
        // per chunk would add 24 kB an iteration. What remains is per pass (a cursor) and per iteration (its record).
        var data = TestData.TwoMoons(5000, 0.2, 4);
        var options = new NeuralNetworkOptions
        {
            Task = TaskKind.BinaryClassification, HiddenLayers = [16], Optimizer = OptimizerKind.Lbfgs, BatchSize = 5, Seed = 1, Threads = 1,
            Convergence = ConvergenceCriterion.None,
        };
        (long Bytes, int Passes) Allocated(int epochs)
        {
            var source = new CountingSource(new DatasetBatchSource(data));
            var trainer = new NeuralNetworkTrainer(options with { Epochs = epochs });
            var info = TrainingDataInfo.From(data);
            long before = GC.GetAllocatedBytesForCurrentThread();
            trainer.Fit(source, null, info);
            return (GC.GetAllocatedBytesForCurrentThread() - before, source.Opened);
        }
        // The least of three measurements: a one-off allocation on this thread (the runtime's tiered recompilation of a hot
        // method) can fall into any one of them, while an allocation per chunk would be in all three.
        Allocated(6);
        long perPass = long.MaxValue;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var (few, fewPasses) = Allocated(2);
            var (more, morePasses) = Allocated(6);
            perPass = Math.Min(perPass, (more - few) / (morePasses - fewPasses));
        }
        Assert.True(perPass < 2_000, $"each extra pass over the data allocated {perPass} bytes");
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    /// <summary>Counts the passes over a batch source.</summary>
    private sealed class CountingSource(IBatchSource inner) : IBatchSource
    {
        public int Opened { get; private set; }

        public int FeatureCount => inner.FeatureCount;

        public int LabelWidth => inner.LabelWidth;

        public IBatchCursor Open(int? shuffleSeed)
        {
            Opened++;
            return inner.Open(shuffleSeed);
        }
    }
}

using MLNetNN.Activations;
using MLNetNN.Data;
using MLNetNN.PowerShell.Data;
using MLNetNN.PowerShell.Training;
using MLNetNN.Training;

namespace MLNetNN.PowerShell.Tests.Logic;

public class TrainingTests
{
    internal static Dataset Iris()
    {
        var builder = new RowDatasetBuilder("Species", LabelKind.Classification);
        foreach (var row in TestRows.Iris()) builder.Add(row);
        return builder.Build();
    }

    internal static Dataset Blobs()
    {
        var builder = new RowDatasetBuilder("Class", LabelKind.Classification);
        foreach (var row in TestRows.Blobs()) builder.Add(row);
        return builder.Build();
    }

    [Fact]
    public void Auto_task_makes_a_binary_network_for_two_classes_and_multiclass_for_more()
    {
        var spec = NeuralNetSpec.Default();
        Assert.Equal(TaskKind.BinaryClassification, new TrainingSettings().Apply(spec, Blobs()).Task);
        Assert.Equal(TaskKind.MulticlassClassification, new TrainingSettings().Apply(spec, Iris()).Task);
        Assert.Equal(LabelKind.Classification, spec.LabelKind);
        Assert.Equal(LabelKind.Regression, NeuralNetSpec.Default(NeuralNetTask.Regression).LabelKind);
    }

    [Fact]
    public void Run_settings_override_the_spec_and_unset_ones_keep_it()
    {
        var spec = new NeuralNetSpec(NeuralNetTask.Multiclass, new NeuralNetworkOptions { HiddenLayers = [8], Seed = 3, Epochs = 7 });
        var options = new TrainingSettings { BatchSize = 16, ValidationFraction = 0.2f, EarlyStopping = true, Convergence = ConvergenceCriterion.None }
            .Apply(spec, Iris());
        Assert.Equal(7, options.Epochs);
        Assert.Equal(16, options.BatchSize);
        Assert.Equal(0.2f, options.ValidationFraction);
        Assert.True(options.EarlyStopping);
        Assert.Equal(ConvergenceCriterion.None, options.Convergence);
        Assert.Equal(Defaults.Patience, options.Patience);
        Assert.Equal([8], options.HiddenLayers);
        Assert.Equal(3, options.Seed);
    }

    [Fact]
    public void An_out_of_range_setting_is_reported_by_name_before_training()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingSettings { ValidationFraction = 1f }.Apply(NeuralNetSpec.Default(), Iris()));
        Assert.Equal("ValidationFraction", e.ParamName);
        Assert.Equal("LearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new NeuralNetSpec(NeuralNetTask.Auto, new NeuralNetworkOptions { LearningRate = -1 })).ParamName);
        Assert.Equal("HiddenActivation", Assert.Throws<ArgumentOutOfRangeException>(() =>
            new NeuralNetSpec(NeuralNetTask.Auto, new NeuralNetworkOptions { HiddenActivation = ActivationKind.Softmax })).ParamName);
    }

    [Fact]
    public void A_spec_reads_like_the_command_that_made_it()
    {
        var spec = new NeuralNetSpec(NeuralNetTask.Multiclass, new NeuralNetworkOptions { HiddenLayers = [16, 8], LearningRate = 0.01f });
        Assert.Equal("Multiclass 16-8 ReLU, Adam lr 0.01", spec.ToString());
    }

    [Fact]
    public void Training_in_the_background_reports_every_epoch_in_order_to_the_caller()
    {
        var trainer = new NeuralNetworkTrainer(new NeuralNetworkOptions { HiddenLayers = [8], Epochs = 25, Seed = 1, Convergence = ConvergenceCriterion.None });
        using var run = TrainingRun.Start(trainer, Iris());
        int caller = Environment.CurrentManagedThreadId;
        var seen = new List<int>();
        foreach (var group in run.Updates())
        {
            Assert.Equal(caller, Environment.CurrentManagedThreadId);
            seen.AddRange(group.Select(e => e.Epoch));
        }
        var result = run.Result();
        Assert.Equal(Enumerable.Range(1, 25), seen);
        Assert.Equal(StopReason.MaxEpochs, result.StopReason);
        Assert.Equal(25, result.History.Count);
    }

    [Fact]
    public void Training_in_the_background_matches_training_in_the_foreground()
    {
        var options = new NeuralNetworkOptions { HiddenLayers = [8], Epochs = 20, Seed = 5, Threads = 1 };
        using var run = TrainingRun.Start(new NeuralNetworkTrainer(options), Iris());
        foreach (var _ in run.Updates()) { }
        var background = run.Result().Model.Network.Parameters;
        var foreground = new NeuralNetworkTrainer(options).Fit(Iris()).Model.Network.Parameters;
        Assert.Equal(foreground, background);
    }

    [Fact]
    public void Cancelling_from_another_thread_stops_soon_and_keeps_the_best_model_so_far()
    {
        var trainer = new NeuralNetworkTrainer(new NeuralNetworkOptions { HiddenLayers = [16], Epochs = 1_000_000, BatchSize = 8, Seed = 1, Convergence = ConvergenceCriterion.None });
        using var run = TrainingRun.Start(trainer, Iris());
        int epochs = 0;
        foreach (var group in run.Updates())
        {
            epochs += group.Count;
            if (epochs >= 3) break;
        }
        // PowerShell calls StopProcessing on a thread of its own; so does this test.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var stopper = new Thread(run.Cancel);
        stopper.Start();
        stopper.Join();
        var result = run.Result();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"training took {clock.Elapsed} to stop");
        Assert.Equal(StopReason.Cancelled, result.StopReason);
        Assert.InRange(result.History.Count, 3, 999_999);
        Assert.InRange(result.BestEpoch, 1, result.History.Count);
        Assert.Equal(3, result.Model.PredictRow(Iris().Row(0)).Outputs.Length);
    }

    [Fact]
    public void An_engine_error_comes_back_from_the_result_as_thrown()
    {
        var oneClass = new Dataset([1f, 2f], 2, 1, [0f, 0f], classNames: ["only"]);
        using var run = TrainingRun.Start(new NeuralNetworkTrainer(new NeuralNetworkOptions { Task = TaskKind.MulticlassClassification }), oneClass);
        Assert.Empty(run.Updates());
        var e = Assert.Throws<ArgumentException>(() => run.Result());
        Assert.Contains("at least two classes", e.Message);
    }

    [Fact]
    public void Progress_says_loss_validation_metric_and_time_left()
    {
        var record = new EpochRecord(10, 40, 0.5, 0.625, 0.75, 0.8, "accuracy", 0.001f, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        var progress = EpochProgress.For(record);
        Assert.Equal("Epoch 10/40  loss 0.5000  val_loss 0.6250  accuracy 0.7500  val_accuracy 0.8000", progress.Status);
        Assert.Equal(25, progress.PercentComplete);
        Assert.Equal(30, progress.SecondsRemaining);

        var plain = EpochProgress.For(record with { ValidationLoss = null, ValidationMetric = null, Epoch = 40 });
        Assert.Equal("Epoch 40/40  loss 0.5000  accuracy 0.7500", plain.Status);
        Assert.Equal(100, plain.PercentComplete);
        Assert.Equal(0, plain.SecondsRemaining);

        // An epoch without timings (read from a model file) leaves the time unknown, as Write-Progress writes it, rather than 0.
        Assert.Equal(-1, EpochProgress.For(record with { Duration = null, Elapsed = null }).SecondsRemaining);
    }
}

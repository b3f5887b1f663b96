using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNetNN.Training;

namespace MLNetNN.MLNet.Tests;

/// <summary>What reaches the MLContext and what the MLContext reaches: <c>ml.Log</c> messages and <c>CancelExecution</c>.</summary>
public sealed class MLContextChannelTests
{
    /// <summary>Collects <c>ml.Log</c>'s messages from the trainer (ML.NET's own components log too, from several threads).</summary>
    private static List<LoggingEventArgs> Listen(MLContext ml)
    {
        var messages = new List<LoggingEventArgs>();
        ml.Log += (_, e) =>
        {
            if (!e.Source.Contains("NeuralNetwork")) return;
            lock (messages) messages.Add(e);
        };
        return messages;
    }

    /// <summary>ML.NET's internal MLContext.CancelExecution, as AutoML calls it when a trial's time is up.</summary>
    private static void CancelExecution(MLContext ml) =>
        typeof(MLContext).GetMethod("CancelExecution", BindingFlags.Instance | BindingFlags.NonPublic)!.Invoke(ml, null);

    [Fact]
    public void The_host_of_every_catalog_is_found_with_its_cancellation_flag()
    {
        var ml = new MLContext();
        foreach (object catalog in new object[] { ml.BinaryClassification.Trainers, ml.MulticlassClassification.Trainers, ml.Regression.Trainers })
        {
            var host = MLContextHost.Of(catalog);
            Assert.NotNull(host);
            Assert.True(host.CanSeeCancellation);
            Assert.False(host.IsCanceled);
        }
    }

    [Fact]
    public void Skipped_rows_why_training_stopped_and_no_convergence_reach_ml_Log()
    {
        var ml = new MLContext(seed: 1);
        var messages = Listen(ml);
        var rows = TestData.TwoMoons(300, 0.1, 1);
        for (int i = 0; i < 7; i++) rows[i * 10].Features[1] = float.NaN;
        var options = new NeuralNetworkBinaryTrainer.Options { HiddenLayers = [8], Epochs = 3, Convergence = ConvergenceCriterion.LossChange };
        ml.BinaryClassification.Trainers.NeuralNetwork(options).Fit(ml.Data.LoadFromEnumerable(rows));

        Assert.Contains(messages, m => m.Kind == ChannelMessageKind.Warning && m.Message.Contains("Skipped 7 of 300 training rows"));
        Assert.Contains(messages, m => m.Kind == ChannelMessageKind.Info && m.Message.Contains("Trained on 293 rows. Reached the epoch limit (3)."));
        Assert.Contains(messages, m => m.Kind == ChannelMessageKind.Warning && m.Message.Contains("Training did not converge"));
    }

    [Fact]
    public void Momentum_given_to_Adam_is_named_in_a_warning_on_ml_Log()
    {
        var ml = new MLContext(seed: 1);
        var messages = Listen(ml);
        var rows = ml.Data.LoadFromEnumerable(TestData.TwoMoons(100, 0.1, 1));
        ml.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkBinaryTrainer.Options { HiddenLayers = [4], Epochs = 2, Momentum = 0.9f }).Fit(rows);
        Assert.Contains(messages, m => m.Kind == ChannelMessageKind.Warning && m.Message.Contains("Momentum 0.9 applies only to the Sgd and GradientDescent optimisers; Adam ignores it."));

        messages.Clear();
        ml.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkBinaryTrainer.Options
        {
            HiddenLayers = [4], Epochs = 2, Momentum = 0.9f, Optimizer = MLNetNN.Optimizers.OptimizerKind.Sgd, LearningRate = 0.01f,
        }).Fit(rows);
        Assert.DoesNotContain(messages, m => m.Message.Contains("Momentum"));
    }

    [Fact]
    public void Ignored_settings_are_named_as_these_options_spell_them()
    {
        // The engine calls them Schedule and PowerT; an ML.NET user set LearningRateSchedule and InverseScalingPower.
        var ml = new MLContext(seed: 1);
        var messages = Listen(ml);
        var rows = ml.Data.LoadFromEnumerable(TestData.TwoMoons(100, 0.1, 1));
        ml.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkBinaryTrainer.Options
        {
            HiddenLayers = [4], Epochs = 2, Optimizer = MLNetNN.Optimizers.OptimizerKind.Lbfgs, LearningRateSchedule = MLNetNN.Schedules.LearningRateScheduleKind.StepDecay,
        }).Fit(rows);
        Assert.Contains(messages, m => m.Kind == ChannelMessageKind.Warning && m.Message.Contains("LearningRateSchedule StepDecay does not apply to the Lbfgs optimiser"));

        messages.Clear();
        ml.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkBinaryTrainer.Options { HiddenLayers = [4], Epochs = 2, InverseScalingPower = 0.25f }).Fit(rows);
        Assert.Contains(messages, m => m.Kind == ChannelMessageKind.Warning && m.Message.Contains("InverseScalingPower 0.25 applies only to the InverseScaling schedule; Constant ignores it."));
        // Every name a warning can carry is one of these options.
        foreach (var name in new MLNetNN.Training.NeuralNetworkOptions { Optimizer = MLNetNN.Optimizers.OptimizerKind.Lbfgs, Momentum = 1, Nesterov = true, Beta1 = 0.5f, Beta2 = 0.5f,
            Epsilon = 1, WeightDecay = 1, Rho = 0.5f, LearningRate = 1, Schedule = MLNetNN.Schedules.LearningRateScheduleKind.StepDecay, DecayEveryEpochs = 1, DecayFactor = 0.1f,
            PowerT = 1, PlateauPatience = 1, MinimumLearningRate = 1 }.IgnoredSettings().Select(s => NeuralNetworkTrainerBase.OptionsBase.OptionFor(s.Option)))
            Assert.True(typeof(NeuralNetworkBinaryTrainer.Options).GetProperty(name) is not null, $"{name} is no option of the ML.NET trainers");
    }

    [Fact]
    public void A_divergence_reaches_ml_Log_before_its_exception()
    {
        var ml = new MLContext(seed: 1);
        var messages = Listen(ml);
        var options = new NeuralNetworkRegressionTrainer.Options { HiddenLayers = [8], Epochs = 20, LearningRate = 1e4f, Optimizer = MLNetNN.Optimizers.OptimizerKind.Sgd };
        var error = Assert.Throws<TrainingDivergedException>(() => ml.Regression.Trainers.NeuralNetwork(options).Fit(ml.Data.LoadFromEnumerable(TestData.NonLinearRegression(300, 1))));
        Assert.Contains(messages, m => m.Kind == ChannelMessageKind.Warning && m.RawMessage == error.Message);
    }

    [Fact]
    public void CancelExecution_on_the_MLContext_stops_training_as_ML_NET_trainers_stop()
    {
        var ml = new MLContext(seed: 1);
        int epochs = 0;
        var options = new NeuralNetworkBinaryTrainer.Options
        {
            HiddenLayers = [8], Epochs = 1000, Convergence = ConvergenceCriterion.None,
            Progress = new SynchronousProgress(r => { epochs = r.Epoch; if (r.Epoch == 2) CancelExecution(ml); }),
        };
        var trainer = ml.BinaryClassification.Trainers.NeuralNetwork(options);
        // ML.NET's trainers (Host.CheckAlive) throw OperationCanceledException, which AutoML expects from a stopped trial.
        Assert.Throws<OperationCanceledException>(() => trainer.Fit(ml.Data.LoadFromEnumerable(TestData.TwoMoons(500, 0.1, 1))));
        Assert.Equal(2, epochs);
    }

    /// <summary>
    /// Two-moons rows generated on the fly (a view that cannot shuffle): the upper moon's rows all before the lower's when
    /// <paramref name="sorted"/>, else alternating.
    /// </summary>
    private static IEnumerable<PointRow> StreamedMoons(int rows, bool sorted, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < rows; i++)
        {
            bool upper = sorted ? i < rows / 2 : i % 2 == 0;
            double t = Math.PI * random.NextDouble();
            double x = (upper ? Math.Cos(t) : 1 - Math.Cos(t)) + 0.2 * TestData.Gaussian(random);
            double y = (upper ? Math.Sin(t) : 0.5 - Math.Sin(t)) + 0.2 * TestData.Gaussian(random);
            yield return new PointRow { Features = [(float)x, (float)y], Label = !upper };
        }
    }

    [Theory]
    [InlineData(FeatureNormalization.Auto)]
    [InlineData(FeatureNormalization.No)]
    public void Rows_sorted_by_class_in_a_view_that_cannot_shuffle_train_as_well_as_unsorted_rows_and_warn_in_the_first_epoch(FeatureNormalization normalization)
    {
        const int rows = 300_000;
        var ml = new MLContext(seed: 1);
        var test = ml.Data.LoadFromEnumerable(StreamedMoons(20_000, false, 2).ToList());
        (double Accuracy, long Rows, int EarlyWarnings, List<LoggingEventArgs> Messages) Train(bool sorted)
        {
            var messages = Listen(ml);
            var data = ml.Data.LoadFromEnumerable(StreamedMoons(rows, sorted, 1));
            Assert.False(data.CanShuffle);
            int early = -1;
            var options = new NeuralNetworkBinaryTrainer.Options
            {
                HiddenLayers = [16], Epochs = 3, BatchSize = 64, FeatureNormalization = normalization,
                Progress = new SynchronousProgress(r => { if (r.Epoch == 1) lock (messages) early = messages.Count(m => m.RawMessage.Contains("ordered by label")); }),
            };
            var network = ml.BinaryClassification.Trainers.NeuralNetwork(options).Fit(data);
            var accuracy = ml.BinaryClassification.EvaluateNonCalibrated(network.Transform(test)).Accuracy;
            return (accuracy, network.TrainingRows, early, messages);
        }

        var unsorted = Train(false);
        Assert.Equal(0, unsorted.EarlyWarnings);
        var sorted = Train(true);
        Assert.Equal(1, sorted.EarlyWarnings);
        Assert.Equal(rows, sorted.Rows);
        Assert.Single(sorted.Messages, m => m.Kind == ChannelMessageKind.Warning && m.RawMessage.Contains("ml.Data.Cache"));
        Assert.True(unsorted.Accuracy > 0.95, $"unsorted accuracy {unsorted.Accuracy:F3}");
        Assert.True(sorted.Accuracy >= unsorted.Accuracy - 0.01, $"sorted accuracy {sorted.Accuracy:F3} against {unsorted.Accuracy:F3} unsorted");
    }

    [Fact]
    public void Rows_sorted_by_class_in_a_view_that_can_shuffle_are_read_through_its_shuffled_cursor_and_train_as_well_as_unsorted_rows()
    {
        // A shuffle buffer far shorter than a class's run cannot mix the rows; ml.Data.Cache's shuffled cursor can, and is asked
        // for in every epoch, so nothing is watched or spread and no warning is given.
        var ml = new MLContext(seed: 1);
        var test = ml.Data.LoadFromEnumerable(StreamedMoons(5_000, false, 2).ToList());
        (double Accuracy, List<bool> Shuffled, List<LoggingEventArgs> Messages) Train(bool sorted)
        {
            var messages = Listen(ml);
            var data = new CursorRecordingView(ml.Data.Cache(ml.Data.LoadFromEnumerable(StreamedMoons(20_000, sorted, 1).ToList())));
            Assert.True(data.CanShuffle);
            var options = new NeuralNetworkBinaryTrainer.Options { HiddenLayers = [16], Epochs = 3, BatchSize = 64, ShuffleBufferRows = 200 };
            var network = ml.BinaryClassification.Trainers.NeuralNetwork(options).Fit(data);
            return (ml.BinaryClassification.EvaluateNonCalibrated(network.Transform(test)).Accuracy, data.Shuffled, messages);
        }

        var unsorted = Train(false);
        var sorted = Train(true);
        Assert.True(unsorted.Accuracy > 0.85, $"unsorted accuracy {unsorted.Accuracy:F3}");
        Assert.True(sorted.Accuracy >= unsorted.Accuracy - 0.01, $"sorted accuracy {sorted.Accuracy:F3} against {unsorted.Accuracy:F3} unsorted");
        // The standardisation pass reads in stored order; each of the three epochs asks for a shuffled cursor.
        Assert.Equal([false, true, true, true], sorted.Shuffled);
        Assert.DoesNotContain(sorted.Messages, m => m.RawMessage.Contains("ordered by label"));
    }

    /// <summary>A view that can shuffle, recording for each cursor opened whether it was asked to shuffle.</summary>
    private sealed class CursorRecordingView(IDataView inner) : IDataView
    {
        public List<bool> Shuffled { get; } = [];

        public bool CanShuffle => inner.CanShuffle;

        public DataViewSchema Schema => inner.Schema;

        public long? GetRowCount() => inner.GetRowCount();

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        {
            lock (Shuffled) Shuffled.Add(rand is not null);
            return inner.GetRowCursor(columnsNeeded, rand);
        }

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        {
            lock (Shuffled) Shuffled.Add(rand is not null);
            return inner.GetRowCursorSet(columnsNeeded, n, rand);
        }
    }
}

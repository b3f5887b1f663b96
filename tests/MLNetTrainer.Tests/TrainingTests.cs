using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetNN.Activations;
using MLNetNN.Layers;
using MLNetNN.Training;

namespace MLNetNN.MLNet.Tests;

/// <summary>How training reads the data view and what it reports: streaming, missing values, validation, progress, cancellation, seeds.</summary>
public sealed class TrainingTests
{
    [Fact]
    public void Training_streams_the_data_view_once_per_epoch_and_once_to_check_its_order_without_loading_it()
    {
        var ml = new MLContext(seed: 1);
        var counting = new CountingEnumerable(TestData.TwoMoons(3000, 0.1, 1));
        // LoadFromEnumerable over a lazy sequence cannot shuffle itself, so the trainer's bounded shuffle buffer does the mixing.
        var data = ml.Data.LoadFromEnumerable(counting);
        var options = new NeuralNetworkBinaryTrainer.Options
        {
            HiddenLayers = [16], Epochs = 8, BatchSize = 64, LearningRate = 0.01f, ShuffleBufferRows = 256,
            Convergence = ConvergenceCriterion.None, FeatureNormalization = FeatureNormalization.No,
        };
        var model = ml.BinaryClassification.Trainers.NeuralNetwork(options).Fit(data);
        // One pass before training watches the labels' order (the view cannot shuffle, and FeatureNormalization.No has no
        // standardisation pass to do it on the way), then one per epoch.
        Assert.Equal(1 + 8, counting.Enumerations);
        Assert.Equal(3000, model.TrainingRows);
        Assert.True(ml.BinaryClassification.Evaluate(model.Transform(data)).Accuracy > 0.9);
    }

    [Fact]
    public void Lbfgs_streams_the_data_view_once_per_function_evaluation_within_its_limit()
    {
        var ml = new MLContext(seed: 1);
        var counting = new CountingEnumerable(TestData.TwoMoons(1000, 0.1, 1));
        var data = ml.Data.LoadFromEnumerable(counting);
        var options = new NeuralNetworkBinaryTrainer.Options
        {
            HiddenLayers = [16], Optimizer = MLNetNN.Optimizers.OptimizerKind.Lbfgs, LbfgsHistorySize = 5, MaxFunctionEvaluations = 40,
            Epochs = 1000, Convergence = ConvergenceCriterion.None, FeatureNormalization = FeatureNormalization.No,
        };
        var model = ml.BinaryClassification.Trainers.NeuralNetwork(options).Fit(data);
        // One pass that checks whether the rows come sorted by label (the view cannot shuffle), then one per function evaluation.
        Assert.Equal(1 + 40, counting.Enumerations);
        Assert.Equal(5, model.Model.Options.LbfgsHistorySize);
        Assert.True(ml.BinaryClassification.Evaluate(model.Transform(data)).Accuracy > 0.95);
    }

    [Fact]
    public void Automatic_standardisation_adds_one_pass_and_is_stored_in_the_model()
    {
        var ml = new MLContext(seed: 1);
        var counting = new CountingEnumerable(TestData.TwoMoons(500, 0.1, 1).Select(r => new PointRow { Features = [r.Features[0] * 1000, r.Features[1]], Label = r.Label }).ToList());
        var data = ml.Data.LoadFromEnumerable(counting);
        var model = ml.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkBinaryTrainer.Options { HiddenLayers = [16], Epochs = 3, Convergence = ConvergenceCriterion.None }).Fit(data);
        Assert.Equal(4, counting.Enumerations);
        Assert.NotNull(model.Model.Scaler);
        Assert.Equal(ScalingKind.Standardize, model.Model.Options.Scaling);

        var normalized = ml.Transforms.NormalizeMeanVariance("Features", fixZero: false).Fit(data).Transform(data);
        Assert.Null(ml.BinaryClassification.Trainers.NeuralNetwork(hiddenLayers: [4], epochs: 1).Fit(normalized).Model.Scaler);
    }

    [Fact]
    public void Rows_with_missing_features_or_labels_are_skipped_and_counted()
    {
        var ml = new MLContext(seed: 1);
        var rows = TestData.NonLinearRegression(200, 1);
        rows[5].Features[0] = float.NaN;
        rows[17].Label = float.NaN;
        rows[40].Features[2] = float.PositiveInfinity;
        var model = ml.Regression.Trainers.NeuralNetwork(hiddenLayers: [8], epochs: 3).Fit(ml.Data.LoadFromEnumerable(rows));
        Assert.Equal(197, model.TrainingRows);
        Assert.Equal(3, model.SkippedRows);
        Assert.All(model.Model.Network.Parameters, p => Assert.True(float.IsFinite(p)));
    }

    [Fact]
    public void Data_with_no_usable_rows_fails_with_mlnets_message()
    {
        var ml = new MLContext(seed: 1);
        var rows = TestData.NonLinearRegression(5, 1);
        foreach (var row in rows) row.Label = float.NaN;
        var e = Assert.Throws<InvalidOperationException>(() => ml.Regression.Trainers.NeuralNetwork(epochs: 1).Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.StartsWith("Training set has 0 instances, aborting training", e.Message);
        Assert.Contains("5 rows", e.Message);
    }

    [Fact]
    public void Early_stopping_on_a_validation_data_view_restores_the_best_epoch_and_reports_progress()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(TestData.TwoMoons(300, 0.3, 1));
        var validation = ml.Data.LoadFromEnumerable(TestData.TwoMoons(300, 0.3, 2));
        var records = new List<EpochRecord>();
        var options = new NeuralNetworkBinaryTrainer.Options
        {
            HiddenLayers = [64, 64], Epochs = 400, BatchSize = 16, LearningRate = 0.01f, EarlyStopping = true, Patience = 5,
            Progress = new SynchronousProgress(records.Add),
        };
        var model = ml.BinaryClassification.Trainers.NeuralNetwork(options).Fit(train, validation);
        Assert.Equal(StopReason.EarlyStopping, model.StopReason);
        Assert.True(records.Count < 400);
        Assert.Equal(records.Count, model.Model.History.Count);
        Assert.All(records, r => Assert.NotNull(r.ValidationLoss));
        Assert.Contains("restored epoch", model.TrainingMessage);
    }

    [Fact]
    public void A_validation_fraction_holds_out_rows_by_their_id()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(TestData.TwoMoons(1000, 0.1, 1));
        var model = ml.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkBinaryTrainer.Options { HiddenLayers = [8], Epochs = 3, ValidationFraction = 0.2f }).Fit(data);
        Assert.InRange(model.TrainingRows, 740, 860);
        Assert.All(model.Model.History, r => Assert.NotNull(r.ValidationLoss));
    }

    [Fact]
    public void Cancellation_stops_training_and_leaves_a_usable_transformer()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(TestData.TwoMoons(500, 0.1, 1));
        using var cancel = new CancellationTokenSource();
        var options = new NeuralNetworkBinaryTrainer.Options
        {
            HiddenLayers = [16], Epochs = 1000, Convergence = ConvergenceCriterion.None, CancellationToken = cancel.Token,
            Progress = new SynchronousProgress(r => { if (r.Epoch == 3) cancel.Cancel(); }),
        };
        var model = ml.BinaryClassification.Trainers.NeuralNetwork(options).Fit(data);
        Assert.Equal(StopReason.Cancelled, model.StopReason);
        Assert.Equal(3, model.Model.History.Count);
        Assert.All(model.Transform(data).GetColumn<float>("Probability"), p => Assert.InRange(p, 0f, 1f));
    }

    [Fact]
    public void The_same_seed_gives_the_same_network_and_another_seed_a_different_one()
    {
        float[] Train(int? seed)
        {
            var ml = new MLContext();
            var data = ml.Data.LoadFromEnumerable(TestData.TwoMoons(200, 0.1, 1));
            return ml.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkBinaryTrainer.Options { HiddenLayers = [8], Epochs = 5, Seed = seed }).Fit(data).Model.Network.Parameters;
        }
        Assert.Equal(Train(7), Train(7));
        Assert.Equal(Train(new NeuralNetworkBinaryTrainer.Options().Seed), Train(1));
        Assert.NotEqual(Train(7), Train(8));
    }

    [Fact]
    public void The_transformer_exposes_the_network_summary_history_and_hidden_activations()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Iris(ml);
        var chain = TestData.IrisPipeline(ml, ml.MulticlassClassification.Trainers.NeuralNetwork(hiddenLayers: [5], epochs: 4)).Fit(data);
        var network = ((IEnumerable<ITransformer>)chain).OfType<NeuralNetworkTransformer>().Single();
        Assert.Equal(TaskKind.MulticlassClassification, network.Task);
        Assert.Contains("43", network.Model.Summary().ToString()); // 4-5-3: 5·(4+1) + 3·(5+1) = 43 parameters
        Assert.Equal(4, network.Model.History.Count);
        Assert.Equal(["setosa", "versicolor", "virginica"], network.Model.ClassNames);
        var activations = network.Model.LayerActivations(0, [0.1f, 0.2f, 0.3f, 0.4f]);
        Assert.Equal(5, activations.Length);
    }

    [Fact]
    public void Layers_of_several_kinds_are_declared_in_the_text_form_and_bad_ones_are_named()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Iris(ml);
        var options = new NeuralNetworkMulticlassTrainer.Options { Layers = "dense8,bn,dropout0.2,dense4:tanh", Activation = ActivationKind.ELU, Epochs = 4 };
        var chain = TestData.IrisPipeline(ml, ml.MulticlassClassification.Trainers.NeuralNetwork(options)).Fit(data);
        var network = ((IEnumerable<ITransformer>)chain).OfType<NeuralNetworkTransformer>().Single().Model.Network;
        Assert.Equal([LayerKind.Dense, LayerKind.BatchNormalization, LayerKind.Dropout, LayerKind.Dense, LayerKind.Dense], network.Layers.Select(l => l.Kind));
        Assert.Equal([ActivationKind.ELU, ActivationKind.Tanh], network.Layers.Where(l => l.Kind == LayerKind.Dense).Take(2).Select(l => l.Activation.Kind));
        Assert.Contains(network.State, v => v != 0f && v != 1f);

        var bad = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.NeuralNetwork(
            new NeuralNetworkMulticlassTrainer.Options { Layers = "dense8,dropout2" }));
        Assert.Contains("Layers: In layer 2 ('dropout2'", bad.Message);
        Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkMulticlassTrainer.Options { InputShape = "28x28" }));
    }

    /// <summary>A lazy sequence that counts how often it is enumerated (each cursor over LoadFromEnumerable enumerates it once).</summary>
    private sealed class CountingEnumerable(List<PointRow> rows) : IEnumerable<PointRow>
    {
        public int Enumerations { get; private set; }

        public IEnumerator<PointRow> GetEnumerator()
        {
            Enumerations++;
            foreach (var row in rows) yield return row;
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

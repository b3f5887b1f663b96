using System.Collections.Specialized;
using MLNetNN.Data;
using MLNetNN.Models;
using MLNetNN.PowerShell.Data;
using MLNetNN.PowerShell.Output;
using MLNetNN.PowerShell.Training;
using MLNetNN.Training;

namespace MLNetNN.PowerShell.Tests.Logic;

public class OutputTests
{
    private static readonly Lazy<NeuralNetModel> IrisModel = new(() =>
    {
        var result = new NeuralNetworkTrainer(new NeuralNetworkOptions { HiddenLayers = [16], Epochs = 150, LearningRate = 0.01f, Seed = 1, ValidationFraction = 0.2f })
            .Fit(TrainingTests.Iris());
        return new NeuralNetModel(result.Model, result, "Species");
    });

    private static NeuralNetModel Regression()
    {
        var builder = new RowDatasetBuilder("y", LabelKind.Regression);
        for (int i = 0; i < 40; i++) builder.Add(TestRows.Row(("x", i / 10.0), ("y", 2 * i / 10.0 + 1)));
        var result = new NeuralNetworkTrainer(new NeuralNetworkOptions { Task = TaskKind.Regression, HiddenLayers = [], Epochs = 500, LearningRate = 0.1f, Seed = 1, Convergence = ConvergenceCriterion.None }).Fit(builder.Build());
        return new NeuralNetModel(result.Model, result, "y");
    }

    [Fact]
    public void The_model_shows_its_task_shape_classes_history_and_why_it_stopped()
    {
        var model = IrisModel.Value;
        Assert.Equal(NeuralNetTask.Multiclass, model.Task);
        Assert.Equal("4-16-3", model.Architecture);
        Assert.Equal(4 * 16 + 16 + 16 * 3 + 3, model.Parameters);
        Assert.Equal(["setosa", "versicolor", "virginica"], model.Classes);
        Assert.Equal(["SepalLength", "SepalWidth", "PetalLength", "PetalWidth"], model.Features);
        Assert.Equal(150, model.Epochs);
        Assert.Equal(StopReason.MaxEpochs, model.StopReason);
        Assert.Equal(1, model.Seed);
        Assert.Equal("Multiclass 4-16-3 (setosa, versicolor, virginica)", model.ToString());
        var last = Assert.IsType<ClassificationEpoch>(model.History[^1]);
        Assert.Equal(150, last.Epoch);
        Assert.NotNull(last.ValidationLoss);
        Assert.InRange(last.Accuracy, 0.8, 1.0);
    }

    [Fact]
    public void A_regression_history_names_its_metric_r2()
    {
        var model = Regression();
        Assert.Equal(NeuralNetTask.Regression, model.Task);
        Assert.Null(model.Classes);
        Assert.IsType<RegressionEpoch>(model.History[0]);
    }

    [Fact]
    public void A_classifier_adds_label_probability_and_every_class_probability()
    {
        var predictor = new RowPredictor(IrisModel.Value.Model);
        var added = predictor.Predict(TestRows.Iris()[0]);

        Assert.Equal(["PredictedLabel", "Probability", "Probabilities"], added.Select(p => p.Key));
        Assert.Equal("setosa", added[0].Value);
        var probabilities = Assert.IsType<OrderedDictionary>(added[2].Value);
        Assert.Equal(["setosa", "versicolor", "virginica"], probabilities.Keys.Cast<string>());
        Assert.Equal(1.0, probabilities.Values.Cast<double>().Sum(), 5);
        Assert.Equal((double)probabilities["setosa"]!, (double)added[1].Value!);
    }

    [Fact]
    public void Prediction_finds_features_by_name_whatever_else_the_row_holds()
    {
        var predictor = new RowPredictor(IrisModel.Value.Model);
        var row = TestRows.Iris()[120];
        var shuffled = row.Reverse().Append(new("Id", "x-17")).ToArray();
        Assert.Equal(predictor.Predict(row), predictor.Predict(shuffled), new PredictionComparer());
    }

    [Fact]
    public void A_row_without_a_feature_names_the_row_the_column_and_what_the_model_reads()
    {
        var predictor = new RowPredictor(IrisModel.Value.Model);
        predictor.Predict(TestRows.Iris()[0]);
        var e = Assert.Throws<RowFormatException>(() => predictor.Predict(TestRows.Row(("SepalLength", 1), ("SepalWidth", 1), ("PetalLength", 1))));
        Assert.StartsWith("Row 2, column 'PetalWidth': the row has no column 'PetalWidth'; the model reads 'SepalLength'", e.Message);
    }

    [Fact]
    public void A_regression_model_adds_the_predicted_value()
    {
        var predictor = new RowPredictor(Regression().Model);
        var added = Assert.Single(predictor.Predict(TestRows.Row(("x", "1.5"))));
        Assert.Equal("PredictedValue", added.Key);
        Assert.InRange((double)added.Value!, 3.0, 5.0);
    }

    [Fact]
    public void Saving_over_an_existing_file_is_refused_without_force_and_leaves_it_intact()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "iris.nn");
        File.WriteAllText(path, "precious");
        var e = Assert.Throws<ModelFileExistsException>(() => ModelStore.Save(IrisModel.Value, path, overwrite: false));
        Assert.Contains("-Force", e.Message);
        Assert.Equal("precious", File.ReadAllText(path));

        ModelStore.Save(IrisModel.Value, path, overwrite: true);
        Assert.NotEqual("precious", File.ReadAllText(path));
    }

    [Fact]
    public void Saving_into_a_missing_folder_fails_and_writes_nothing()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "missing", "iris.nn");
        Assert.Throws<DirectoryNotFoundException>(() => ModelStore.Save(IrisModel.Value, path, overwrite: false));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Saving_to_a_folder_path_says_to_give_a_file_name()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<IOException>(() => ModelStore.Save(IrisModel.Value, dir.Path, overwrite: true));
        Assert.Contains("is a folder", e.Message);
    }

    [Fact]
    public void A_saved_and_loaded_model_predicts_identically()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "iris.nn");
        var model = IrisModel.Value;
        ModelStore.Save(model, path, overwrite: false);
        Assert.Equal(path, model.Path);
        var loaded = ModelStore.Load(path);

        Assert.Equal(path, loaded.Path);
        Assert.Null(loaded.StopReason);
        Assert.Null(loaded.Label);
        Assert.Equal(model.Epochs, loaded.Epochs);
        var before = new RowPredictor(model.Model);
        var after = new RowPredictor(loaded.Model);
        foreach (var row in TestRows.Iris()) Assert.Equal(before.Predict(row), after.Predict(row), new PredictionComparer());
    }

    [Fact]
    public void Training_curves_draw_loss_and_accuracy_with_validation()
    {
        string svg = NeuralNetCharts.TrainingCurves(IrisModel.Value).ToSvg();
        Assert.StartsWith("<svg", svg.TrimStart().StartsWith("<?xml") ? svg[(svg.IndexOf("?>") + 2)..].TrimStart() : svg.TrimStart());
        Assert.Contains("Loss", svg);
        Assert.Contains("Accuracy", svg);
        Assert.Contains("validation", svg);
    }

    [Fact]
    public void Decision_regions_need_two_features_and_draw_the_points_over_the_classes()
    {
        var e = Assert.Throws<InvalidOperationException>(() => NeuralNetCharts.DecisionRegions(IrisModel.Value, TrainingTests.Iris()));
        Assert.Contains("two features", e.Message);

        var blobs = TrainingTests.Blobs();
        var result = new NeuralNetworkTrainer(new NeuralNetworkOptions { Task = TaskKind.BinaryClassification, HiddenLayers = [4], Epochs = 30, Seed = 1 }).Fit(blobs);
        string svg = NeuralNetCharts.DecisionRegions(new NeuralNetModel(result.Model, result, "Class"), blobs, resolution: 20).ToSvg();
        Assert.Contains("heatmap", svg);
        Assert.Contains("P(b)", svg);
        Assert.Contains("data-count=\"80\"", svg);
    }

    [Fact]
    public void A_model_without_history_has_no_curves_to_draw()
    {
        var model = IrisModel.Value.Model;
        var bare = new NeuralNetworkModel(model.Network, model.Options, model.ClassNames, model.FeatureNames, model.Scaler);
        Assert.Throws<InvalidOperationException>(() => NeuralNetCharts.TrainingCurves(new NeuralNetModel(bare)));
    }

    /// <summary>Compares predictions exactly, looking inside the probability dictionaries.</summary>
    private sealed class PredictionComparer : IEqualityComparer<IReadOnlyList<KeyValuePair<string, object?>>>
    {
        public bool Equals(IReadOnlyList<KeyValuePair<string, object?>>? x, IReadOnlyList<KeyValuePair<string, object?>>? y) =>
            x!.Count == y!.Count && x.Zip(y).All(p => p.First.Key == p.Second.Key && Same(p.First.Value, p.Second.Value));

        public int GetHashCode(IReadOnlyList<KeyValuePair<string, object?>> obj) => obj.Count;

        private static bool Same(object? a, object? b) => (a, b) switch
        {
            (OrderedDictionary da, OrderedDictionary db) => da.Keys.Cast<object>().SequenceEqual(db.Keys.Cast<object>()) && da.Values.Cast<object>().SequenceEqual(db.Values.Cast<object>()),
            _ => Equals(a, b),
        };
    }
}

internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mlnetnn-ps-" + Guid.NewGuid().ToString("N")));

    public string Path { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

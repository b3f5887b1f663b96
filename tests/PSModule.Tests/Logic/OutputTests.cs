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

    /// <summary>Predicts <paramref name="rows"/> in one batch and returns each row's added properties, by name.</summary>
    private static List<Dictionary<string, object>> PredictAll(NeuralNetModel model, IEnumerable<KeyValuePair<string, object?>[]> rows, int capacity = 64)
    {
        var batch = new PredictionBatch(model.Model, capacity);
        var result = new List<Dictionary<string, object>>();
        void Flush()
        {
            batch.Predict();
            for (int i = 0; i < batch.Count; i++)
                result.Add(batch.PropertyNames.Select((name, p) => (name, value: batch.Value(i, p))).ToDictionary(x => x.name, x => x.value));
            batch.Clear();
        }
        int number = 0;
        foreach (var row in rows)
        {
            var values = RowValues.Index(row);
            var features = batch.NextRow();
            number++;
            for (int j = 0; j < model.Features.Count; j++) features[j] = RowValues.ToFeature(values[model.Features[j]], number, model.Features[j]);
            batch.Commit();
            if (batch.IsFull) Flush();
        }
        Flush();
        return result;
    }

    [Fact]
    public void A_classifier_adds_label_probability_and_a_flat_probability_per_class()
    {
        var model = IrisModel.Value;
        var batch = new PredictionBatch(model.Model, 8);
        Assert.Equal(["PredictedLabel", "Probability", "Probability_setosa", "Probability_versicolor", "Probability_virginica"], batch.PropertyNames);

        var added = PredictAll(model, [TestRows.Iris()[0]])[0];
        Assert.Equal("setosa", added["PredictedLabel"]);
        double[] probabilities = [(double)added["Probability_setosa"], (double)added["Probability_versicolor"], (double)added["Probability_virginica"]];
        Assert.Equal(1.0, probabilities.Sum(), 5);
        Assert.Equal(probabilities[0], (double)added["Probability"]);
    }

    [Fact]
    public void Batched_predictions_are_the_engines_row_by_row_predictions_whatever_the_batch_size()
    {
        var model = IrisModel.Value;
        var rows = TestRows.Iris();
        var byBatchOf7 = PredictAll(model, rows, capacity: 7);
        var byBatchOf64 = PredictAll(model, rows, capacity: 64);
        for (int i = 0; i < rows.Count; i++)
        {
            var values = RowValues.Index(rows[i]);
            var expected = model.Model.PredictRow(model.Features.Select(f => RowValues.ToFeature(values[f], i + 1, f)).ToArray());
            Assert.Equal(expected.Label, byBatchOf7[i]["PredictedLabel"]);
            Assert.Equal(expected.Probability, (float)(double)byBatchOf7[i]["Probability"]);
            for (int c = 0; c < 3; c++) Assert.Equal(expected.Outputs[c], (float)(double)byBatchOf7[i][$"Probability_{model.Classes![c]}"]);
            Assert.Equal(byBatchOf7[i], byBatchOf64[i]);
        }
    }

    [Theory]
    [InlineData(0.9994087f, 0.9994087)]
    [InlineData(0.1f, 0.1)]
    [InlineData(1f / 3, 0.33333334)]
    [InlineData(1e-8f, 1e-8)]
    [InlineData(0f, 0.0)]
    public void Probabilities_are_doubles_without_float_noise_that_round_trip_to_the_same_float(float value, double expected)
    {
        double shown = PredictionBatch.ToDouble(value);
        Assert.Equal(expected, shown);
        Assert.Equal(value, (float)shown);
    }

    [Fact]
    public void Every_float_the_model_could_output_survives_the_noise_free_conversion()
    {
        // Seeded sweep over the float bit patterns between 0 and 1, where probabilities live.
        var random = new Random(14);
        for (int i = 0; i < 100_000; i++)
        {
            float value = BitConverter.Int32BitsToSingle(random.Next(0, BitConverter.SingleToInt32Bits(1f) + 1));
            Assert.Equal(value, (float)PredictionBatch.ToDouble(value));
        }
    }

    [Fact]
    public void A_regression_model_adds_the_predicted_value()
    {
        var model = Regression();
        Assert.Equal(["PredictedValue"], new PredictionBatch(model.Model, 1).PropertyNames);
        var added = Assert.Single(PredictAll(model, [TestRows.Row(("x", "1.5"))]));
        Assert.InRange((double)added["PredictedValue"], 3.0, 5.0);
    }

    [Fact]
    public void A_full_batch_takes_no_more_rows()
    {
        var batch = new PredictionBatch(IrisModel.Value.Model, 1);
        batch.NextRow();
        batch.Commit();
        Assert.True(batch.IsFull);
        Assert.Throws<InvalidOperationException>(() => batch.NextRow());
        batch.Clear();
        Assert.Equal(0, batch.Count);
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
    public void Saving_into_a_folder_that_cannot_be_written_names_the_file_asked_for_not_the_temporary_one()
    {
        // /sys is read-only even to root (these tests may run as root, who can write into any folder a test makes read-only).
        Assert.True(Directory.Exists("/sys/kernel") || !OperatingSystem.IsLinux());
        if (!OperatingSystem.IsLinux()) return;
        foreach (var format in new[] { ModelFileFormat.Native, ModelFileFormat.Onnx })
        {
            var e = Assert.Throws<UnauthorizedAccessException>(() => ModelStore.Save(IrisModel.Value, "/sys/iris.model", overwrite: false, format));
            Assert.Equal("Cannot save the model to /sys/iris.model: access is denied (is the folder /sys or the file read-only?).", e.Message);
            Assert.DoesNotContain(".tmp", e.Message);
        }
    }

    [Fact]
    public void Saving_as_onnx_writes_the_engines_onnx_bytes_and_keeps_the_models_path()
    {
        using var dir = new TempDirectory();
        var model = new NeuralNetModel(IrisModel.Value.Model, IrisModel.Value.Result, "Species");
        string onnx = Path.Combine(dir.Path, "iris.onnx");
        ModelStore.Save(model, onnx, overwrite: false, ModelFileFormat.Onnx);
        using var expected = new MemoryStream();
        MLNetNN.Serialization.Onnx.OnnxExporter.Write(model.Model, expected);
        Assert.Equal(expected.ToArray(), File.ReadAllBytes(onnx));
        Assert.Null(model.Path);   // an ONNX file cannot be imported back, so it is not where the model "lives"
        Assert.Throws<ModelFileExistsException>(() => ModelStore.Save(model, onnx, overwrite: false, ModelFileFormat.Onnx));
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
        Assert.Equal(PredictAll(model, TestRows.Iris()), PredictAll(loaded, TestRows.Iris()));
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

}

internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mlnetnn-ps-" + Guid.NewGuid().ToString("N")));

    public string Path { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

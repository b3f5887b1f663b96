using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetNN.Layers;
using MLNetNN.Networks;

namespace MLNetNN.MLNet.Tests;

/// <summary>
/// Issue 16: the trainers' <c>Layers</c> (the text form) and <c>InputShape</c> options. Networks with dropout and batch
/// normalisation train for each task, score the same on every pass, and keep their scores through
/// <c>SaveWithNeuralNetwork</c> (bit for bit) and plain <c>ml.Model.Save</c> (ONNX Runtime, within 1e-5); bad layers and shapes
/// are refused as ML.NET refuses a bad option, naming it and the layer.
/// </summary>
public sealed class LayerOptionsTests : IDisposable
{
    private const float Tolerance = 1e-5f;
    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetnn-layers-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Binary_network_with_dropout_and_batch_normalisation_trains_and_keeps_its_scores_through_both_saves()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.Cache(TestData.BreastCancer(ml));
        var trainer = ml.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkBinaryTrainer.Options { Layers = "dense16,dropout0.3,bn", Epochs = 15 });
        var model = trainer.Fit(data);

        AssertKinds(model, LayerKind.Dense, LayerKind.Dropout, LayerKind.BatchNormalization, LayerKind.Dense);
        Assert.True(ml.BinaryClassification.Evaluate(model.Transform(data)).Accuracy >= 0.95);
        AssertSavesKeepScores(ml, model, data, ["Score", "Probability"]);
    }

    [Fact]
    public void Multiclass_network_with_layers_keeps_its_scores_and_labels_through_both_saves()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.Cache(TestData.Iris(ml));
        var options = new NeuralNetworkMulticlassTrainer.Options { Layers = "dense16,bn,dropout0.2,dense8:tanh", Epochs = 40, BatchSize = 16, LearningRate = 0.01f };
        var model = TestData.IrisPipeline(ml, ml.MulticlassClassification.Trainers.NeuralNetwork(options)).Fit(data);

        var network = Transformers(model).OfType<NeuralNetworkTransformer>().Single();
        AssertKinds(network, LayerKind.Dense, LayerKind.BatchNormalization, LayerKind.Dropout, LayerKind.Dense, LayerKind.Dense);
        Assert.Equal("Tanh", network.Model.Summary().Layers[3].Activation);
        Assert.True(ml.MulticlassClassification.Evaluate(model.Transform(data)).MicroAccuracy >= 0.9);
        AssertSavesKeepScores(ml, model, data, ["Score"]);
        string[] labels = model.Transform(data).GetColumn<string>("PredictedLabel").ToArray();
        string path = Path.Combine(_folder, "labels.zip");
        ml.Model.Save(model, data.Schema, path);
        Assert.Equal(labels, new MLContext().Model.Load(path, out _).Transform(data).GetColumn<string>("PredictedLabel"));
    }

    [Fact]
    public void Regression_network_with_layers_keeps_its_scores_through_both_saves()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.Cache(ml.Data.LoadFromEnumerable(TestData.NonLinearRegression(300, 1)));
        var model = ml.Regression.Trainers.NeuralNetwork(new NeuralNetworkRegressionTrainer.Options { Layers = "dense32,bn,dropout0.1,dense16", Epochs = 30 }).Fit(data);

        AssertKinds(model, LayerKind.Dense, LayerKind.BatchNormalization, LayerKind.Dropout, LayerKind.Dense, LayerKind.Dense);
        Assert.True(ml.Regression.Evaluate(model.Transform(data)).RSquared >= 0.7);
        AssertSavesKeepScores(ml, model, data, ["Score"]);
    }

    [Fact]
    public void A_network_with_dropout_scores_the_same_on_every_pass_and_row_by_row()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.Cache(TestData.BreastCancer(ml));
        var model = ml.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkBinaryTrainer.Options { Layers = "dense16,dropout0.5,dense8,dropout0.5", Epochs = 5 }).Fit(data);

        float[] first = model.Transform(data).GetColumn<float>("Score").ToArray();
        Assert.Equal(first, model.Transform(data).GetColumn<float>("Score"));
        var engine = ml.Model.CreatePredictionEngine<CancerRow, BinaryPrediction>(model);
        var rows = ml.Data.CreateEnumerable<CancerRow>(data, reuseRowObject: false).ToArray();
        for (int i = 0; i < rows.Length; i++)
            Assert.Equal(first[i], engine.Predict(rows[i]).Score);
    }

    [Fact]
    public void The_typed_builder_gives_the_text_the_option_takes()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.Cache(TestData.BreastCancer(ml));
        string text = new LayerStack().Dense(12).Dropout(0.25f).BatchNormalization().ToString();
        var model = ml.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkBinaryTrainer.Options { Layers = text, Epochs = 2 }).Fit(data);
        Assert.Equal(LayerText.Parse("dense12,dropout0.25,bn"), model.Model.Options.Layers);
    }

    [Fact]
    public void Layers_replace_hidden_layers_and_take_the_activation_option()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(TestData.NonLinearRegression(50, 1));
        var options = new NeuralNetworkRegressionTrainer.Options { HiddenLayers = [50, 50], Layers = "dense5,dense4:relu", Activation = Activations.ActivationKind.Tanh, Epochs = 1 };
        var summary = ml.Regression.Trainers.NeuralNetwork(options).Fit(data).Model.Summary();
        Assert.Equal([5, 4, 1], summary.Layers.Select(l => l.Units));
        Assert.Equal(["Tanh", "ReLU", "Identity"], summary.Layers.Select(l => l.Activation));
    }

    [Fact]
    public void An_image_shape_trains_convolution_and_pooling_and_plain_save_keeps_the_scores()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.Cache(ml.Data.LoadFromEnumerable(SquareImages(200, 1)));
        var options = new NeuralNetworkBinaryTrainer.Options { InputShape = "4x4x1", Layers = "conv4x3:same,pool2,flatten,dense8,dropout0.2", Epochs = 60, LearningRate = 0.01f };
        var model = ml.BinaryClassification.Trainers.NeuralNetwork(options).Fit(data);

        Assert.Equal(LayerShape.Image(4, 4, 1), model.Model.Summary().InputShape);
        double accuracy = ml.BinaryClassification.Evaluate(model.Transform(data)).Accuracy;
        Assert.True(accuracy >= 0.9, $"training accuracy {accuracy:F3}");
        AssertSavesKeepScores(ml, model, data, ["Score", "Probability"]);
    }

    [Theory]
    [InlineData("dense16,dropuot0.5", "'dropuot'", "layer 2")]
    [InlineData("dense16,dropout1.5", "'dropout1.5'", "layer 2")]
    [InlineData("dense0", "'dense0'", "layer 1")]
    [InlineData("dense16,,bn", "layer 2", "empty")]
    public void A_bad_layer_is_refused_when_the_trainer_is_created_naming_the_option_and_the_layer(string layers, string named, string where)
    {
        var ml = new MLContext(seed: 1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkBinaryTrainer.Options { Layers = layers }));
        Assert.Equal("Layers", e.ParamName);
        Assert.StartsWith("Layers: In ", e.Message);
        Assert.Contains(named, e.Message);
        Assert.Contains(where, e.Message);
    }

    [Fact]
    public void Layers_the_optimiser_or_the_shape_cannot_take_are_refused_naming_the_option()
    {
        var ml = new MLContext(seed: 1);
        var lbfgs = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Regression.Trainers.NeuralNetwork(
            new NeuralNetworkRegressionTrainer.Options { Layers = "dense8,dropout0.5", Optimizer = Optimizers.OptimizerKind.Lbfgs }));
        Assert.Equal("Layers", lbfgs.ParamName);
        Assert.Contains("L-BFGS", lbfgs.Message);

        var flat = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Regression.Trainers.NeuralNetwork(new NeuralNetworkRegressionTrainer.Options { Layers = "conv4x3,flatten" }));
        Assert.Equal("Layers", flat.ParamName);
    }

    [Theory]
    [InlineData("28x28")]
    [InlineData("28x0x1")]
    [InlineData("2x2x2x2")]
    [InlineData("50000x50000x1")]
    public void An_input_shape_that_is_not_a_shape_is_refused_naming_the_option(string shape)
    {
        var ml = new MLContext(seed: 1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Regression.Trainers.NeuralNetwork(new NeuralNetworkRegressionTrainer.Options { InputShape = shape }));
        Assert.Equal("InputShape", e.ParamName);
        Assert.StartsWith($"InputShape: '{shape}' is not a", e.Message);
    }

    [Fact]
    public void An_input_shape_of_another_size_than_the_features_is_a_schema_mismatch_naming_both_sizes()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.BreastCancer(ml);
        var trainer = ml.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkBinaryTrainer.Options { InputShape = "2x2x2", Layers = "flatten,dense4" });
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(data));
        Assert.StartsWith("Schema mismatch for feature column 'Features': expected Vector<Single, 8>, got Vector<Single, 30>", e.Message);
    }

    /// <summary>Every transformer of a pipeline, nested chains opened.</summary>
    private static IEnumerable<ITransformer> Transformers(ITransformer model) => model is IEnumerable<ITransformer> chain ? chain.SelectMany(Transformers) : [model];

    private static void AssertKinds(ITransformer model, params LayerKind[] kinds) =>
        Assert.Equal(kinds, ((NeuralNetworkTransformer)model).Model.Summary().Layers.Select(l => l.Kind));

    /// <summary>The model's <paramref name="columns"/> equal after <c>SaveWithNeuralNetwork</c> and within 1e-5 after plain <c>Save</c> (ONNX Runtime).</summary>
    private void AssertSavesKeepScores(MLContext ml, ITransformer model, IDataView data, string[] columns)
    {
        var expected = model.Transform(data);
        string engineFile = Path.Combine(_folder, "engine.zip"), plainFile = Path.Combine(_folder, "plain.zip");
        ml.Model.SaveWithNeuralNetwork(model, data.Schema, engineFile);
        ml.Model.Save(model, data.Schema, plainFile);
        var withEngine = new MLContext().Model.LoadWithNeuralNetwork(engineFile, out _).Transform(data);
        var plain = new MLContext().Model.Load(plainFile, out _).Transform(data);
        foreach (string column in columns)
        {
            float[] want = Values(expected, column);
            Assert.Equal(want, Values(withEngine, column));
            float[] got = Values(plain, column);
            Assert.Equal(want.Length, got.Length);
            for (int i = 0; i < want.Length; i++)
                Assert.True(Math.Abs(want[i] - got[i]) <= Tolerance, $"{column} value {i}: {want[i]:R} vs {got[i]:R} after plain Save");
        }
    }

    /// <summary>A column's values, a vector column's slots one after another.</summary>
    private static float[] Values(IDataView view, string column) => view.Schema[column].Type is VectorDataViewType
        ? view.GetColumn<float[]>(column).SelectMany(v => v).ToArray()
        : view.GetColumn<float>(column).ToArray();

    /// <summary>4×4 one-channel images, true when a bright 2×2 square lies in the left half rather than the right: a small task for a convolution.</summary>
    private static List<ImageRow> SquareImages(int rows, int seed)
    {
        var random = new Random(seed);
        var result = new List<ImageRow>(rows);
        for (int i = 0; i < rows; i++)
        {
            var pixels = new float[16];
            for (int p = 0; p < 16; p++) pixels[p] = 0.2f * (float)random.NextDouble();
            int top = random.Next(3), left = 2 * random.Next(2);
            for (int y = top; y < top + 2; y++)
                for (int x = left; x < left + 2; x++) pixels[y * 4 + x] += 1f;
            result.Add(new ImageRow { Features = pixels, Label = left == 0 });
        }
        return result;
    }

    private sealed class ImageRow
    {
        [VectorType(16)] public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }
}

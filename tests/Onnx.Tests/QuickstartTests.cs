using MLNetNN.Models;
using MLNetNN.Serialization.Onnx;
using MLNetNN.Training;

namespace MLNetNN.Onnx.Tests;

/// <summary>The Quickstart's <c>--onnx FILE</c>: the file it writes runs in ONNX Runtime and agrees with the model file it saves.</summary>
public class QuickstartTests
{
    [Fact]
    public void QuickstartWritesAnOnnxModelThatAgreesWithItsModelFile()
    {
        string folder = Directory.CreateTempSubdirectory("quickstart-onnx").FullName;
        try
        {
            string model = Path.Combine(folder, "iris.nn"), onnx = Path.Combine(folder, "iris.onnx");
            Assert.Equal(0, Quickstart.Run(["--epochs", "20", "--out", model, "--onnx", onnx]));

            var saved = NeuralNetworkModel.Load(model);
            var data = TestData.Load("iris");
            var expected = saved.PredictBatch(data);
            using var runner = new OnnxRunner(File.ReadAllBytes(onnx));
            var actual = (float[])runner.Run(data.Features, data.Rows)[OnnxExporter.ProbabilitiesOutput];
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f, $"Output {i}: {expected[i]} vs {actual[i]}.");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void QuickstartTrainsWithTheLibrarysDefaultsUnlessTold()
    {
        // Issue 13: one set of defaults for every front end; the Quickstart had its own (16-8, lr 0.01, batch 32, early stopping).
        var options = Quickstart.Settings.Parse([]).Options(TaskKind.MulticlassClassification);
        Assert.Equal(Defaults.HiddenLayers, options.HiddenLayers);
        Assert.Equal(new NeuralNetworkOptions { Task = TaskKind.MulticlassClassification, Seed = 1 } with { HiddenLayers = options.HiddenLayers }, options);

        var told = Quickstart.Settings.Parse(["--hidden", "8,4", "--epochs", "7", "--lr", "0.02", "--batch", "5"]).Options(TaskKind.Regression);
        Assert.Equal([8, 4], told.HiddenLayers);
        Assert.Equal((7, 0.02f, 5), (told.Epochs, told.LearningRate, told.BatchSize));

        var layered = Quickstart.Settings.Parse(["--layers", "flatten,dense16,dropout0.5,bn", "--activation", "tanh", "--input-shape", "2x2x1"]).Options(TaskKind.MulticlassClassification);
        Assert.Equal([Networks.LayerSpec.Flatten(), Networks.LayerSpec.Dense(16, Activations.ActivationKind.Tanh), Networks.LayerSpec.Dropout(0.5f), Networks.LayerSpec.BatchNormalization()], layered.Layers!);
        Assert.Equal(Layers.LayerShape.Image(2, 2, 1), layered.InputShape);
        var bad = Assert.Throws<ArgumentException>(() => Quickstart.Settings.Parse(["--layers", "dense16,dropuot0.5"]));
        Assert.Contains("--layers: In layer 2 ('dropuot0.5'", bad.Message);
        Assert.Throws<ArgumentException>(() => Quickstart.Settings.Parse(["--layers", "dense16", "--hidden", "8"]));
    }

    [Fact]
    public void QuickstartNamesAMissingOnnxFolder()
    {
        string folder = Directory.CreateTempSubdirectory("quickstart-onnx").FullName;
        var error = new StringWriter();
        var original = Console.Error;
        try
        {
            Console.SetError(error);
            string missing = Path.Combine(folder, "no such folder", "iris.onnx");
            Assert.Equal(1, Quickstart.Run(["--epochs", "2", "--out", Path.Combine(folder, "iris.nn"), "--onnx", missing]));
            Assert.Contains("no such folder", error.ToString());
        }
        finally
        {
            Console.SetError(original);
            Directory.Delete(folder, recursive: true);
        }
    }
}

using MLNetNN.Models;
using MLNetNN.Serialization.Onnx;

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

using MLNetNN.Activations;
using MLNetNN.Data;
using MLNetNN.Models;
using MLNetNN.Networks;
using MLNetNN.Serialization.Onnx;
using MLNetNN.Training;

namespace MLNetNN.Onnx.Tests;

/// <summary>
/// Seeded random models — any depth, widths down to one unit, a different activation on each layer, any task, scaler or
/// none, random weights — exported and run in ONNX Runtime give the engine's outputs.
/// </summary>
public class RandomModelTests
{
    [Fact]
    public void RandomArchitecturesGiveTheEnginesOutputs()
    {
        var random = new Random(12);
        ActivationKind[] hidden =
        [
            ActivationKind.Identity, ActivationKind.Step, ActivationKind.Sigmoid, ActivationKind.Tanh, ActivationKind.ReLU,
            ActivationKind.LeakyReLU, ActivationKind.ELU, ActivationKind.Softplus,
        ];
        for (int trial = 0; trial < 200; trial++)
        {
            var model = RandomModel(random, hidden);
            int rows = random.Next(1, 40);
            var x = new float[rows * model.FeatureCount];
            for (int i = 0; i < x.Length; i++) x[i] = (float)(5 * (random.NextDouble() - 0.5));

            var expected = new float[rows * model.OutputCount];
            model.PredictBatch(x, expected);
            using var onnx = OnnxRunner.Export(model);
            var outputs = onnx.Run(x, rows);
            var actual = (float[])outputs[model.IsClassifier ? OnnxExporter.ProbabilitiesOutput : OnnxExporter.ValueOutput];
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f,
                    $"Trial {trial} ({model.Task}, {string.Join("-", model.Network.Specs().Select(s => $"{s.Units}{s.Activation}"))}), output {i}: engine {expected[i]:R}, ONNX Runtime {actual[i]:R}.");
            if (model.IsClassifier)
            {
                var classes = (long[])outputs[OnnxExporter.PredictedClassOutput];
                for (int r = 0; r < rows; r++) Assert.Equal(model.PredictClass(x.AsSpan(r * model.FeatureCount, model.FeatureCount)), classes[r]);
            }
        }
    }

    private static NeuralNetworkModel RandomModel(Random random, ActivationKind[] hidden)
    {
        var task = (TaskKind)random.Next(3);
        int features = random.Next(1, 13);
        var specs = new List<LayerSpec>();
        for (int l = random.Next(0, 4); l > 0; l--)
        {
            var kind = hidden[random.Next(hidden.Length)];
            float? alpha = kind is ActivationKind.LeakyReLU or ActivationKind.ELU ? (float)random.NextDouble() : null;
            specs.Add(new LayerSpec(random.Next(1, 21), kind, alpha));
        }
        int classes = task == TaskKind.BinaryClassification ? 2 : random.Next(2, 7);
        specs.Add(task switch
        {
            TaskKind.BinaryClassification => new LayerSpec(1, ActivationKind.Sigmoid),
            TaskKind.MulticlassClassification => new LayerSpec(classes, ActivationKind.Softmax),
            _ => new LayerSpec(random.Next(1, 4), new[] { ActivationKind.Identity, ActivationKind.Sigmoid, ActivationKind.Tanh }[random.Next(3)]),
        });
        var network = new NeuralNetwork(features, specs);
        // Weights of a layer scaled by 1/√fan-in keep every pre-activation of order one, as trained networks have them.
        for (int l = 0; l < network.Layers.Count; l++)
        {
            float scale = 2f / MathF.Sqrt(network.Layers[l].Inputs);
            foreach (ref float w in network.Weights(l)) w = scale * (float)(random.NextDouble() - 0.5);
            foreach (ref float b in network.Biases(l)) b = (float)(random.NextDouble() - 0.5);
        }
        FeatureScaler? scaler = random.Next(3) == 0 ? null : new FeatureScaler(ScalerKind.Standardization,
            Enumerable.Range(0, features).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray(),
            Enumerable.Range(0, features).Select(_ => (float)(0.2 + random.NextDouble())).ToArray());
        var names = task == TaskKind.Regression ? null : Enumerable.Range(0, classes).Select(c => $"class {c}").ToArray();
        return new NeuralNetworkModel(network, new NeuralNetworkOptions { Task = task, Threads = 1 }, names, null, scaler);
    }
}

using MLNetNN.Activations;
using MLNetNN.Data;
using MLNetNN.Layers;
using MLNetNN.Models;
using MLNetNN.Networks;
using MLNetNN.Serialization.Onnx;
using MLNetNN.Training;

namespace MLNetNN.Onnx.Tests;

/// <summary>
/// Networks with dropout (an Identity at inference), batch normalisation (its running statistics, γ and β) and flatten, on flat
/// and image inputs, exported and run in ONNX Runtime give the engine's outputs: seeded random stacks and a trained model.
/// </summary>
public class LayerExportTests
{
    [Fact]
    public void RandomStacksOfDropoutBatchNormalisationAndFlattenGiveTheEnginesOutputs()
    {
        var random = new Random(16);
        for (int trial = 0; trial < 150; trial++)
        {
            var model = RandomModel(random);
            int rows = random.Next(1, 30);
            var x = new float[rows * model.FeatureCount];
            for (int i = 0; i < x.Length; i++) x[i] = (float)(4 * (random.NextDouble() - 0.5));
            var expected = new float[rows * model.OutputCount];
            model.PredictBatch(x, expected);
            using var onnx = OnnxRunner.Export(model);
            var outputs = onnx.Run(x, rows);
            var actual = (float[])outputs[model.IsClassifier ? OnnxExporter.ProbabilitiesOutput : OnnxExporter.ValueOutput];
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f + 1e-5f * Math.Abs(expected[i]),
                    $"Trial {trial} ({model.Task}, {model.Network.InputShape}: {LayerText.Format(model.Network.Specs())}), output {i}: engine {expected[i]:R}, ONNX Runtime {actual[i]:R}.");
        }
    }

    [Fact]
    public void ATrainedNetworkWithBatchNormalisationAndDropoutGivesTheEnginesProbabilities()
    {
        var data = TestData.Load("digits");
        var model = Trainers.MulticlassClassification(new NeuralNetworkOptions
        {
            Layers = LayerText.Parse("dense32,bn,dropout0.3,dense16:tanh,bn"), Epochs = 3, Seed = 2, Threads = 1,
        }).Fit(data).Model;
        var expected = model.PredictBatch(data);
        using var onnx = OnnxRunner.Export(model);
        var actual = (float[])onnx.Run(data.Features.ToArray(), data.Rows)[OnnxExporter.ProbabilitiesOutput];
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f, $"value {i}: engine {expected[i]:R}, ONNX Runtime {actual[i]:R}");
        Assert.Contains("bn", onnx.Session.ModelMetadata.CustomMetadataMap[OnnxExporter.ArchitectureKey]);
    }

    private static NeuralNetworkModel RandomModel(Random random)
    {
        var task = (TaskKind)random.Next(3);
        var specs = new List<LayerSpec>();
        LayerShape input;
        if (random.Next(2) == 0)
        {
            // An image: per-channel layers on it, then flatten.
            input = LayerShape.Image(random.Next(1, 5), random.Next(1, 5), random.Next(1, 4));
            for (int l = random.Next(0, 3); l > 0; l--) specs.Add(random.Next(2) == 0 ? LayerSpec.Dropout(0.5f) : LayerSpec.BatchNormalization(0.9f, (float)(1e-5 + random.NextDouble() * 1e-2)));
            specs.Add(LayerSpec.Flatten());
        }
        else
        {
            input = LayerShape.Flat(random.Next(1, 13));
        }
        for (int l = random.Next(0, 5); l > 0; l--)
            specs.Add(random.Next(3) switch
            {
                0 => LayerSpec.Dense(random.Next(1, 17), new[] { ActivationKind.Tanh, ActivationKind.ReLU, ActivationKind.Sigmoid }[random.Next(3)]),
                1 => LayerSpec.Dropout((float)random.NextDouble() * 0.9f),
                _ => LayerSpec.BatchNormalization(),
            });
        if (random.Next(4) == 0) specs.Add(LayerSpec.Flatten());
        int classes = task == TaskKind.BinaryClassification ? 2 : random.Next(2, 6);
        specs.Add(task switch
        {
            TaskKind.BinaryClassification => new LayerSpec(1, ActivationKind.Sigmoid),
            TaskKind.MulticlassClassification => new LayerSpec(classes, ActivationKind.Softmax),
            _ => new LayerSpec(random.Next(1, 4), ActivationKind.Identity),
        });
        var network = new NeuralNetwork(input, specs);
        for (int l = 0; l < network.Layers.Count; l++)
        {
            float scale = 2f / MathF.Sqrt(network.Layers[l].Inputs);
            foreach (ref float w in network.Weights(l)) w = scale * (float)(random.NextDouble() - 0.5);
            foreach (ref float b in network.Biases(l)) b = (float)(random.NextDouble() * 2 - 0.5);
            var state = network.LayerState(l);
            for (int j = 0; j < state.Length; j++) state[j] = j < state.Length / 2 ? (float)(random.NextDouble() - 0.5) : (float)(0.1 + 2 * random.NextDouble());
        }
        FeatureScaler? scaler = random.Next(3) == 0 ? null : new FeatureScaler(ScalerKind.Standardization,
            Enumerable.Range(0, input.Size).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray(),
            Enumerable.Range(0, input.Size).Select(_ => (float)(0.2 + random.NextDouble())).ToArray());
        var names = task == TaskKind.Regression ? null : Enumerable.Range(0, classes).Select(c => $"class {c}").ToArray();
        return new NeuralNetworkModel(network, new NeuralNetworkOptions { Task = task, Threads = 1 }, names, null, scaler);
    }
}

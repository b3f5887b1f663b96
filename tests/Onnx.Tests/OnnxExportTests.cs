using MLNetNN.Activations;
using MLNetNN.Data;
using MLNetNN.Models;
using MLNetNN.Networks;
using MLNetNN.Serialization.Onnx;
using MLNetNN.Training;

namespace MLNetNN.Onnx.Tests;

/// <summary>
/// Exported models run in ONNX Runtime give the engine's outputs within 1e-5: every hidden activation on a multiclass, a
/// binary, a 64-feature and a regression data set, single rows and batches of 1, 7 and 500.
/// </summary>
public class OnnxExportTests
{
    private const float Tolerance = 1e-5f;

    public static TheoryData<string, TaskKind, ActivationKind> DataSetsAndActivations()
    {
        var data = new TheoryData<string, TaskKind, ActivationKind>();
        (string, TaskKind)[] sets =
        [
            ("iris", TaskKind.MulticlassClassification), ("breast_cancer", TaskKind.BinaryClassification),
            ("digits", TaskKind.MulticlassClassification), ("friedman1", TaskKind.Regression),
        ];
        ActivationKind[] hidden =
        [
            ActivationKind.ReLU, ActivationKind.Sigmoid, ActivationKind.Tanh, ActivationKind.LeakyReLU, ActivationKind.ELU,
            ActivationKind.Softplus, ActivationKind.Identity,
        ];
        foreach (var (set, task) in sets)
            foreach (var activation in hidden) data.Add(set, task, activation);
        return data;
    }

    [Theory]
    [MemberData(nameof(DataSetsAndActivations))]
    public void OnnxRuntimeGivesTheEnginesOutputs(string set, TaskKind task, ActivationKind activation)
    {
        var data = TestData.Load(set);
        var model = Train(data, task, activation);
        using var onnx = OnnxRunner.Export(model);
        AssertSameOutputs(model, onnx, data);
    }

    [Theory]
    [InlineData(ScalingKind.None)]
    [InlineData(ScalingKind.MinMax)]
    public void EveryFeatureScalingIsFoldedIn(ScalingKind scaling)
    {
        var data = TestData.Load("breast_cancer");
        var model = Train(data, TaskKind.BinaryClassification, ActivationKind.Tanh, scaling);
        Assert.Equal(scaling == ScalingKind.None, model.Scaler is null);
        using var onnx = OnnxRunner.Export(model);
        AssertSameOutputs(model, onnx, data);
    }

    [Theory]
    [InlineData(ScalingKind.Standardize)]
    [InlineData(ScalingKind.MinMax)]
    [InlineData(ScalingKind.None)]
    public void EveryTargetScalingIsFoldedIn(ScalingKind scaling)
    {
        // friedman2's target has mean 473 and standard deviation 382: the outputs are far from the network's own units.
        var data = TestData.Load("friedman2");
        var model = new NeuralNetworkTrainer(new NeuralNetworkOptions
        {
            Task = TaskKind.Regression, HiddenLayers = [16, 8], TargetScaling = scaling, Epochs = 40, LearningRate = 0.01f, Seed = 1, Threads = 1,
        }).Fit(data).Model;
        Assert.Equal(scaling == ScalingKind.None, model.TargetScaler is null);
        using var onnx = OnnxRunner.Export(model);
        AssertSameOutputs(model, onnx, data);
        if (scaling != ScalingKind.None) Assert.InRange(model.PredictBatch(data).Average(), 300, 700);
    }

    [Theory]
    [InlineData("conv8x3,pool2,conv6x2s2:tanh,flatten,dense16", ScalingKind.None)]
    [InlineData("conv4x3s2:same:elu,pool3s1:same,flatten,dropout0.2", ScalingKind.Standardize)]
    [InlineData("pool2s1,conv5x1:sigmoid,conv3x4:same,pool2:same,flatten", ScalingKind.MinMax)]
    public void ConvolutionsAndPoolingGiveTheEnginesOutputs(string layers, ScalingKind scaling)
    {
        // digits' rows are 8×8 grey images: Conv and MaxPool with strides and explicit padding, the channels-last flatten after them.
        var data = TestData.Load("digits");
        var model = Trainers.MulticlassClassification(new NeuralNetworkOptions
        {
            Layers = LayerText.Parse(layers), InputShape = Layers.LayerShape.Image(8, 8, 1), Scaling = scaling, Epochs = 3, Seed = 1, Threads = 1,
        }).Fit(data).Model;
        using var onnx = OnnxRunner.Export(model);
        AssertSameOutputs(model, onnx, data);
    }

    [Fact]
    public void StepLayersGiveTheEnginesOutputs()
    {
        // Gradient descent cannot train through a step, so the weights of a trained ReLU network are put under step units.
        var data = TestData.Load("iris");
        var trained = Train(data, TaskKind.MulticlassClassification, ActivationKind.ReLU);
        var specs = trained.Network.Specs().Select((s, l) => l < trained.Network.Layers.Count - 1 ? s with { Activation = ActivationKind.Step } : s).ToArray();
        var network = new NeuralNetwork(trained.FeatureCount, specs);
        trained.Network.Parameters.CopyTo(network.Parameters, 0);
        var model = new NeuralNetworkModel(network, trained.Options, trained.ClassNames, trained.FeatureNames, trained.Scaler);
        using var onnx = OnnxRunner.Export(model);
        AssertSameOutputs(model, onnx, data);
    }

    [Fact]
    public void PerceptronsStepOutputIsExported()
    {
        var data = TestData.Load("breast_cancer");
        var scaled = FeatureScaler.FitStandardization(data).Transform(data);
        var model = new PerceptronTrainer(epochs: 5, seed: 1).Fit(scaled).Model;
        Assert.Equal(ActivationKind.Step, model.Network.Layers[^1].Activation.Kind);
        using var onnx = OnnxRunner.Export(model);
        AssertSameOutputs(model, onnx, scaled);
    }

    [Fact]
    public void StepIsOneAtZero()
    {
        // The engine's step is 1 at z = 0 exactly (z ≥ 0); z > 0 would give 0. Zero weights and bias make every z zero.
        var network = new NeuralNetwork(3, [new LayerSpec(2, ActivationKind.Step), new LayerSpec(1, ActivationKind.Identity)]);
        network.Weights(1).Fill(0.25f);
        var model = new NeuralNetworkModel(network, new NeuralNetworkOptions { Task = TaskKind.Regression }, null, null, null);
        using var onnx = OnnxRunner.Export(model);
        float[] rows = [1f, -2f, 3f, 0f, 0f, 0f];
        var expected = new float[2];
        model.PredictBatch(rows, expected);
        Assert.Equal([0.5f, 0.5f], expected);
        Assert.Equal(expected, (float[])onnx.Run(rows, 2)[OnnxExporter.ValueOutput]);
    }

    [Fact]
    public void AlphasOfLeakyReLUAndELUAreCarried()
    {
        // A non-default α that the default (0.01, 1) would not reproduce.
        var data = TestData.Load("friedman1");
        foreach (var activation in new[] { ActivationKind.LeakyReLU, ActivationKind.ELU })
        {
            var model = Train(data, TaskKind.Regression, activation, alpha: 0.3f);
            Assert.Equal(0.3f, model.Network.Layers[0].Activation.Alpha);
            using var onnx = OnnxRunner.Export(model);
            AssertSameOutputs(model, onnx, data);
        }
    }

    internal static NeuralNetworkModel Train(Dataset data, TaskKind task, ActivationKind activation, ScalingKind scaling = ScalingKind.Standardize, float? alpha = null)
    {
        var options = new NeuralNetworkOptions
        {
            Task = task, HiddenLayers = [16, 8], HiddenActivation = activation, Scaling = scaling, Epochs = 40, LearningRate = 0.01f, Seed = 1, Threads = 1,
            ActivationAlpha = alpha ?? activation switch { ActivationKind.LeakyReLU => 0.1f, ActivationKind.ELU => 0.5f, _ => null },
        };
        return new NeuralNetworkTrainer(options).Fit(data).Model;
    }

    /// <summary>Single rows, then batches of 1, 7 and 500 rows (wrapping around small data sets), then the whole set.</summary>
    private static void AssertSameOutputs(NeuralNetworkModel model, OnnxRunner onnx, Dataset data)
    {
        for (int row = 0; row < 5; row++) AssertBatch(model, onnx, TestData.Rows(data, row * 13, 1), 1);
        foreach (int count in new[] { 1, 7, 500 }) AssertBatch(model, onnx, TestData.Rows(data, 3 * count, count), count);
        AssertBatch(model, onnx, data.Features, data.Rows);
    }

    private static void AssertBatch(NeuralNetworkModel model, OnnxRunner onnx, float[] rows, int count)
    {
        var expected = new float[count * model.OutputCount];
        if (count == 1) model.Predict(rows, expected);
        else model.PredictBatch(rows, expected);
        var outputs = onnx.Run(rows, count);

        if (!model.IsClassifier)
        {
            Assert.Equal([OnnxExporter.ValueOutput], outputs.Keys);
            // 1e-5 in the network's own units (a target scaler multiplies a difference there by 1/scale, σ for standardised targets),
            // and 1e-5 relative: a float near 500 is only resolved to 6e-5.
            float tolerance = model.TargetScaler is { } targets ? Tolerance / targets.Scale.Min() : Tolerance;
            AssertClose(expected, (float[])outputs[OnnxExporter.ValueOutput], tolerance, relative: Tolerance);
            return;
        }
        AssertClose(expected, (float[])outputs[OnnxExporter.ProbabilitiesOutput]);
        var classes = (long[])outputs[OnnxExporter.PredictedClassOutput];
        var labels = (string[])outputs[OnnxExporter.PredictedLabelOutput];
        Assert.Equal(count, classes.Length);
        for (int r = 0; r < count; r++)
        {
            int engineClass = model.PredictClass(rows.AsSpan(r * model.FeatureCount, model.FeatureCount));
            Assert.Equal(engineClass, classes[r]);
            Assert.Equal(model.ClassNames![engineClass], labels[r]);
        }
        if (model.Task == TaskKind.BinaryClassification)
        {
            var probability = (float[])outputs[OnnxExporter.ProbabilityOutput];
            AssertClose(Enumerable.Range(0, count).Select(r => expected[2 * r + 1]).ToArray(), probability);
        }
    }

    private static void AssertClose(float[] expected, float[] actual, float tolerance = Tolerance, float relative = 0f)
    {
        Assert.Equal(expected.Length, actual.Length);
        float worst = 0f;
        int at = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            float difference = Math.Abs(expected[i] - actual[i]) - relative * Math.Abs(expected[i]);
            if (!(difference <= worst)) (worst, at) = (difference, i);
        }
        Assert.True(worst <= tolerance, $"Output {at}: the engine gives {expected[at]:R}, ONNX Runtime {actual[at]:R} (difference {Math.Abs(expected[at] - actual[at]):G3} > {tolerance:G3}{(relative > 0 ? $" + {relative:G3} of the value" : "")}).");
    }
}

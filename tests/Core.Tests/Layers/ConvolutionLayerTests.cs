using MLNetNN.Activations;
using MLNetNN.Data;
using MLNetNN.Layers;
using MLNetNN.Networks;
using MLNetNN.Numerics;
using MLNetNN.Optimizers;
using MLNetNN.Serialization;
using MLNetNN.Tests.Serialization;
using MLNetNN.Tests.Training;
using MLNetNN.Training;

namespace MLNetNN.Tests.Layers;

/// <summary>Convolution and max pooling as layers: their text form, shapes, errors, model files, thread counts and allocation.</summary>
public class ConvolutionLayerTests
{
    [Fact]
    public void The_lectures_network_reads_from_text_and_has_Keras_shapes_and_parameter_counts()
    {
        var specs = LayerText.Parse("conv32x3,pool2,conv64x3,pool2,flatten,dense128,dropout0.5");
        var network = new NeuralNetwork(LayerShape.Image(28, 28, 1), [.. specs, new LayerSpec(10, ActivationKind.Softmax)]);
        Assert.Equal(["26x26x32", "13x13x32", "11x11x64", "5x5x64", "1600", "128", "128", "10"], network.Layers.Select(l => l.OutputShape.ToString()));
        // Keras's summary of the same network: 320, 0, 18,496, 0, 0, 204,928, 0, 1,290.
        Assert.Equal([320, 0, 18_496, 0, 0, 204_928, 0, 1_290], network.Layers.Select(l => l.ParameterCount));
        Assert.Equal(ActivationKind.ReLU, network.Layers[0].Activation.Kind);
    }

    [Fact]
    public void The_summary_names_convolution_and_pooling_rows_with_their_windows()
    {
        var network = new NeuralNetwork(LayerShape.Image(28, 28, 1),
            [.. LayerText.Parse("conv32x3,pool2,conv16x5s2:same:tanh,pool3s1:same,flatten"), new LayerSpec(10, ActivationKind.Softmax)]);
        var rows = network.Summary().Layers;
        Assert.Equal(["conv_1", "maxpool_2", "conv_3", "maxpool_4", "flatten_5", "output"], rows.Select(r => r.Name));
        Assert.Equal(["ReLU, 3×3", "2×2", "Tanh, 5×5, stride 2, same", "3×3, stride 1, same", ""], rows.Take(5).Select(r => r.Activation));
        Assert.Equal((288, 32), (rows[0].Weights, rows[0].Biases));
        Assert.Contains("conv_3", network.Summary().ToString());
    }

    [Theory]
    [InlineData("conv32x3", "conv32x3:relu")]
    [InlineData("CONV16x5S2:Same:Tanh", "conv16x5s2:same:tanh")]
    [InlineData("conv8x3:leakyrelu0.2:valid", "conv8x3:leakyrelu0.2")]
    [InlineData("pool2", "pool2")]
    [InlineData("maxpool3s2:same", "pool3s2:same")]
    [InlineData("pool2s2:valid", "pool2")]
    public void Text_forms_read_and_write_back(string text, string canonical)
    {
        var spec = Assert.Single(LayerText.Parse(text));
        Assert.Equal(canonical, spec.ToString());
        Assert.Equal(spec, Assert.Single(LayerText.Parse(canonical)));
    }

    [Theory]
    [InlineData("conv32", "filters x kernel")]
    [InlineData("conv0x3", "at least one filter")]
    [InlineData("conv32x0", "at least 1")]
    [InlineData("conv32x3s0", "at least 1")]
    [InlineData("conv32xx3", "filters x kernel")]
    [InlineData("conv32x3:same:valid", "one padding")]
    [InlineData("conv32x3:tanh:relu", "one activation")]
    [InlineData("conv32x3:sideways", "not an activation")]
    [InlineData("pool", "number is missing")]
    [InlineData("pool2:tanh", "not a padding")]
    [InlineData("pool2x2", "not a whole number")]
    public void Bad_text_is_refused_naming_the_layer(string text, string problem)
    {
        var e = Assert.Throws<FormatException>(() => LayerText.Parse("dense4," + text));
        Assert.Contains("layer 2", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Mutated_text_forms_parse_and_write_back_or_are_refused_with_a_FormatException()
    {
        // 5,000 seeded mutations (characters replaced, inserted, deleted, doubled) of convolution and pooling layers.
        string[] seeds = ["conv32x3s2:same:tanh,pool3s2:same", "conv8x5:leakyrelu0.1,maxpool2,flatten", "pool2s1:valid,conv4x1"];
        const string alphabet = "convpolmaxsfetdiuyhr0123456789.:,xX ";
        var random = new Random(16);
        int parsed = 0;
        for (int i = 0; i < 5000; i++)
        {
            var text = new System.Text.StringBuilder(seeds[i % seeds.Length]);
            for (int m = random.Next(1, 4); m > 0 && text.Length > 0; m--)
            {
                int at = random.Next(text.Length);
                switch (random.Next(4))
                {
                    case 0: text[at] = alphabet[random.Next(alphabet.Length)]; break;
                    case 1: text.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                    case 2: text.Remove(at, 1); break;
                    default: text.Insert(at, text[at]); break;
                }
            }
            IReadOnlyList<LayerSpec> specs;
            try
            {
                specs = LayerText.Parse(text.ToString());
            }
            catch (FormatException)
            {
                continue;
            }
            parsed++;
            Assert.Equal(specs, LayerText.Parse(LayerText.Format(specs)));
        }
        Assert.InRange(parsed, 100, 4900);
    }

    [Theory]
    [InlineData("784", "conv8x3", "takes an image")]
    [InlineData("784", "pool2", "takes an image")]
    [InlineData("5x5x1", "conv8x7", "does not fit")]
    [InlineData("4x4x2", "pool2,pool2,pool2", "does not fit")]
    [InlineData("8x8x1", "conv4x3:softmax", "softmax")]
    [InlineData("8x8x1", "conv4x3:step,flatten", "Step")]
    public void Layers_that_cannot_take_their_input_are_refused_before_training(string shape, string layers, string problem)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new NeuralNetworkOptions { Layers = LayerText.Parse(layers), InputShape = LayerShape.Parse(shape) }.Validate());
        Assert.Contains(problem, e.Message);
        // The option is named once, as every option's refusal names it (front ends reword that); not the layer's own parameters too.
        Assert.Equal("Layers", e.ParamName);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(e.Message, @"\(Parameter '"));
    }

    [Fact]
    public void A_model_file_brings_back_the_same_network_and_predictions()
    {
        var data = DigitImages();
        var model = Trainers.MulticlassClassification(Options("conv6x3:same,pool2,conv4x2s2:tanh,pool2:same,flatten,dense8", threads: 1, epochs: 2)).Fit(data).Model;
        string path = Path.Combine(Path.GetTempPath(), $"mlnetnn-cnn-{Guid.NewGuid():N}.mlnn");
        try
        {
            model.Save(path);
            var loaded = Models.NeuralNetworkModel.Load(path);
            Assert.Equal(model.Network.Specs(), loaded.Network.Specs());
            Assert.Equal(model.Network.InputShape, loaded.Network.InputShape);
            Assert.Equal(model.PredictBatch(data), loaded.PredictBatch(data));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Layer_activations_show_each_layers_own_output_for_inspection()
    {
        var data = DigitImages();
        var model = Trainers.MulticlassClassification(Options("conv4x3,pool2,flatten,dropout0.3,dense8", threads: 1, epochs: 1)).Fit(data).Model;
        var rows = data.Features.AsSpan(0, 20 * 64);
        float[] conv = model.LayerActivations(0, rows), pool = model.LayerActivations(1, rows);
        Assert.Equal(20 * 6 * 6 * 4, conv.Length);
        Assert.Equal(20 * 3 * 3 * 4, pool.Length);
        // The pooling layer's activations are the 2×2 maxima of the convolution's (6×6×4, channels last), image by image.
        for (int image = 0; image < 20; image++)
        for (int y = 0; y < 3; y++)
        for (int x = 0; x < 3; x++)
        for (int c = 0; c < 4; c++)
        {
            float max = float.NegativeInfinity;
            for (int dy = 0; dy < 2; dy++)
            for (int dx = 0; dx < 2; dx++)
                max = Math.Max(max, conv[image * 144 + ((2 * y + dy) * 6 + 2 * x + dx) * 4 + c]);
            Assert.Equal(max, pool[image * 36 + (y * 3 + x) * 4 + c]);
        }
        Assert.Equal(pool, model.LayerActivations(2, rows));   // flatten keeps the values in their order
        Assert.Equal(pool, model.LayerActivations(3, rows));   // dropout is the identity at inference
        var probabilities = new float[20 * model.OutputCount];
        model.PredictBatch(rows, probabilities);
        Assert.Equal(probabilities, model.LayerActivations(5, rows));   // the softmax output
    }

    [Fact]
    public void Model_files_with_broken_convolution_or_pooling_records_are_refused_naming_the_layer()
    {
        var model = Trainers.MulticlassClassification(Options("conv3x3:same,pool2,flatten", threads: 1, epochs: 1)).Fit(DigitImages()).Model;
        using var stream = new MemoryStream();
        ModelFile.Save(model, stream);
        var (json, parameters) = ModelBytes.Split(stream.ToArray());
        ModelFormatException Refused(Action<System.Text.Json.Nodes.JsonObject> edit)
        {
            var root = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
            edit(root);
            return Assert.Throws<ModelFormatException>(() => ModelFile.Load(new MemoryStream(ModelBytes.Build(root.ToJsonString(), parameters, version: 3)), "crafted"));
        }
        Assert.Contains("layer 1 (Convolution) needs a Size, a Stride and a Padding", Refused(root => root["Layers"]![0]!.AsObject().Remove("Stride")).Message);
        Assert.Contains("layer 2 (MaxPooling) needs a Size", Refused(root => root["Layers"]![1]!.AsObject().Remove("Size")).Message);
        Assert.Contains("layer 3 (Flatten) has no Size", Refused(root => root["Layers"]![2]!["Size"] = 2).Message);
        Assert.Contains("layer 2 (MaxPooling) has no Units", Refused(root => root["Layers"]![1]!["Units"] = 2).Message);
        Assert.Contains("Sideways", Refused(root => root["Layers"]![0]!["Padding"] = "Sideways").Message);
        Assert.Contains("stride", Refused(root => root["Layers"]![0]!["Stride"] = 0).Message);
        Assert.Contains("does not fit", Refused(root => { root["Layers"]![0]!["Size"] = 9; root["Layers"]![0]!["Padding"] = "Valid"; }).Message);
        Assert.Contains("not those the options describe", Refused(root => root["Layers"]![0]!["Stride"] = 2).Message);
    }

    /// <summary>
    /// Batches of 32, and of 128 with 16 filters, whose pooling gradients and activation derivatives are large enough to be
    /// split over threads too (the convolutions' gradient groups are split in both).
    /// </summary>
    [Theory]
    [InlineData("conv8x3,pool2,conv8x3:same,flatten,dense16,dropout0.3", 32, 3)]
    [InlineData("conv16x3:same,pool2,conv8x3,flatten,dense16,dropout0.3", 128, 8)]
    public void Training_gives_the_same_weights_on_one_and_two_threads_and_learns(string layers, int batch, int epochs)
    {
        var data = DigitImages();
        var one = Trainers.MulticlassClassification(Options(layers, threads: 1, epochs) with { BatchSize = batch }).Fit(data).Model;
        var two = Trainers.MulticlassClassification(Options(layers, threads: 2, epochs) with { BatchSize = batch }).Fit(data).Model;
        Assert.Equal(one.Network.Parameters, two.Network.Parameters);
        Assert.True(one.EvaluateClassification(data).Accuracy > 0.8, $"training accuracy {one.EvaluateClassification(data).Accuracy}");
    }

    [Fact]
    public void An_image_gets_the_same_probabilities_alone_as_in_a_batch()
    {
        var data = DigitImages();
        var model = Trainers.MulticlassClassification(Options("conv4x3,pool2,flatten", threads: 2, epochs: 1)).Fit(data).Model;
        var batch = model.PredictBatch(data);
        var alone = new float[model.OutputCount];
        for (int r = 0; r < 50; r++)
        {
            model.Predict(data.Row(r), alone);
            Assert.Equal(batch.AsSpan(r * alone.Length, alone.Length).ToArray(), alone);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Extra_epochs_cost_no_allocation_per_mini_batch(int threads)
    {
        // 1,797 images in batches of 4: 450 batches an epoch, so one 24-byte object per batch would add 10 kB an epoch.
        var data = DigitImages();
        var options = Options("conv4x3,pool2,conv4x2:same,flatten,dropout0.2", threads, epochs: 1) with { BatchSize = 4 };
        long perEpoch = EpochAllocation.PerExtraEpoch(options, data, fewer: 2, more: 4);
        Assert.True(perEpoch < 8_000, $"each extra epoch allocated {perEpoch} bytes");
    }

    [Fact]
    public void Split_backward_passes_cost_no_allocation_per_mini_batch()
    {
        // Batches of 128 on 2 threads: the convolutions' gradient groups, the pooling gradient and the activation derivatives
        // are split over the pool, from buffers made once. 15 batches an epoch over 10 extra epochs, so the group sums made anew
        // per batch (7 × 1,168 floats) would add 490 kB an epoch, and one 600-byte job per batch 9 kB.
        var data = DigitImages();
        var options = Options("conv16x3:same,pool2,conv8x3,flatten,dense16", threads: 2, epochs: 1) with { BatchSize = 128 };
        long perEpoch = EpochAllocation.PerExtraEpoch(options, data, fewer: 2, more: 12);
        Assert.True(perEpoch < 8_000, $"each extra epoch allocated {perEpoch} bytes");
    }

    private static NeuralNetworkOptions Options(string layers, int threads, int epochs) => new()
    {
        Task = TaskKind.MulticlassClassification, Layers = LayerText.Parse(layers), InputShape = LayerShape.Image(8, 8, 1),
        Optimizer = OptimizerKind.Adam, LearningRate = 3e-3f, BatchSize = 32, Epochs = epochs, Seed = 3, Threads = threads,
        Convergence = ConvergenceCriterion.None, ValidationFraction = 0f, EarlyStopping = false,
    };

    /// <summary>scikit-learn's digits: 1,797 images of 8×8 grey pixels.</summary>
    private static Dataset DigitImages() => TestData.Digits();
}

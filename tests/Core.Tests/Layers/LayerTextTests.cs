using System.Globalization;
using System.Text;
using MLNetNN.Activations;
using MLNetNN.Layers;
using MLNetNN.Networks;
using MLNetNN.Training;
using Xunit;

namespace MLNetNN.Tests.Layers;

/// <summary>The text form of hidden layers (<c>dense128,dropout0.5,bn,dense64</c>), the typed builder, and shapes: what they read, what they refuse and how they say so.</summary>
public class LayerTextTests
{
    [Fact]
    public void The_text_form_reads_every_kind_with_defaults_and_options()
    {
        var layers = LayerText.Parse(" Dense128 , dropout0.5,bn, dense64:tanh,batchnorm0.9:1e-5,dense8:LeakyReLU0.2,flatten", ActivationKind.ELU, 0.5f);
        Assert.Equal(
        [
            LayerSpec.Dense(128, ActivationKind.ELU, 0.5f), LayerSpec.Dropout(0.5f), LayerSpec.BatchNormalization(), LayerSpec.Dense(64, ActivationKind.Tanh),
            LayerSpec.BatchNormalization(0.9f, 1e-5f), LayerSpec.Dense(8, ActivationKind.LeakyReLU, 0.2f), LayerSpec.Flatten(),
        ], layers);
        Assert.Empty(LayerText.Parse("  "));
        Assert.Equal(LayerSpec.Dense(16), LayerText.Parse("dense16")[0]);
    }

    [Fact]
    public void The_builder_and_the_text_form_describe_the_same_layers_and_format_round_trips()
    {
        var built = new LayerStack().Dense(128).Dropout(0.5f).BatchNormalization().Dense(64, ActivationKind.Tanh).BatchNormalization(0.9f, 1e-5f).Flatten();
        Assert.Equal(LayerText.Parse("dense128,dropout0.5,bn,dense64:tanh,bn0.9:1e-5,flatten"), built);
        Assert.Equal("dense128:relu,dropout0.5,bn,dense64:tanh,bn0.9:1E-05,flatten", built.ToString());
        Assert.Equal(built, LayerText.Parse(built.ToString()));
    }

    [Theory]
    [InlineData("dense128,dropuot0.5", "layer 2 ('dropuot0.5', at character 10)", "'dropuot' is not a layer")]
    [InlineData("dense", "layer 1 ('dense', at character 1)", "the number is missing")]
    [InlineData("dense0", "layer 1", "at least one unit")]
    [InlineData("dense12x", "layer 1", "'12x' is not a whole number")]
    [InlineData("dense8,,bn", "layer 2 ('', at character 8)", "the layer is empty")]
    [InlineData("dense8:tanhh", "layer 1", "'tanhh' is not an activation")]
    [InlineData("dense8:relu0.3", "layer 1", "ReLU takes no α")]
    [InlineData("dropout1.5", "layer 1", "in [0, 1)")]
    [InlineData("dropout-0.1", "layer 1", "'-0.1' is not a number")]
    [InlineData("dropoutNaN", "layer 1", "'dropoutnan' is not a layer")]
    [InlineData("dropout0.5:x", "layer 1", "dropout takes no ':' options")]
    [InlineData("bn1.5", "layer 1", "momentum")]
    [InlineData("bn0.9:0", "layer 1", "epsilon")]
    [InlineData("flatten3", "layer 1", "flatten takes no setting")]
    [InlineData("bn, 7", "layer 2 ('7', at character 5)", "'7' is not a layer")]
    public void Bad_layers_are_refused_naming_the_token_its_position_and_what_was_expected(string text, string where, string problem)
    {
        var e = Assert.Throws<FormatException>(() => LayerText.Parse(text));
        Assert.Contains(where, e.Message);
        Assert.Contains(problem, e.Message);
        Assert.Contains($"of '{text}'", e.Message);
    }

    [Fact]
    public void Shapes_read_flat_widths_and_images_and_refuse_the_rest()
    {
        Assert.Equal(LayerShape.Flat(784), LayerShape.Parse("784"));
        Assert.Equal(LayerShape.Image(28, 28, 1), LayerShape.Parse(" 28x28x1 "));
        Assert.Equal(LayerShape.Image(32, 32, 3), LayerShape.Parse("32×32×3"));
        Assert.Equal("28x28x1", LayerShape.Image(28, 28, 1).ToString());
        foreach (string bad in new[] { "", "0", "28x28", "28x0x1", "-1", "axbxc", "65536x65536x1" })
            Assert.Throws<FormatException>(() => LayerShape.Parse(bad));
    }

    [Theory]
    [InlineData("65536x65536x1", "more than an array holds")]
    [InlineData("28x0x1", "a positive width")]
    [InlineData("28x28", "height x width x channels")]
    public void Bad_shapes_are_refused_naming_the_text_and_the_expected_form_without_parameter_names(string text, string problem)
    {
        var e = Assert.Throws<FormatException>(() => LayerShape.Parse(text));
        Assert.Contains($"'{text}'", e.Message);
        Assert.Contains(problem, e.Message);
        Assert.Contains("28x28x1", e.Message);
        Assert.DoesNotContain("(Parameter", e.Message);
        Assert.DoesNotContain("Actual value", e.Message);
    }

    private static readonly string[] ShapePieces =
    [
        "28", "1", "3", "0", "-1", "65536", "46341", "2147483647", "2147483648", "x", "x", "X", "×", " ", "*", ",", ".", "1e3", "٣", "\u0000", "😀",
    ];

    [Fact]
    public void Random_shape_text_either_parses_to_a_shape_that_formats_back_or_is_refused_with_a_clean_message()
    {
        // 10,000 seeded strings of numbers and separators: Parse gives a shape whose text reads back to it, or a
        // FormatException naming the text and the expected form, in the user's words (no .NET parameter names).
        var random = new Random(20261205);
        int parsed = 0;
        for (int i = 0; i < 10_000; i++)
        {
            var text = new StringBuilder();
            for (int n = random.Next(1, 8); n > 0; n--) text.Append(ShapePieces[random.Next(ShapePieces.Length)]);
            string s = text.ToString();
            LayerShape shape;
            try
            {
                shape = LayerShape.Parse(s);
            }
            catch (FormatException e)
            {
                Assert.Contains($"'{s}'", e.Message);
                Assert.Contains("28x28x1", e.Message);
                Assert.False(e.Message.Contains("(Parameter", StringComparison.Ordinal) || e.Message.Contains("Actual value", StringComparison.Ordinal),
                    $"'{s}' gave a message with .NET's parameter text: {e.Message}");
                continue;
            }
            parsed++;
            Assert.Equal(shape, LayerShape.Parse(shape.ToString()));
        }
        Assert.InRange(parsed, 100, 9900);
    }

    private static readonly string[] Pieces =
    [
        "dense", "dropout", "bn", "batchnorm", "flatten", "conv", "Dense", "DROPOUT", "128", "0", "0.5", "1", "1.5", "-1", "1e-5", "1e39",
        "NaN", ":", ":", ",", ",", " ", "tanh", "relu", "leakyrelu", "elu0.3", "softmax", "x", ".", "e", "2147483648", "٣", "\u0000", "😀",
    ];

    [Fact]
    public void Random_text_either_parses_to_layers_that_format_back_to_themselves_or_is_refused_with_a_format_error()
    {
        // 5,000 seeded strings of layer names, numbers and separators; whatever they are, Parse gives specifications that
        // format and parse back to themselves, or a FormatException of bounded length naming the text.
        var random = new Random(20261204);
        int parsed = 0;
        for (int i = 0; i < 5000; i++)
        {
            var text = new StringBuilder();
            for (int n = random.Next(1, 12); n > 0; n--) text.Append(Pieces[random.Next(Pieces.Length)]);
            string s = text.ToString();
            IReadOnlyList<LayerSpec> layers;
            try
            {
                layers = LayerText.Parse(s);
            }
            catch (FormatException e)
            {
                Assert.Contains(s, e.Message);
                Assert.True(e.Message.Length < 400 + 2 * s.Length, $"'{s}' gave a message of {e.Message.Length} characters");
                Assert.False(e.Message.Contains("(Parameter", StringComparison.Ordinal) || e.Message.Contains("Actual value", StringComparison.Ordinal),
                    $"'{s}' gave a message with .NET's parameter text: {e.Message}");
                continue;
            }
            parsed++;
            Assert.Equal(layers, LayerText.Parse(LayerText.Format(layers)));
        }
        Assert.InRange(parsed, 50, 4950);
    }

    [Fact]
    public void Activations_layers_and_summaries_are_written_alike_in_a_culture_with_decimal_commas()
    {
        var layers = new LayerStack().Dense(8, ActivationKind.LeakyReLU, 0.2f).Dropout(0.5f).BatchNormalization(0.9f, 1e-5f).Dense(4, ActivationKind.ELU, 1.5f);
        var network = new NeuralNetwork(4, [.. layers, new LayerSpec(3, ActivationKind.Softmax)]);
        string text = layers.ToString(), summary = network.Summary().ToString(), activation = Activation.Create(ActivationKind.LeakyReLU, 0.01f).ToString();
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            Assert.Equal("LeakyReLU(α=0.01)", Activation.Create(ActivationKind.LeakyReLU, 0.01f).ToString());
            Assert.Equal("ELU(α=1.5)", Activation.Create(ActivationKind.ELU, 1.5f).ToString());
            Assert.Equal(activation, Activation.Create(ActivationKind.LeakyReLU, 0.01f).ToString());
            Assert.Equal(text, layers.ToString());
            Assert.Equal(layers, LayerText.Parse(layers.ToString()));
            string german = network.Summary().ToString();
            Assert.Equal(summary, german);
            Assert.Contains("LeakyReLU(α=0.2)", german);
            // A refused setting is quoted as it was written.
            Assert.Contains("got 1.5.", Assert.Throws<FormatException>(() => LayerText.Parse("dropout1.5")).Message);
            Assert.Contains("got 1.5.", Assert.Throws<FormatException>(() => LayerText.Parse("bn1.5")).Message);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Options_carry_layers_and_an_input_shape_and_hidden_layer_sizes_keep_working()
    {
        var options = new NeuralNetworkOptions { HiddenLayers = [16, 8], HiddenActivation = ActivationKind.Tanh };
        Assert.Equal([LayerSpec.Dense(16, ActivationKind.Tanh), LayerSpec.Dense(8, ActivationKind.Tanh)], options.EffectiveHiddenLayers);
        var stack = new LayerStack().Dense(4);
        var layered = options with { Layers = stack };
        stack.Dropout(0.5f);   // the options keep their own copy
        Assert.Equal([LayerSpec.Dense(4)], layered.EffectiveHiddenLayers);
    }
}

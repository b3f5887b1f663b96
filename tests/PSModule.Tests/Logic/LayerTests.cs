using MLNetNN.Layers;
using MLNetNN.Networks;
using MLNetNN.PowerShell.Output;
using MLNetNN.PowerShell.Training;
using MLNetNN.Training;

namespace MLNetNN.PowerShell.Tests.Logic;

/// <summary>New-NeuralNet's -Layers and -InputShape: refusals in the parameter's words, completion, the spec and the model's layers.</summary>
public class LayerTests
{
    [Theory]
    [InlineData("dense16,dropuot0.5", "-Layers dense16,dropuot0.5 is not allowed: In layer 2 ('dropuot0.5', at character 9)")]
    [InlineData("dense16, dropout1.5", "-Layers dense16, dropout1.5 is not allowed: In layer 2 ('dropout1.5', at character 10)")]
    [InlineData("bn:1:2", "-Layers bn:1:2 is not allowed: In layer 1 ('bn:1:2', at character 1)")]
    [InlineData(",", "-Layers , is not allowed: In layer 1 ('', at character 1)")]
    public void A_text_the_engine_cannot_read_is_refused_naming_the_layer_and_its_position(string text, string start) =>
        Assert.StartsWith(start, LayerTokens.Refusal(text));

    [Theory]
    [InlineData("dense128,dropout0.5,bn,dense64")]
    [InlineData("DENSE8:Tanh, BN0.9:0.01 ,flatten")]
    [InlineData("conv8x3:same,pool2,flatten,dense16")]
    [InlineData("")]
    public void A_text_the_engine_reads_is_accepted(string text) => Assert.Null(LayerTokens.Refusal(text));

    [Fact]
    public void Completion_offers_each_kind_for_the_layer_being_typed_keeping_the_layers_before()
    {
        Assert.Equal(LayerTokens.Examples, LayerTokens.Complete(""));
        Assert.Equal(["dense128,dropout0.5", "dense128,dropout0.2"], LayerTokens.Complete("'dense128,dr"));
        Assert.Equal(["dense128,bn"], LayerTokens.Complete("dense128,B"));
        Assert.Equal(["dense64:relu"], LayerTokens.Complete("dense64:re"));
        Assert.Equal(HiddenActivations.Allowed.Select(a => "dense8,dense4:" + a.ToString().ToLowerInvariant()), LayerTokens.Complete("dense8,dense4:"));
        Assert.Empty(LayerTokens.Complete("dense8,xyz"));
        // Every offer is a layer the engine reads, of every kind it has.
        Assert.All(LayerTokens.Examples, e => Assert.Null(LayerTokens.Refusal(e)));
        Assert.Equal(Enum.GetValues<LayerKind>().Order(), LayerTokens.Examples.Select(e => LayerText.Parse(e)[0].Kind).Distinct().Order());
    }

    [Fact]
    public void Seeded_random_texts_are_refused_or_accepted_as_the_engine_reads_them_and_completion_keeps_what_was_typed()
    {
        // 5,000 texts from the layer text's own alphabet, mutated valid ones among them: the refusal never throws and agrees with
        // the engine, and completion never throws and only ever extends what was typed.
        var random = new Random(16);
        const string Alphabet = "densdropoutbnflatcvpl0123456789.,:xs'\" -e";
        string[] seeds = ["dense128,dropout0.5,bn", "conv8x3:same,pool2,flatten,dense16:tanh", "bn0.9:0.001,dense4:leakyrelu0.2"];
        for (int i = 0; i < 5_000; i++)
        {
            var text = new System.Text.StringBuilder(i % 2 == 0 ? seeds[random.Next(seeds.Length)] : "");
            for (int edits = random.Next(1, 6); edits > 0; edits--)
            {
                int at = random.Next(text.Length + 1);
                if (text.Length > 0 && random.Next(2) == 0) text.Remove(Math.Min(at, text.Length - 1), 1);
                else text.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
            }
            string typed = text.ToString();
            bool engineReads;
            try { LayerText.Parse(typed); engineReads = true; }
            catch (FormatException) { engineReads = false; }
            Assert.Equal(engineReads, LayerTokens.Refusal(typed) is null);
            string unquoted = typed.Trim('\'', '"');
            int comma = unquoted.LastIndexOf(',');
            Assert.All(LayerTokens.Complete(typed), c => Assert.StartsWith(unquoted[..(comma + 1)], c));
        }
    }

    [Fact]
    public void An_engine_refusal_of_layers_is_reworded_without_the_option_prefix()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new NeuralNetworkOptions { Layers = LayerText.Parse("dense8,dropout0.5"), Optimizer = Optimizers.OptimizerKind.Lbfgs }.Validate());
        string worded = OptionErrors.Describe(e, "dense8,dropout0.5", o => o);
        Assert.StartsWith("-Layers dense8,dropout0.5 is not allowed: dropout and batch normalisation make each training step differ from inference", worded);
        Assert.DoesNotContain("Layers:", worded);
        Assert.DoesNotContain("(Parameter", worded);
    }

    [Fact]
    public void The_spec_shows_its_layers_and_input_shape_or_its_hidden_layers()
    {
        var spec = new NeuralNetSpec(NeuralNetTask.Binary, new NeuralNetworkOptions
        {
            Layers = LayerText.Parse("conv4x3:same,pool2,flatten,dense8,dropout0.5"), InputShape = LayerShape.Image(8, 8, 1),
        });
        Assert.Equal("conv4x3:same:relu,pool2,flatten,dense8:relu,dropout0.5", spec.Layers);
        Assert.Equal("Binary 8x8x1 conv4x3:same:relu,pool2,flatten,dense8:relu,dropout0.5, Adam lr 0.001", spec.ToString());
        var plain = NeuralNetSpec.Default(NeuralNetTask.Multiclass);
        Assert.Null(plain.Layers);
        Assert.Null(plain.InputShape);
        Assert.Equal("Multiclass 100 ReLU, Adam lr 0.001", plain.ToString());
    }

    [Fact]
    public void A_trained_model_lists_each_layers_kind_and_parameters_and_names_them_in_its_architecture()
    {
        var options = new NeuralNetworkOptions { Layers = LayerText.Parse("dense16,dropout0.2,bn"), Epochs = 30, LearningRate = 0.01f, Seed = 1 };
        var spec = new NeuralNetSpec(NeuralNetTask.Multiclass, options);
        var rows = new Data.RowDatasetBuilder("Species", spec.LabelKind);
        foreach (var row in TestRows.Iris()) rows.Add(row);
        var result = new NeuralNetworkTrainer(new TrainingSettings().Apply(spec, rows.Build())).Fit(rows.Build());
        var model = new NeuralNetModel(result.Model, result, "Species");

        Assert.Equal("4-16-dropout0.2-bn-3", model.Architecture);
        Assert.Equal([LayerKind.Dense, LayerKind.Dropout, LayerKind.BatchNormalization, LayerKind.Dense], model.Layers.Select(l => l.Kind));
        Assert.Equal([80, 0, 32, 51], model.Layers.Select(l => l.ParameterCount));
        Assert.Equal(163, model.Parameters);
        Assert.Equal("Multiclass 4-16-dropout0.2-bn-3 (setosa, versicolor, virginica)", model.ToString());
    }
}

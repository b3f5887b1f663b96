using System.Text.Json.Nodes;
using MLNetNN.Layers;
using MLNetNN.Models;
using MLNetNN.Networks;
using MLNetNN.Serialization;
using MLNetNN.Training;
using Xunit;

namespace MLNetNN.Tests.Serialization;

/// <summary>Version 3 files: layers of several kinds, an image input's shape, and batch normalisation's running statistics after the parameters.</summary>
public sealed class LayerModelFileTests
{
    private static readonly Lazy<NeuralNetworkModel> Layered = new(() => Trainers.MulticlassClassification(new NeuralNetworkOptions
    {
        Layers = LayerText.Parse("bn,flatten,dense8,bn0.9:0.00001,dropout0.3,dense4:tanh"), InputShape = LayerShape.Image(2, 2, 1),
        Epochs = 5, Seed = 3, Threads = 1,
    }).Fit(TestData.Iris()).Model);

    private static byte[] Saved(NeuralNetworkModel model)
    {
        using var stream = new MemoryStream();
        ModelFile.Save(model, stream);
        return stream.ToArray();
    }

    private static ModelFormatException Refused(byte[] file) => Assert.Throws<ModelFormatException>(() => ModelFile.Load(new MemoryStream(file), "crafted"));

    [Fact]
    public void A_model_of_several_layer_kinds_round_trips_in_a_version_3_file_with_its_running_statistics()
    {
        var model = Layered.Value;
        byte[] file = Saved(model);
        Assert.Equal(3u, BitConverter.ToUInt32(file, 8));
        var loaded = ModelFile.Load(new MemoryStream(file), "saved");
        Assert.Equal(model.Network.Specs(), loaded.Network.Specs());
        Assert.Equal(LayerShape.Image(2, 2, 1), loaded.Network.InputShape);
        Assert.Equal(model.Network.Parameters, loaded.Network.Parameters);
        Assert.Equal(model.Network.State, loaded.Network.State);
        Assert.Contains(loaded.Network.State, v => v != 0f && v != 1f);
        Assert.Equal(model.Options.Layers, loaded.Options.Layers);
        Assert.Equal(model.Options.InputShape, loaded.Options.InputShape);
        var iris = TestData.Iris();
        Assert.Equal(model.PredictBatch(iris), loaded.PredictBatch(iris));
        Assert.Equal(model.Summary().ToString(), loaded.Summary().ToString());
        // Saved again, the same bytes.
        Assert.Equal(file, Saved(loaded));
    }

    [Fact]
    public void A_dense_model_declared_by_hidden_layer_sizes_is_still_written_as_version_2()
    {
        var model = Trainers.MulticlassClassification(new NeuralNetworkOptions { HiddenLayers = [4], Epochs = 2, Seed = 1 }).Fit(TestData.Iris()).Model;
        Assert.Equal(2u, BitConverter.ToUInt32(Saved(model), 8));
        var declared = Trainers.MulticlassClassification(new NeuralNetworkOptions { Layers = [LayerSpec.Dense(4)], Epochs = 2, Seed = 1 }).Fit(TestData.Iris()).Model;
        Assert.Equal(3u, BitConverter.ToUInt32(Saved(declared), 8));
    }

    private static byte[] Edited(Action<JsonObject> edit, Func<float[], float[]>? floats = null, uint version = 3)
    {
        var (json, parameters) = ModelBytes.Split(Saved(Layered.Value));
        var root = JsonNode.Parse(json)!.AsObject();
        edit(root);
        return ModelBytes.Build(root.ToJsonString(), floats is null ? parameters : floats(parameters), version: version);
    }

    [Fact]
    public void A_version_2_file_with_layer_kinds_or_an_image_shape_is_refused()
    {
        var e = Refused(Edited(_ => { }, version: 2));
        Assert.Contains("version-2", e.Message);
    }

    [Fact]
    public void A_layer_record_with_another_kind_s_fields_is_refused_naming_the_layer()
    {
        Assert.Contains("layer 5 (Dropout) has no Units", Refused(Edited(root => root["Layers"]![4]!["Units"] = 3)).Message);
        Assert.Contains("layer 5 (Dropout) needs a Rate", Refused(Edited(root => root["Layers"]![4]!.AsObject().Remove("Rate"))).Message);
        Assert.Contains("dropout rate", Refused(Edited(root => root["Layers"]![4]!["Rate"] = 1.5)).Message);
        Assert.Contains("momentum", Refused(Edited(root => root["Layers"]![3]!["Momentum"] = -0.1)).Message);
        Assert.Contains("not those the options describe", Refused(Edited(root => root["Layers"]![4]!["Rate"] = 0.25)).Message);
        // A flat input gives the first batch normalisation four channels, not one: the parameters no longer fit.
        Assert.Contains("the architecture needs", Refused(Edited(root => { root["InputShape"] = "4"; root["Options"]!["InputShape"] = "4"; })).Message);
        Assert.Contains("the InputShape 2x3x1 holds 6 values; InputCount is 4", Refused(Edited(root => root["InputShape"] = "2x3x1")).Message);
    }

    [Fact]
    public void Running_statistics_that_are_missing_negative_or_not_finite_are_refused()
    {
        var network = Layered.Value.Network;
        int parameters = network.ParameterCount, state = network.State.Length;
        Assert.Contains($"needs {parameters + state} parameters and state values", Refused(Edited(_ => { }, f => f[..parameters])).Message);
        // The first layer's running variance is the second value of the state.
        Assert.Contains("running variance of channel 1 is -1", Refused(Edited(_ => { }, f => { f[parameters + 1] = -1f; return f; })).Message);
        Assert.Contains("running statistic", Refused(Edited(_ => { }, f => { f[parameters] = float.NaN; return f; })).Message);
    }
}

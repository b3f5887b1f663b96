using System.Text.Json.Nodes;
using MLNetNN.Data;
using MLNetNN.Models;
using MLNetNN.Serialization;
using MLNetNN.Training;
using Xunit;

namespace MLNetNN.Tests.Serialization;

/// <summary>
/// Format version 2 stores a regression model's target scaler; version-1 files (which have none) still load and predict their
/// network's outputs. A target scaler that contradicts the options or could not map outputs back is refused by name.
/// </summary>
public sealed class TargetScalerFileTests
{
    private static readonly Lazy<(NeuralNetworkModel Model, Dataset Data)> Sine = new(() =>
    {
        var data = TestData.NoisySine(80, 0.1, 2);
        var shifted = new Dataset(data.Features, data.Rows, 1, data.Labels.Select(y => 300f * y + 450f).ToArray());
        return (Trainers.Regression(new NeuralNetworkOptions { HiddenLayers = [6], Epochs = 5, Seed = 1 }).Fit(shifted).Model, shifted);
    });

    private static byte[] Saved(NeuralNetworkModel model)
    {
        using var stream = new MemoryStream();
        ModelFile.Save(model, stream);
        return stream.ToArray();
    }

    private static byte[] Edited(Action<JsonObject> edit, uint version = ModelFile.FormatVersion)
    {
        var (json, parameters) = ModelBytes.Split(Saved(Sine.Value.Model));
        var root = JsonNode.Parse(json)!.AsObject();
        edit(root);
        return ModelBytes.Build(root.ToJsonString(), parameters, version: version);
    }

    private static ModelFormatException Refused(byte[] file) => Assert.Throws<ModelFormatException>(() => ModelFile.Load(new MemoryStream(file), "crafted"));

    [Fact]
    public void A_regression_model_round_trips_with_its_target_scaler_in_a_version_2_file()
    {
        var (model, data) = Sine.Value;
        byte[] file = Saved(model);
        Assert.Equal(2u, BitConverter.ToUInt32(file, 8));
        var loaded = ModelFile.Load(new MemoryStream(file), "saved");
        Assert.Equal(model.TargetScaler!.Offset, loaded.TargetScaler!.Offset);
        Assert.Equal(model.TargetScaler.Scale, loaded.TargetScaler.Scale);
        Assert.Equal(model.PredictBatch(data), loaded.PredictBatch(data));
        Assert.Equal(model.Options, loaded.Options with { HiddenLayers = model.Options.HiddenLayers });
        Assert.InRange(loaded.PredictBatch(data).Average(), 300, 600);
    }

    [Fact]
    public void A_version_1_regression_file_loads_without_target_scaling()
    {
        var model = ModelFile.Load(Path.Combine(AppContext.BaseDirectory, "Serialization", "Fixtures", "sine-v1.nn"));
        Assert.Null(model.TargetScaler);
        Assert.Equal(ScalingKind.None, model.Options.TargetScaling);
        var outputs = new float[1];
        float[] row = [0.25f];
        model.Predict(row, outputs);
        Assert.Equal(model.LayerActivations(model.Network.Layers.Count - 1, row)[0], outputs[0]);
        // Saved again, it is a version-2 file that still predicts the same.
        var again = ModelFile.Load(new MemoryStream(Saved(model)), "resaved");
        Assert.Null(again.TargetScaler);
        var outputsAgain = new float[1];
        again.Predict(row, outputsAgain);
        Assert.Equal(outputs[0], outputsAgain[0]);
    }

    [Fact]
    public void A_version_1_file_with_a_target_scaler_is_refused() =>
        Assert.Contains("version-1", Refused(Edited(_ => { }, version: 1)).Message);

    [Theory]
    [InlineData("Scale", "[0]", "scale 0")]
    [InlineData("Scale", "[-2]", "scale 0")]
    [InlineData("Scale", "[1e-45]", "scale 0")]
    [InlineData("Scale", "[\"NaN\"]", "scale 0")]
    [InlineData("Offset", "[\"Infinity\"]", "offset 0")]
    [InlineData("Offset", "[1, 2]", "1 outputs")]
    [InlineData("Scale", "[]", "1 outputs")]
    [InlineData("Offset", "null", "1 outputs")]
    [InlineData("Kind", "\"MinMax\"", "Standardize")]
    public void A_broken_target_scaler_is_refused_naming_it(string field, string value, string named)
    {
        var e = Refused(Edited(j => j["TargetScaler"]![field] = JsonNode.Parse(value)));
        Assert.Contains("TargetScaler", e.Message);
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void A_target_scaler_that_contradicts_the_options_is_refused()
    {
        Assert.Contains("no TargetScaler", Refused(Edited(j => j.Remove("TargetScaler"))).Message);
        Assert.Contains("scale no targets", Refused(Edited(j => j["Options"]!["TargetScaling"] = "None")).Message);
    }

    [Fact]
    public void A_target_scaler_whose_outputs_overflow_is_refused_when_saved_and_when_read()
    {
        // Scale 1e-30 maps an output of 1 to 1e30 and the network's bound past float's range for rows near the training data.
        var model = Sine.Value.Model;
        var tiny = new FeatureScaler(ScalerKind.Standardization, [0f], [1e-36f]);
        var huge = new NeuralNetworkModel(model.Network, model.Options, null, model.FeatureNames, model.Scaler, model.History, tiny);
        Assert.Contains("overflow", Assert.Throws<ArgumentException>(() => ModelFile.Save(huge, new MemoryStream())).Message);
        Assert.Contains("overflow", Refused(Edited(j => j["TargetScaler"]!["Scale"] = JsonNode.Parse("[1e-36]"))).Message);
    }
}

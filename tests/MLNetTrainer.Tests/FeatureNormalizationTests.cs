using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace MLNetNN.MLNet.Tests;

/// <summary>
/// <see cref="FeatureNormalization.Auto"/> against ML.NET's normalisers: a normaliser that marks its column <c>IsNormalized</c>
/// without centring it (<c>NormalizeMeanVariance</c>'s default <c>fixZero: true</c>, <c>NormalizeMinMax</c>) must not stop the
/// trainer from standardising.
/// </summary>
public sealed class FeatureNormalizationTests
{
    private static NeuralNetworkTransformer Train(MLContext ml, IDataView data, IEstimator<ITransformer>? normalizer, out IDataView features)
    {
        var trainer = ml.BinaryClassification.Trainers.NeuralNetwork(hiddenLayers: [16], epochs: 20);
        var fitted = normalizer?.Fit(data);
        features = fitted?.Transform(data) ?? data;
        return trainer.Fit(features);
    }

    [Fact]
    public void A_normaliser_that_only_rescales_trains_the_same_network_as_no_normaliser()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.BreastCancer(ml);
        var plain = Train(ml, data, null, out var plainFeatures);
        var rescaled = Train(ml, data, ml.Transforms.NormalizeMeanVariance("Features"), out var rescaledFeatures);
        var minMax = Train(ml, data, ml.Transforms.NormalizeMinMax("Features"), out var minMaxFeatures);

        Assert.NotNull(rescaled.Model.Scaler);
        Assert.NotNull(minMax.Model.Scaler);
        var expected = plain.Transform(plainFeatures).GetColumn<float>("Probability").ToArray();
        foreach (var (network, features) in new[] { (rescaled, rescaledFeatures), (minMax, minMaxFeatures) })
        {
            var actual = network.Transform(features).GetColumn<float>("Probability").ToArray();
            Assert.All(expected.Zip(actual), p => Assert.Equal(p.First, p.Second, 1e-3f));
        }
    }

    [Fact]
    public void A_normaliser_that_centres_is_trusted_and_one_that_does_not_is_reported_in_ml_Log()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => { if (e.Source.Contains("NeuralNetwork")) lock (messages) messages.Add(e.RawMessage); };
        var data = TestData.BreastCancer(ml);

        var centred = Train(ml, data, ml.Transforms.NormalizeMeanVariance("Features", fixZero: false), out _);
        Assert.Null(centred.Model.Scaler);
        Assert.Contains(messages, m => m.Contains("already standardised"));

        Train(ml, data, ml.Transforms.NormalizeMeanVariance("Features"), out _);
        Assert.Contains(messages, m => m.Contains("is marked normalised") && m.Contains("fixZero"));
    }
}

using Microsoft.ML;
using MLNetNN.Training;

namespace MLNetNN.MLNet.Tests;

/// <summary>Issue 13 item 3: the ML.NET trainers read the engine's one <see cref="Defaults"/> set, and with it fit a small table untuned.</summary>
public sealed class DefaultsTests
{
    [Fact]
    public void Options_left_out_are_the_engines_defaults()
    {
        foreach (var (task, options) in new (TaskKind, NeuralNetworkTrainerBase.OptionsBase)[]
        {
            (TaskKind.BinaryClassification, new NeuralNetworkBinaryTrainer.Options()),
            (TaskKind.MulticlassClassification, new NeuralNetworkMulticlassTrainer.Options()),
            (TaskKind.Regression, new NeuralNetworkRegressionTrainer.Options()),
        })
        {
            var engine = new NeuralNetworkOptions { Task = task };
            var adapter = options.ToEngineOptions(task);
            Assert.Equal(engine.HiddenLayers, adapter.HiddenLayers);
            // Only the seed (fixed, as ML.NET users expect) and the scaling (the adapter standardises streamed rows itself) differ.
            Assert.Equal(engine with { HiddenLayers = adapter.HiddenLayers, Seed = 1, Scaling = ScalingKind.None }, adapter);
        }
    }

    [Fact]
    public void Iris_pipeline_with_the_default_trainer_fits_its_training_rows()
    {
        // With scikit-learn's batch of 200, the 150 rows made one Adam step an epoch and the network stayed near 0.9.
        var ml = new MLContext(seed: 1);
        var data = ml.Data.Cache(TestData.Iris(ml));
        var model = TestData.IrisPipeline(ml, ml.MulticlassClassification.Trainers.NeuralNetwork()).Fit(data);
        double accuracy = ml.MulticlassClassification.Evaluate(model.Transform(data)).MicroAccuracy;
        Assert.True(accuracy >= 0.97, $"training accuracy {accuracy:F4}");
    }
}

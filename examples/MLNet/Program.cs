// A complete ML.NET pipeline with the MLNetNN network trainer: load Iris, split, standardise, train (with progress and early
// stopping), evaluate with ML.NET's evaluator against its own LbfgsMaximumEntropy, save the pipeline, load it back and predict.
//   dotnet run --project examples/MLNet [-- model.zip]
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetNN.MLNet;
using MLNetNN.Training;

string modelPath = args.Length > 0 ? args[0] : "iris-pipeline.zip";
var ml = new MLContext(seed: 1);
IDataView data = ml.Data.LoadFromTextFile<IrisRow>(Path.Combine(AppContext.BaseDirectory, "iris.csv"), separatorChar: ',', hasHeader: true);
var split = ml.Data.TrainTestSplit(data, testFraction: 0.3, seed: 1);

var network = ml.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkMulticlassTrainer.Options
{
    HiddenLayers = [64, 32],
    Epochs = 300,
    BatchSize = 16,
    LearningRate = 0.005f,
    EarlyStopping = true,           // holds out 10% of the training rows and keeps the best epoch
    Patience = 20,
    Progress = new Progress<EpochRecord>(r => { if (r.Epoch % 25 == 0) Console.WriteLine(r); }),
});
IEstimator<ITransformer> Pipeline(IEstimator<ITransformer> trainer) =>
    ml.Transforms.Conversion.MapValueToKey("Label", nameof(IrisRow.Species))
        .Append(ml.Transforms.Concatenate("Features", nameof(IrisRow.SepalLength), nameof(IrisRow.SepalWidth), nameof(IrisRow.PetalLength), nameof(IrisRow.PetalWidth)))
        // The network standardises its features itself; LbfgsMaximumEntropy needs them normalised. fixZero: false centres as well
        // as scales (the default only rescales, which costs a network accuracy), and the network trusts features it finds standardised.
        .Append(ml.Transforms.NormalizeMeanVariance("Features", fixZero: false))
        .Append(trainer)
        .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

var model = Pipeline(network).Fit(split.TrainSet);
var trained = ((IEnumerable<ITransformer>)model).OfType<NeuralNetworkTransformer>().Single();
Console.WriteLine(trained.TrainingMessage);
Console.WriteLine(trained.Model.Summary());

var metrics = ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet));
var baseline = ml.MulticlassClassification.Evaluate(Pipeline(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy()).Fit(split.TrainSet).Transform(split.TestSet));
Console.WriteLine($"Held-out: macro-accuracy {metrics.MacroAccuracy:F3}, micro-accuracy {metrics.MicroAccuracy:F3}, log-loss {metrics.LogLoss:F3}");
Console.WriteLine($"LbfgsMaximumEntropy on the same split: macro-accuracy {baseline.MacroAccuracy:F3}, log-loss {baseline.LogLoss:F3}");
Console.WriteLine(metrics.ConfusionMatrix.GetFormattedConfusionTable());

// ml.Model.Save stores the network as ML.NET's own OnnxTransformer, so ml.Model.Load reads the file even without MLNetNN.
// (ml.Model.SaveWithNeuralNetwork / LoadWithNeuralNetwork keep the engine itself: bit-identical scores and the training history.)
ml.Model.Save(model, data.Schema, modelPath);
var loaded = new MLContext().Model.Load(modelPath, out _);
var engine = ml.Model.CreatePredictionEngine<IrisRow, IrisPrediction>(loaded);
var flower = new IrisRow { SepalLength = 6.3f, SepalWidth = 2.9f, PetalLength = 5.6f, PetalWidth = 1.8f };
var prediction = engine.Predict(flower);
Console.WriteLine($"Saved to {Path.GetFullPath(modelPath)} and loaded back: a 6.3/2.9/5.6/1.8 flower is {prediction.PredictedLabel} " +
    $"(probabilities {string.Join(", ", prediction.Score.Select(p => p.ToString("F3")))})");

/// <summary>One row of iris.csv.</summary>
public sealed class IrisRow
{
    [LoadColumn(0)] public float SepalLength { get; set; }
    [LoadColumn(1)] public float SepalWidth { get; set; }
    [LoadColumn(2)] public float PetalLength { get; set; }
    [LoadColumn(3)] public float PetalWidth { get; set; }
    [LoadColumn(4)] public string Species { get; set; } = "";
}

/// <summary>What the pipeline predicts: one probability per species, and the species.</summary>
public sealed class IrisPrediction
{
    public float[] Score { get; set; } = [];
    public string PredictedLabel { get; set; } = "";
}

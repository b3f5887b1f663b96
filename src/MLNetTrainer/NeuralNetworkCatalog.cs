using Microsoft.ML;
using MLNetNN.Activations;
using MLNetNN.Training;

namespace MLNetNN.MLNet;

/// <summary>
/// The network trainers in ML.NET's catalogs: <c>ml.BinaryClassification.Trainers.NeuralNetwork</c>,
/// <c>ml.MulticlassClassification.Trainers.NeuralNetwork</c> and <c>ml.Regression.Trainers.NeuralNetwork</c>, each with a simple
/// overload and an <c>Options</c> overload, as ML.NET's own trainers.
/// </summary>
/// <remarks>
/// <para><b>Why this design.</b> ML.NET's trainer and transformer base classes (<c>TrainerEstimatorBase</c>,
/// <c>RowToRowTransformerBase</c>, the prediction transformers) cannot be subclassed outside ML.NET, so the adapter implements the
/// public interfaces directly: the trainers are <see cref="IEstimator{TTransformer}"/>s, and <see cref="NeuralNetworkTransformer"/>
/// is an <see cref="ITransformer"/> whose <c>Transform</c> returns a lazy <see cref="IDataView"/> and whose
/// <c>GetRowToRowMapper</c> serves <c>PredictionEngine</c>. The columns it adds copy ML.NET's scorers exactly (names, types,
/// ScoreColumnKind / ScoreValueKind / ScoreColumnSetId annotations, the label's key values), so the evaluators,
/// <c>MapKeyToValue</c>, <c>CrossValidate</c> and prediction engines treat it as one of their own. A <c>CustomMapping</c> was
/// rejected: it cannot carry the trained weights (it saves only a contract name), cannot add key-typed columns with the label's
/// values, and needs types fixed at compile time.</para>
/// <para><b>Training streams.</b> The data view is read through a cursor every epoch and handed to the engine as mini-batches
/// (Core's <c>IBatchSource</c>), shuffled through a bounded buffer, with rows of missing values skipped and counted; nothing
/// holds all rows (see <see cref="NeuralNetworkTrainerBase"/> for the memory used). The engine does all of the learning;
/// prediction calls its thread-safe, allocation-free <c>NeuralNetworkModel.Predict</c>.</para>
/// <para><b>Saving.</b> Plain <c>ml.Model.Save</c> stores the network as ML.NET's own transformers (an <c>OnnxTransformer</c>
/// over the network's ONNX graph and ML.NET scorers; see <see cref="OnnxModelSave"/>), so plain <c>ml.Model.Load</c> reads the file
/// without MLNetNN, scoring within 1e-5. <see cref="NeuralNetworkModelOperations.SaveWithNeuralNetwork(ModelOperationsCatalog, ITransformer, Microsoft.ML.DataViewSchema, string)"/>
/// keeps the engine itself (bit-identical scores, the model's history), loaded back by <c>LoadWithNeuralNetwork</c>.</para>
/// <para><b>Seeds.</b> ML.NET keeps an MLContext's seed internal, so the trainers cannot inherit it; their own
/// <see cref="NeuralNetworkTrainerBase.OptionsBase.Seed"/> defaults to 1, so pipelines are reproducible unless told otherwise.</para>
/// </remarks>
public static class NeuralNetworkCatalog
{
    /// <summary>A two-class neural network: sigmoid output trained with binary cross-entropy.</summary>
    /// <param name="catalog">The binary classification trainer catalog.</param>
    /// <param name="labelColumnName">The label column: Boolean, or Single (above 0 is positive).</param>
    /// <param name="featureColumnName">The feature column: a known-size vector of Single.</param>
    /// <param name="exampleWeightColumnName">An optional Single column of example weights.</param>
    /// <param name="hiddenLayers">Units per hidden layer, input side first; null for one layer of 100.</param>
    /// <param name="activation">Activation of the hidden layers.</param>
    /// <param name="epochs">Maximum passes over the data.</param>
    /// <param name="learningRate">Adam's learning rate.</param>
    /// <param name="batchSize">Rows per mini-batch.</param>
    public static NeuralNetworkBinaryTrainer NeuralNetwork(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", string? exampleWeightColumnName = null,
        int[]? hiddenLayers = null, ActivationKind activation = Defaults.HiddenActivation, int epochs = Defaults.Epochs,
        float learningRate = Defaults.LearningRate, int batchSize = Defaults.BatchSize)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(Simple(new NeuralNetworkBinaryTrainer.Options(), labelColumnName, featureColumnName, exampleWeightColumnName, hiddenLayers, activation, epochs, learningRate, batchSize), MLContextHost.Of(catalog));
    }

    /// <summary>A two-class neural network with every setting given.</summary>
    public static NeuralNetworkBinaryTrainer NeuralNetwork(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, NeuralNetworkBinaryTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(options, MLContextHost.Of(catalog));
    }

    /// <summary>A K-class neural network: softmax output trained with categorical cross-entropy.</summary>
    /// <param name="catalog">The multiclass classification trainer catalog.</param>
    /// <param name="labelColumnName">The label column: a key (from <c>MapValueToKey</c>).</param>
    /// <param name="featureColumnName">The feature column: a known-size vector of Single.</param>
    /// <param name="exampleWeightColumnName">An optional Single column of example weights.</param>
    /// <param name="hiddenLayers">Units per hidden layer, input side first; null for one layer of 100.</param>
    /// <param name="activation">Activation of the hidden layers.</param>
    /// <param name="epochs">Maximum passes over the data.</param>
    /// <param name="learningRate">Adam's learning rate.</param>
    /// <param name="batchSize">Rows per mini-batch.</param>
    public static NeuralNetworkMulticlassTrainer NeuralNetwork(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", string? exampleWeightColumnName = null,
        int[]? hiddenLayers = null, ActivationKind activation = Defaults.HiddenActivation, int epochs = Defaults.Epochs,
        float learningRate = Defaults.LearningRate, int batchSize = Defaults.BatchSize)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(Simple(new NeuralNetworkMulticlassTrainer.Options(), labelColumnName, featureColumnName, exampleWeightColumnName, hiddenLayers, activation, epochs, learningRate, batchSize), MLContextHost.Of(catalog));
    }

    /// <summary>A K-class neural network with every setting given.</summary>
    public static NeuralNetworkMulticlassTrainer NeuralNetwork(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, NeuralNetworkMulticlassTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(options, MLContextHost.Of(catalog));
    }

    /// <summary>A regression neural network: identity output trained with mean squared error.</summary>
    /// <param name="catalog">The regression trainer catalog.</param>
    /// <param name="labelColumnName">The label column: Single.</param>
    /// <param name="featureColumnName">The feature column: a known-size vector of Single.</param>
    /// <param name="exampleWeightColumnName">An optional Single column of example weights.</param>
    /// <param name="hiddenLayers">Units per hidden layer, input side first; null for one layer of 100.</param>
    /// <param name="activation">Activation of the hidden layers.</param>
    /// <param name="epochs">Maximum passes over the data.</param>
    /// <param name="learningRate">Adam's learning rate.</param>
    /// <param name="batchSize">Rows per mini-batch.</param>
    public static NeuralNetworkRegressionTrainer NeuralNetwork(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", string? exampleWeightColumnName = null,
        int[]? hiddenLayers = null, ActivationKind activation = Defaults.HiddenActivation, int epochs = Defaults.Epochs,
        float learningRate = Defaults.LearningRate, int batchSize = Defaults.BatchSize)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(Simple(new NeuralNetworkRegressionTrainer.Options(), labelColumnName, featureColumnName, exampleWeightColumnName, hiddenLayers, activation, epochs, learningRate, batchSize), MLContextHost.Of(catalog));
    }

    /// <summary>A regression neural network with every setting given.</summary>
    public static NeuralNetworkRegressionTrainer NeuralNetwork(this RegressionCatalog.RegressionTrainers catalog, NeuralNetworkRegressionTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(options, MLContextHost.Of(catalog));
    }

    private static T Simple<T>(T options, string labelColumnName, string featureColumnName, string? exampleWeightColumnName,
        int[]? hiddenLayers, ActivationKind activation, int epochs, float learningRate, int batchSize) where T : NeuralNetworkTrainerBase.OptionsBase
    {
        options.LabelColumnName = labelColumnName;
        options.FeatureColumnName = featureColumnName;
        options.ExampleWeightColumnName = exampleWeightColumnName;
        if (hiddenLayers is not null) options.HiddenLayers = hiddenLayers;
        options.Activation = activation;
        options.Epochs = epochs;
        options.LearningRate = learningRate;
        options.BatchSize = batchSize;
        return options;
    }
}

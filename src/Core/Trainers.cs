using MLNetNN.Activations;
using MLNetNN.Training;

namespace MLNetNN;

/// <summary>
/// Every trainer in one place, as ML.NET's trainer catalogs: a simple overload with the settings most people change and an
/// options overload with all of them. Defaults live in <see cref="Defaults"/>.
/// </summary>
public static class Trainers
{
    /// <summary>A two-class network: sigmoid output, binary cross-entropy.</summary>
    public static NeuralNetworkTrainer BinaryClassification(IReadOnlyList<int>? hiddenLayers = null, ActivationKind activation = Defaults.HiddenActivation,
        int epochs = Defaults.Epochs, float learningRate = Defaults.LearningRate, int? seed = null) =>
        BinaryClassification(Simple(hiddenLayers, activation, epochs, learningRate, seed));

    /// <summary>A two-class network with every setting given; <see cref="NeuralNetworkOptions.Task"/> is set for you.</summary>
    public static NeuralNetworkTrainer BinaryClassification(NeuralNetworkOptions options) => new(options with { Task = TaskKind.BinaryClassification });

    /// <summary>A K-class network: softmax output, categorical cross-entropy.</summary>
    public static NeuralNetworkTrainer MulticlassClassification(IReadOnlyList<int>? hiddenLayers = null, ActivationKind activation = Defaults.HiddenActivation,
        int epochs = Defaults.Epochs, float learningRate = Defaults.LearningRate, int? seed = null) =>
        MulticlassClassification(Simple(hiddenLayers, activation, epochs, learningRate, seed));

    /// <summary>A K-class network with every setting given; <see cref="NeuralNetworkOptions.Task"/> is set for you.</summary>
    public static NeuralNetworkTrainer MulticlassClassification(NeuralNetworkOptions options) => new(options with { Task = TaskKind.MulticlassClassification });

    /// <summary>A regression network: identity outputs (one per target), mean squared error.</summary>
    public static NeuralNetworkTrainer Regression(IReadOnlyList<int>? hiddenLayers = null, ActivationKind activation = Defaults.HiddenActivation,
        int epochs = Defaults.Epochs, float learningRate = Defaults.LearningRate, int? seed = null) =>
        Regression(Simple(hiddenLayers, activation, epochs, learningRate, seed));

    /// <summary>A regression network with every setting given; <see cref="NeuralNetworkOptions.Task"/> is set for you.</summary>
    public static NeuralNetworkTrainer Regression(NeuralNetworkOptions options) => new(options with { Task = TaskKind.Regression });

    /// <summary>Rosenblatt's perceptron: one step unit trained by the perceptron learning rule.</summary>
    public static PerceptronTrainer Perceptron(float learningRate = 1f, int epochs = 100, int seed = 0) => new(learningRate, epochs, seed);

    private static NeuralNetworkOptions Simple(IReadOnlyList<int>? hiddenLayers, ActivationKind activation, int epochs, float learningRate, int? seed) => new()
    {
        HiddenLayers = hiddenLayers ?? Defaults.HiddenLayers,
        HiddenActivation = activation,
        Epochs = epochs,
        LearningRate = learningRate,
        Seed = seed,
    };
}

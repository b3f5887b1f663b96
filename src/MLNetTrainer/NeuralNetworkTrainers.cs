using MLNetNN.Activations;
using MLNetNN.Training;

namespace MLNetNN.MLNet;

/// <summary>
/// A two-class network (sigmoid output, binary cross-entropy) for <c>ml.BinaryClassification.Trainers.NeuralNetwork</c>.
/// The label is Boolean, or Single where values above 0 are the positive class. Adds <c>PredictedLabel</c>, <c>Score</c>
/// (the logit) and <c>Probability</c>.
/// </summary>
public sealed class NeuralNetworkBinaryTrainer : NeuralNetworkTrainerBase
{
    /// <summary>Options for <see cref="NeuralNetworkBinaryTrainer"/>.</summary>
    public sealed class Options : ClassificationOptionsBase;

    internal NeuralNetworkBinaryTrainer(Options options, MLContextHost? host) : base(TaskKind.BinaryClassification, options, host) { }
}

/// <summary>
/// A K-class network (softmax output, categorical cross-entropy) for <c>ml.MulticlassClassification.Trainers.NeuralNetwork</c>.
/// The label is a key (use <c>MapValueToKey</c>); adds <c>PredictedLabel</c> (the same key, with its values) and <c>Score</c>
/// (K class probabilities).
/// </summary>
public sealed class NeuralNetworkMulticlassTrainer : NeuralNetworkTrainerBase
{
    /// <summary>Options for <see cref="NeuralNetworkMulticlassTrainer"/>.</summary>
    public sealed class Options : ClassificationOptionsBase;

    internal NeuralNetworkMulticlassTrainer(Options options, MLContextHost? host) : base(TaskKind.MulticlassClassification, options, host) { }
}

/// <summary>
/// A regression network (identity output unless set, mean squared error) for <c>ml.Regression.Trainers.NeuralNetwork</c>.
/// The label is Single; adds <c>Score</c>.
/// </summary>
public sealed class NeuralNetworkRegressionTrainer : NeuralNetworkTrainerBase
{
    /// <summary>Options for <see cref="NeuralNetworkRegressionTrainer"/>.</summary>
    public sealed class Options : OptionsBase
    {
        /// <summary>The output activation: identity (default), or sigmoid / tanh for a label bounded to (0, 1) / (−1, 1).</summary>
        public ActivationKind? OutputActivation { get; set; }

        /// <summary>
        /// How the label is scaled for training (fitted on the training rows, kept with the model, undone on scoring, so Score and
        /// the history are in the label's units). Null standardises it with an identity output and leaves a bounded output's label
        /// as given; <see cref="ScalingKind.None"/> turns it off. See <see cref="NeuralNetworkOptions.TargetScaling"/>.
        /// </summary>
        public ScalingKind? TargetScaling { get; set; }

        internal override NeuralNetworkOptions ToEngineOptions(TaskKind task) =>
            base.ToEngineOptions(task) with { RegressionOutputActivation = OutputActivation, TargetScaling = TargetScaling };
    }

    internal NeuralNetworkRegressionTrainer(Options options, MLContextHost? host) : base(TaskKind.Regression, options, host) { }
}

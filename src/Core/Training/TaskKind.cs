namespace MLNetNN.Training;

/// <summary>What the network predicts; it fixes the output layer and the loss.</summary>
public enum TaskKind
{
    /// <summary>Two classes: one sigmoid output (the probability of the second class), binary cross-entropy.</summary>
    BinaryClassification,
    /// <summary>K classes: K softmax outputs, categorical cross-entropy.</summary>
    MulticlassClassification,
    /// <summary>One or more real targets: identity outputs, mean squared error.</summary>
    Regression,
}

namespace MLNetNN.Losses;

/// <summary>The training objectives, each paired with the output activation it is computed with.</summary>
public enum LossKind
{
    /// <summary>Mean squared error over the outputs, <c>(1/K) Σ_j (a_j − y_j)²</c>; regression.</summary>
    MeanSquaredError,
    /// <summary>Binary cross-entropy on a sigmoid output, computed from the logit; binary classification.</summary>
    BinaryCrossEntropy,
    /// <summary>Categorical cross-entropy on a softmax output, computed with log-sum-exp; multiclass classification.</summary>
    CategoricalCrossEntropy,
}

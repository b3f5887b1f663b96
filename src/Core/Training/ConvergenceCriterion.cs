namespace MLNetNN.Training;

/// <summary>When training counts as converged (checked once per epoch).</summary>
public enum ConvergenceCriterion
{
    /// <summary>Never: train until the epoch limit, early stopping or cancellation.</summary>
    None,
    /// <summary>The training loss has not fallen by more than the tolerance for a number of epochs in a row (scikit-learn's tol / n_iter_no_change).</summary>
    LossChange,
    /// <summary>The parameters moved less than the tolerance in one epoch: <c>‖θ − θ_prev‖₂ &lt; tol</c> (the lecture's full-batch loop).</summary>
    ParameterChange,
}

namespace MLNetNN.Training;

/// <summary>Why training stopped, as MathNet's ExitCondition says why an optimisation ended.</summary>
public enum StopReason
{
    /// <summary>The epoch limit was reached.</summary>
    MaxEpochs,
    /// <summary>The convergence criterion was met.</summary>
    Converged,
    /// <summary>The validation loss stopped improving; the best epoch's weights were restored.</summary>
    EarlyStopping,
    /// <summary>The caller cancelled; the best weights so far were kept.</summary>
    Cancelled,
    /// <summary>The loss became NaN or infinite; the last good weights were kept.</summary>
    Diverged,
}

namespace MLNetNN.Schedules;

/// <summary>The learning-rate schedules the trainer offers.</summary>
public enum LearningRateScheduleKind
{
    /// <summary>The initial rate throughout.</summary>
    Constant,
    /// <summary>Multiplied by a factor every fixed number of epochs.</summary>
    StepDecay,
    /// <summary><c>lr / tᵖ</c> in the update count t (the Robbins–Monro conditions hold for 0.5 &lt; p ≤ 1).</summary>
    InverseScaling,
    /// <summary>Multiplied by a factor when the monitored loss stops improving.</summary>
    ReduceOnPlateau,
}

namespace MLNetNN.Optimizers.Lbfgs;

/// <summary>Why <see cref="LbfgsMinimizer"/> stopped, as MathNet's ExitCondition says why an optimisation ended.</summary>
public enum LbfgsExitCondition
{
    /// <summary>Every gradient component is within the gradient tolerance: <c>max |∂f/∂xᵢ| ≤ gtol</c> (scipy's <c>gtol</c>).</summary>
    GradientTolerance,
    /// <summary>
    /// The last step lowered f by no more than the function tolerance relative to f:
    /// <c>(f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ ftol</c> (scipy's <c>ftol</c>).
    /// </summary>
    FunctionTolerance,
    /// <summary>The iteration limit was reached.</summary>
    MaxIterations,
    /// <summary>The limit on function evaluations was reached (line-search evaluations count too).</summary>
    MaxFunctionEvaluations,
    /// <summary>
    /// No step along the search direction met the Wolfe conditions, even along the steepest descent direction with the history
    /// cleared; this happens where f cannot be lowered at the precision it is computed in. The point is the last accepted one.
    /// </summary>
    LineSearchFailed,
    /// <summary>f or its gradient was NaN or infinite at the starting point (or at an accepted point's gradient).</summary>
    NonFiniteValue,
    /// <summary>The cancellation token was signalled; the point is the last accepted one.</summary>
    Cancelled,
    /// <summary>The per-iteration callback asked to stop.</summary>
    StoppedByCaller,
}

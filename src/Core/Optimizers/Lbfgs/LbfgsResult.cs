namespace MLNetNN.Optimizers.Lbfgs;

/// <summary>How a minimisation ended: why, where (the point is in the caller's buffer) and at what cost.</summary>
/// <param name="Reason">Why it stopped.</param>
/// <param name="Value">f at the returned point.</param>
/// <param name="GradientMaxNorm"><c>max |∂f/∂xᵢ|</c> at the returned point.</param>
/// <param name="Iterations">Accepted steps.</param>
/// <param name="FunctionEvaluations">Calls to the function, line-search trials included.</param>
public sealed record LbfgsResult(LbfgsExitCondition Reason, double Value, double GradientMaxNorm, int Iterations, int FunctionEvaluations)
{
    /// <summary>A sentence saying why the minimiser stopped.</summary>
    public string Message => Reason switch
    {
        LbfgsExitCondition.GradientTolerance => $"The largest gradient component fell to {GradientMaxNorm:G3}, within the gradient tolerance, after {Iterations} iterations.",
        LbfgsExitCondition.FunctionTolerance => $"The relative decrease of f fell within the function tolerance after {Iterations} iterations (f = {Value:G6}).",
        LbfgsExitCondition.MaxIterations => $"Reached the iteration limit ({Iterations}); the largest gradient component is {GradientMaxNorm:G3}.",
        LbfgsExitCondition.MaxFunctionEvaluations => $"Reached the function-evaluation limit ({FunctionEvaluations}) after {Iterations} iterations.",
        LbfgsExitCondition.LineSearchFailed => $"No step met the Wolfe conditions after {Iterations} iterations, even along the steepest descent; f = {Value:G6} cannot be lowered at the precision it is computed in.",
        LbfgsExitCondition.NonFiniteValue => $"f or its gradient was not finite after {Iterations} iterations.",
        LbfgsExitCondition.Cancelled => $"Cancelled after {Iterations} iterations.",
        _ => $"Stopped by the caller after {Iterations} iterations.",
    };
}

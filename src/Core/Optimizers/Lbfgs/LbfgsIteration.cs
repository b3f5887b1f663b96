namespace MLNetNN.Optimizers.Lbfgs;

/// <summary>
/// One accepted L-BFGS step, as the per-iteration callback sees it. The step was <c>x_{k+1} = x_k + α·d</c> along the search
/// direction d; the slopes are the directional derivatives <c>∇f·d</c> before and after it, so the strong Wolfe conditions read
/// <c>Value ≤ PreviousValue + c₁·α·InitialSlope</c> and <c>|FinalSlope| ≤ c₂·|InitialSlope|</c>.
/// </summary>
/// <param name="Iteration">1 for the first step.</param>
/// <param name="Value">f at the new point.</param>
/// <param name="PreviousValue">f before the step.</param>
/// <param name="GradientMaxNorm"><c>max |∂f/∂xᵢ|</c> at the new point.</param>
/// <param name="StepLength">α.</param>
/// <param name="InitialSlope"><c>∇f(x_k)·d</c> (negative: d is a descent direction).</param>
/// <param name="FinalSlope"><c>∇f(x_{k+1})·d</c>.</param>
/// <param name="FunctionEvaluations">Evaluations so far, this step's line search included.</param>
public readonly record struct LbfgsIteration(int Iteration, double Value, double PreviousValue, double GradientMaxNorm,
    double StepLength, double InitialSlope, double FinalSlope, int FunctionEvaluations);

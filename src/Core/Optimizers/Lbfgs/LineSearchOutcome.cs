namespace MLNetNN.Optimizers.Lbfgs;

/// <summary>How a <see cref="WolfeLineSearch"/> ended.</summary>
public enum LineSearchOutcome
{
    /// <summary>The step meets the strong Wolfe conditions.</summary>
    Converged,
    /// <summary>The evaluation budget ran out first.</summary>
    MaxEvaluations,
    /// <summary>The bracket shrank to nothing (or the extrapolation ran off to infinity) before any step met the conditions.</summary>
    NoProgress,
    /// <summary>The direction does not descend (its slope is not negative), so no step can lower f.</summary>
    NotDescentDirection,
    /// <summary>The cancellation token was signalled.</summary>
    Cancelled,
}

/// <summary>A line search's outcome and, when it converged, the step and f and slope there.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Step">α of the last point evaluated.</param>
/// <param name="Value">f there.</param>
/// <param name="Slope"><c>∇f·d</c> there.</param>
/// <param name="Evaluations">Function evaluations it used.</param>
public readonly record struct LineSearchResult(LineSearchOutcome Outcome, double Step, double Value, double Slope, int Evaluations);

using MLNetNN.Networks;

namespace MLNetNN.Optimizers;

/// <summary>
/// An update rule over a flat parameter buffer: <c>θ ← update(θ, g, lr)</c>. An optimiser owns its state (momentum, moment estimates)
/// and allocates it once in <see cref="Initialize"/>, so steps allocate nothing.
/// </summary>
public interface IOptimizer
{
    /// <summary>Which rule this is.</summary>
    OptimizerKind Kind { get; }

    /// <summary>Allocates and zeroes the state for a network with this layout.</summary>
    void Initialize(ParameterLayout layout);

    /// <summary>Applies one update with the given gradient and learning rate.</summary>
    void Step(Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate);
}

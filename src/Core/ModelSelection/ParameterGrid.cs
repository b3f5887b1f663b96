using MLNetNN.Activations;
using MLNetNN.Training;

namespace MLNetNN.ModelSelection;

/// <summary>
/// The values to try for each hyperparameter; a grid search tries every combination. A list left null keeps the base options' value.
/// </summary>
public sealed record ParameterGrid
{
    /// <summary>Hidden-layer layouts to try, e.g. <c>[[10], [50], [100, 50]]</c>.</summary>
    public IReadOnlyList<IReadOnlyList<int>>? HiddenLayers { get; init; }

    /// <summary>Hidden activations to try.</summary>
    public IReadOnlyList<ActivationKind>? Activations { get; init; }

    /// <summary>Learning rates to try.</summary>
    public IReadOnlyList<float>? LearningRates { get; init; }

    /// <summary>L2 strengths to try.</summary>
    public IReadOnlyList<float>? L2 { get; init; }

    /// <summary>Batch sizes to try.</summary>
    public IReadOnlyList<int>? BatchSizes { get; init; }

    /// <summary>Every combination applied to <paramref name="baseOptions"/>, in a fixed order (last list varies fastest).</summary>
    public IEnumerable<NeuralNetworkOptions> Expand(NeuralNetworkOptions baseOptions)
    {
        ArgumentNullException.ThrowIfNull(baseOptions);
        foreach (var hidden in HiddenLayers ?? [baseOptions.HiddenLayers])
        foreach (var activation in Activations ?? [baseOptions.HiddenActivation])
        foreach (var rate in LearningRates ?? [baseOptions.LearningRate])
        foreach (var l2 in L2 ?? [baseOptions.L2])
        foreach (var batch in BatchSizes ?? [baseOptions.BatchSize])
            yield return baseOptions with { HiddenLayers = hidden, HiddenActivation = activation, LearningRate = rate, L2 = l2, BatchSize = batch };
    }
}

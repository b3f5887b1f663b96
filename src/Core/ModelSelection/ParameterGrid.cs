using MLNetNN.Activations;
using MLNetNN.Networks;
using MLNetNN.Training;

namespace MLNetNN.ModelSelection;

/// <summary>
/// The values to try for each hyperparameter; a grid search tries every combination. A list left null keeps the base options' value.
/// </summary>
/// <remarks>
/// A network declared by <see cref="NeuralNetworkOptions.Layers"/> (in the base options or in <see cref="Layers"/>) takes its
/// layers and their activations from them, so a grid that also varies <see cref="HiddenLayers"/> or <see cref="Activations"/>,
/// which those layers replace, is refused: its combinations would train the same network under different labels.
/// </remarks>
public sealed record ParameterGrid
{
    /// <summary>
    /// Hidden-layer sizes to try, e.g. <c>[[10], [50], [100, 50]]</c> (scikit-learn's <c>hidden_layer_sizes</c>); for networks
    /// declared by <see cref="NeuralNetworkOptions.HiddenLayers"/> only (see <see cref="Layers"/>).
    /// </summary>
    public IReadOnlyList<IReadOnlyList<int>>? HiddenLayers { get; init; }

    /// <summary>
    /// Layer stacks to try, each becoming <see cref="NeuralNetworkOptions.Layers"/>: <see cref="LayerStack"/>s or
    /// <see cref="LayerText.Parse"/>'s results, e.g. <c>[LayerText.Parse("dense64"), LayerText.Parse("dense128,dropout0.5")]</c>.
    /// Not with <see cref="HiddenLayers"/> or <see cref="Activations"/>: the stacks' dense layers carry their own activations.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<LayerSpec>>? Layers { get; init; }

    /// <summary>Hidden activations to try (<see cref="NeuralNetworkOptions.HiddenActivation"/>), for networks declared by <see cref="NeuralNetworkOptions.HiddenLayers"/> only.</summary>
    public IReadOnlyList<ActivationKind>? Activations { get; init; }

    /// <summary>Learning rates to try.</summary>
    public IReadOnlyList<float>? LearningRates { get; init; }

    /// <summary>L2 strengths to try.</summary>
    public IReadOnlyList<float>? L2 { get; init; }

    /// <summary>Batch sizes to try.</summary>
    public IReadOnlyList<int>? BatchSizes { get; init; }

    /// <summary>Every combination applied to <paramref name="baseOptions"/>, in a fixed order (last list varies fastest).</summary>
    /// <exception cref="ArgumentException">
    /// The grid varies <see cref="HiddenLayers"/> or <see cref="Activations"/> while <see cref="Layers"/> or the base options'
    /// <see cref="NeuralNetworkOptions.Layers"/> are set, which replace them; checked before the first combination is given.
    /// </exception>
    public IEnumerable<NeuralNetworkOptions> Expand(NeuralNetworkOptions baseOptions)
    {
        ArgumentNullException.ThrowIfNull(baseOptions);
        if (Layers is not null || baseOptions.Layers is not null)
        {
            string layers = Layers is not null ? "the grid varies Layers" : "the base options set Layers";
            if (HiddenLayers is not null)
                throw new ArgumentException($"The grid varies HiddenLayers, but {layers}, which replace HiddenLayers: every combination would train " +
                    "the same layers. Vary the layer stacks through ParameterGrid.Layers instead.", nameof(HiddenLayers));
            if (Activations is not null)
                throw new ArgumentException($"The grid varies Activations (HiddenActivation), but {layers}, whose dense layers carry their own " +
                    "activations: every combination would train the same layers. Vary the layer stacks through ParameterGrid.Layers instead (dense64:tanh).",
                    nameof(Activations));
        }
        return Combinations(baseOptions);
    }

    private IEnumerable<NeuralNetworkOptions> Combinations(NeuralNetworkOptions baseOptions)
    {
        IEnumerable<IReadOnlyList<LayerSpec>?> stacks = Layers ?? Enumerable.Repeat(baseOptions.Layers, 1);
        foreach (var hidden in HiddenLayers ?? [baseOptions.HiddenLayers])
        foreach (var layers in stacks)
        foreach (var activation in Activations ?? [baseOptions.HiddenActivation])
        foreach (var rate in LearningRates ?? [baseOptions.LearningRate])
        foreach (var l2 in L2 ?? [baseOptions.L2])
        foreach (var batch in BatchSizes ?? [baseOptions.BatchSize])
            yield return baseOptions with { HiddenLayers = hidden, Layers = layers, HiddenActivation = activation, LearningRate = rate, L2 = l2, BatchSize = batch };
    }
}

using System.Collections;
using MLNetNN.Activations;
using MLNetNN.Training;

namespace MLNetNN.Networks;

/// <summary>
/// A typed way to declare a network's hidden layers, input side first:
/// <c>new LayerStack().Dense(128).Dropout(0.5f).BatchNormalization().Dense(64)</c>, given to
/// <see cref="NeuralNetworkOptions.Layers"/>. The task adds the output layer.
/// </summary>
public sealed class LayerStack : IReadOnlyList<LayerSpec>
{
    private readonly List<LayerSpec> _layers = [];

    /// <summary>Adds a dense layer of <paramref name="units"/> neurons.</summary>
    public LayerStack Dense(int units, ActivationKind activation = Defaults.HiddenActivation, float? alpha = null) => Add(LayerSpec.Dense(units, activation, alpha));

    /// <summary>Adds dropout of <paramref name="rate"/> of the values in training.</summary>
    public LayerStack Dropout(float rate) => Add(LayerSpec.Dropout(rate));

    /// <summary>Adds batch normalisation (Keras's convention and defaults; see <see cref="LayerSpec.BatchNormalization"/>).</summary>
    public LayerStack BatchNormalization(float momentum = Defaults.BatchNormalizationMomentum, float epsilon = Defaults.BatchNormalizationEpsilon) =>
        Add(LayerSpec.BatchNormalization(momentum, epsilon));

    /// <summary>Adds a flatten layer (an image as one flat vector).</summary>
    public LayerStack Flatten() => Add(LayerSpec.Flatten());

    /// <summary>Adds any layer.</summary>
    public LayerStack Add(LayerSpec layer)
    {
        _layers.Add(layer);
        return this;
    }

    /// <inheritdoc/>
    public LayerSpec this[int index] => _layers[index];

    /// <inheritdoc/>
    public int Count => _layers.Count;

    /// <inheritdoc/>
    public IEnumerator<LayerSpec> GetEnumerator() => _layers.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The layers in the text form (<see cref="LayerText"/>).</summary>
    public override string ToString() => LayerText.Format(_layers);
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MLNetNN.Activations;
using MLNetNN.Layers;
using MLNetNN.Training;

namespace MLNetNN.Networks;

/// <summary>
/// What one layer of a network is to be. <c>new LayerSpec(units, activation)</c> is a dense layer of that width and activation
/// (α for leaky ReLU and ELU); the factories (<see cref="Dense"/>, <see cref="Dropout"/>, <see cref="BatchNormalization"/>,
/// <see cref="Flatten"/>) make each kind, <see cref="LayerStack"/> chains them, and <see cref="LayerText"/> reads and writes the
/// compact text form (<c>dense128,dropout0.5,bn,dense64</c>) that <see cref="ToString"/> gives.
/// </summary>
/// <param name="Units">A dense layer's neurons; 0 for kinds without units.</param>
/// <param name="Activation">A dense layer's activation; the identity for kinds that apply none.</param>
/// <param name="Alpha">α of leaky ReLU and ELU; null takes the activation's default.</param>
[JsonConverter(typeof(LayerSpecJsonConverter))]
public readonly record struct LayerSpec(int Units, ActivationKind Activation, float? Alpha = null)
{
    /// <summary>What the layer computes (<see cref="LayerKind.Dense"/> unless a factory said otherwise).</summary>
    public LayerKind Kind { get; init; }

    /// <summary>Dropout: the share of values dropped in training, in [0, 1).</summary>
    public float Rate { get; init; }

    /// <summary>Batch normalisation: how much of the running statistics each training batch keeps (running = momentum·running + (1 − momentum)·batch).</summary>
    public float Momentum { get; init; }

    /// <summary>Batch normalisation: added to the variance before its square root.</summary>
    public float Epsilon { get; init; }

    /// <summary>A dense layer of <paramref name="units"/> neurons.</summary>
    public static LayerSpec Dense(int units, ActivationKind activation = Defaults.HiddenActivation, float? alpha = null) => new(units, activation, alpha);

    /// <summary>Inverted dropout of <paramref name="rate"/> of the values in training (Keras's <c>Dropout(rate)</c>); the identity at inference.</summary>
    public static LayerSpec Dropout(float rate) => new(0, ActivationKind.Identity) { Kind = LayerKind.Dropout, Rate = rate };

    /// <summary>
    /// Batch normalisation per channel (per value of a flat input), Keras's convention: running statistics updated as
    /// <c>momentum·running + (1 − momentum)·batch</c> with the batch's biased variance, ε added to the variance.
    /// </summary>
    public static LayerSpec BatchNormalization(float momentum = Defaults.BatchNormalizationMomentum, float epsilon = Defaults.BatchNormalizationEpsilon) =>
        new(0, ActivationKind.Identity) { Kind = LayerKind.BatchNormalization, Momentum = momentum, Epsilon = epsilon };

    /// <summary>An image's values as one flat vector.</summary>
    public static LayerSpec Flatten() => new(0, ActivationKind.Identity) { Kind = LayerKind.Flatten };

    /// <summary>
    /// The layer this describes, taking <paramref name="input"/>, with its parameters from <paramref name="parameterOffset"/> and
    /// its state from <paramref name="stateOffset"/> on.
    /// </summary>
    /// <exception cref="ArgumentException">A setting is out of range or the layer cannot take the input shape, said in words.</exception>
    internal Layer Create(LayerShape input, int parameterOffset, int stateOffset) => Kind switch
    {
        LayerKind.Dense => new DenseLayer(input, Units, Activations.Activation.Create(Activation, Alpha), parameterOffset),
        LayerKind.Dropout => new DropoutLayer(input, Rate, parameterOffset),
        LayerKind.BatchNormalization => new BatchNormalizationLayer(input, Momentum, Epsilon, parameterOffset, stateOffset),
        LayerKind.Flatten => new FlattenLayer(input, parameterOffset),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown layer kind."),
    };

    /// <summary>The layer in the text form <see cref="LayerText.Parse"/> reads: <c>dense128:relu</c>, <c>dropout0.5</c>, <c>bn0.99:0.001</c>, <c>flatten</c>.</summary>
    public override string ToString() => LayerText.Format(this);
}

/// <summary>Writes a layer specification as its text form and reads it back, so model files and options hold <c>"dense128:relu"</c>.</summary>
internal sealed class LayerSpecJsonConverter : JsonConverter<LayerSpec>
{
    public override LayerSpec Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException($"a layer is written as text such as \"dense128:relu\"; found a {reader.TokenType}.");
        string text = reader.GetString()!;
        try
        {
            var specs = LayerText.Parse(text, Defaults.HiddenActivation);
            if (specs.Count != 1) throw new JsonException($"'{text}' is {specs.Count} layers; expected one.");
            return specs[0];
        }
        catch (FormatException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    public override void Write(Utf8JsonWriter writer, LayerSpec value, JsonSerializerOptions options) =>
        writer.WriteStringValue(LayerText.Format(value));
}

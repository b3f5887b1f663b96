using MLNetNN.Activations;
using MLNetNN.Networks;

namespace MLNetNN.Layers;

/// <summary>
/// An image's values as one flat vector, in the order they are stored (row by row, the channels of a pixel together, as Keras's
/// Flatten of a channels-last image), so a dense layer can follow convolution and pooling. The values do not change; only the
/// shape does. A flat input passes through unchanged.
/// </summary>
public sealed class FlattenLayer : Layer
{
    internal FlattenLayer(LayerShape input, int parameterOffset)
        : base(input, LayerShape.Flat(input.Size), Activation.Create(ActivationKind.Identity), parameterOffset, 0, 0)
    {
    }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.Flatten;

    /// <inheritdoc/>
    public override LayerSpec ToSpec() => LayerSpec.Flatten();

    internal override bool KeepsPreActivation => false;

    internal override void Forward(in LayerPass pass, ReadOnlySpan<float> input, ReadOnlySpan<int> inputRows, Span<float> gatherInto, int first, int rows, Span<float> z, Span<float> a) =>
        input[..(rows * Inputs)].CopyTo(a);

    internal override void Backward(in LayerPass pass, ReadOnlySpan<float> input, int rows, Span<float> gradZ, float[] gradients, Span<float> gradInput)
    {
        if (!gradInput.IsEmpty) gradZ[..(rows * Units)].CopyTo(gradInput);
    }

    internal override void BoundOutputs(ReadOnlySpan<double> input, Span<double> output, ReadOnlySpan<float> parameters, ReadOnlySpan<float> state) =>
        input.CopyTo(output);
}

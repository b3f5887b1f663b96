using System.Runtime.InteropServices;
using MLNetNN.Activations;
using MLNetNN.Networks;
using MLNetNN.Numerics;

namespace MLNetNN.Layers;

/// <summary>
/// Max pooling (Keras's <c>MaxPooling2D</c>): each channel's largest value under a <see cref="Size"/> × <see cref="Size"/> window
/// moved <see cref="Stride"/> pixels at a time, <c>A[oy, ox, c] = max_{ky, kx} X[oy·s − padTop + ky, ox·s − padLeft + kx, c]</c>
/// over the window's pixels inside the image. Images are channels last in and out; the layer has no parameters.
/// </summary>
/// <remarks>
/// The forward pass keeps, in the workspace, which input value each output took (the first largest in window order), and the
/// backward pass sends each output's gradient there (<see cref="Numerics.MaxPooling"/>).
/// </remarks>
public sealed class MaxPoolingLayer : Layer
{
    internal MaxPoolingLayer(LayerShape input, int size, int stride, Padding padding, int parameterOffset)
        : base(input, OutputOf(input, size, stride, padding), Activation.Create(ActivationKind.Identity), parameterOffset, 0, 0)
    {
        Geometry = GeometryOf(input, size, stride, padding);
    }

    private static WindowGeometry GeometryOf(LayerShape input, int size, int stride, Padding padding)
    {
        if (!input.IsImage)
            throw new ArgumentException($"Max pooling takes an image; this one would get a flat vector of {input.Size} values. Give the input's shape (such as 28x28x1) or put the pooling before any flatten or dense layer.", nameof(input));
        return new WindowGeometry(input.Height, input.Width, input.Channels, size, size, stride, stride, padding);
    }

    private static LayerShape OutputOf(LayerShape input, int size, int stride, Padding padding)
    {
        var g = GeometryOf(input, size, stride, padding);
        return LayerShape.Image(g.OutputHeight, g.OutputWidth, input.Channels);
    }

    /// <summary>The side of the square window, in pixels.</summary>
    public int Size => Geometry.WindowHeight;

    /// <summary>Pixels the window moves per output pixel, down and across.</summary>
    public int Stride => Geometry.StrideY;

    /// <summary>Whether the window may cover the image's edges (where padding never wins).</summary>
    public Padding Padding => Geometry.Padding;

    /// <summary>Where the window goes over the input.</summary>
    internal WindowGeometry Geometry { get; }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.MaxPooling;

    /// <inheritdoc/>
    public override LayerSpec ToSpec() => LayerSpec.MaxPooling(Size, Stride, Padding);

    internal override bool KeepsPreActivation => false;

    internal override long MultiplyAddsPerRow => (long)Units * Size * Size;

    /// <summary>Which input value each output took, an index within its image per output (stored in the floats' bits).</summary>
    internal override int ScratchLength(int capacity) => capacity * Units;

    internal override void Forward(in LayerPass pass, ReadOnlySpan<float> input, ReadOnlySpan<int> inputRows, Span<float> gatherInto, int first, int rows, Span<float> z, Span<float> a) =>
        Numerics.MaxPooling.Forward(input, Geometry, rows, a, Winners(pass, first, rows));

    internal override void Backward(in LayerPass pass, ReadOnlySpan<float> input, int rows, Span<float> gradZ, float[] gradients, Span<float> gradInput)
    {
        if (!gradInput.IsEmpty) Numerics.MaxPooling.Backward(gradZ[..(rows * Units)], Winners(pass, 0, rows), Geometry, rows, gradInput, pass.Threads);
    }

    private Span<int> Winners(in LayerPass pass, int first, int rows) =>
        MemoryMarshal.Cast<float, int>(pass.Workspace.Scratch[pass.Index].AsSpan(first * Units, rows * Units));

    /// <summary>The largest bound under each window: <c>|max xᵢ| ≤ max |xᵢ|</c>.</summary>
    internal override void BoundOutputs(ReadOnlySpan<double> input, Span<double> output, ReadOnlySpan<float> parameters, ReadOnlySpan<float> state)
    {
        var g = Geometry;
        int c = g.Channels;
        for (int oy = 0, o = 0; oy < g.OutputHeight; oy++)
        for (int ox = 0; ox < g.OutputWidth; ox++, o += c)
        for (int ch = 0; ch < c; ch++)
        {
            double bound = 0;
            for (int ky = 0; ky < g.WindowHeight; ky++)
            for (int kx = 0; kx < g.WindowWidth; kx++)
            {
                int y = oy * g.StrideY - g.PadTop + ky, x = ox * g.StrideX - g.PadLeft + kx;
                if ((uint)y < (uint)g.InputHeight && (uint)x < (uint)g.InputWidth) bound = Math.Max(bound, input[(y * g.InputWidth + x) * c + ch]);
            }
            output[o + ch] = bound;
        }
    }
}

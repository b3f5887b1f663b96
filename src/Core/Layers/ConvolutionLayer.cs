using MLNetNN.Activations;
using MLNetNN.Initialization;
using MLNetNN.Networks;
using MLNetNN.Numerics;

namespace MLNetNN.Layers;

/// <summary>
/// A two-dimensional convolution (Keras's <c>Conv2D</c>): <see cref="Filters"/> filters of <see cref="Kernel"/> × <see cref="Kernel"/>
/// pixels over all the input's channels, moved <see cref="Stride"/> pixels at a time, then an activation:
/// <c>Z[oy, ox, f] = b[f] + Σ_{ky, kx, c} X[oy·s − padTop + ky, ox·s − padLeft + kx, c] · W[(ky·k + kx)·C + c, f]</c>, <c>A = f(Z)</c>,
/// padding counting as 0. Images are channels last in and out (the output is <c>OutputHeight × OutputWidth × Filters</c>).
/// </summary>
/// <remarks>
/// W (kernel rows, kernel columns and input channels, by filters: the dense layer's inputs × units for one patch) and b live in
/// the network's flat parameter buffer. The arithmetic is <see cref="Numerics.Convolution"/>'s: im2col and the engine's matrix
/// products. Each image's outputs depend on that image alone, so the network may split a batch's rows over threads.
/// </remarks>
public sealed class ConvolutionLayer : Layer
{
    internal ConvolutionLayer(LayerShape input, int filters, int kernel, int stride, Padding padding, Activation activation, int weightOffset)
        : base(input, OutputOf(input, CheckFilters(filters), kernel, stride, padding), activation, weightOffset,
            (long)kernel * kernel * input.Channels * filters, filters)
    {
        if (activation.Kind == ActivationKind.Softmax)
            throw new ArgumentException("A convolution cannot have a softmax activation: softmax spreads one distribution over a row, which an image's pixels are not.", nameof(activation));
        Geometry = GeometryOf(input, kernel, stride, padding);
        Filters = filters;
    }

    /// <summary><paramref name="filters"/>, if a convolution can have that many: at least one.</summary>
    internal static int CheckFilters(int filters) =>
        filters >= 1 ? filters : throw new ArgumentOutOfRangeException(nameof(filters), filters, "A convolution needs at least one filter.");

    private static WindowGeometry GeometryOf(LayerShape input, int kernel, int stride, Padding padding)
    {
        if (!input.IsImage)
            throw new ArgumentException($"A convolution takes an image; this one would get a flat vector of {input.Size} values. Give the input's shape (such as 28x28x1) or put the convolution before any flatten or dense layer.", nameof(input));
        return new WindowGeometry(input.Height, input.Width, input.Channels, kernel, kernel, stride, stride, padding);
    }

    private static LayerShape OutputOf(LayerShape input, int filters, int kernel, int stride, Padding padding)
    {
        var g = GeometryOf(input, kernel, stride, padding);
        return LayerShape.Image(g.OutputHeight, g.OutputWidth, filters);
    }

    /// <summary>Filters: the output's channels.</summary>
    public int Filters { get; }

    /// <summary>The side of the square kernel, in pixels.</summary>
    public int Kernel => Geometry.WindowHeight;

    /// <summary>Pixels the kernel moves per output pixel, down and across.</summary>
    public int Stride => Geometry.StrideY;

    /// <summary>Whether the kernel may cover the image's edges.</summary>
    public Padding Padding => Geometry.Padding;

    /// <summary>Where the kernel goes over the input: sides, strides and padding.</summary>
    internal WindowGeometry Geometry { get; }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.Convolution;

    /// <inheritdoc/>
    public override LayerSpec ToSpec() => LayerSpec.Convolution(Filters, Kernel, Stride, Padding, Activation.Kind, Activation.Alpha == 0f ? null : Activation.Alpha);

    internal override long MultiplyAddsPerRow => (long)Geometry.OutputPositions * WeightCount;

    /// <summary>Weights drawn as for a dense layer whose fan-in is a patch (k·k·C) and fan-out k·k·filters, as Keras draws a convolution's; biases all <paramref name="bias"/>.</summary>
    internal override void Initialize(Span<float> weights, Span<float> biases, InitializerKind kind, float scale, float bias, Random random)
    {
        WeightInitializer.Fill(weights, Geometry.PatchLength, Kernel * Kernel * Filters, kind, scale, random);
        biases.Fill(bias);
    }

    internal override void Forward(in LayerPass pass, ReadOnlySpan<float> input, ReadOnlySpan<int> inputRows, Span<float> gatherInto, int first, int rows, Span<float> z, Span<float> a)
    {
        var parameters = pass.Parameters;
        Numerics.Convolution.Forward(input, Geometry, Filters, parameters.AsSpan(WeightOffset, WeightCount), parameters.AsSpan(BiasOffset, Filters), rows, z, pass.Threads);
        int n = rows * Units;
        Activation.Forward(z[..n], a[..n], Units);
    }

    internal override void Backward(in LayerPass pass, ReadOnlySpan<float> input, int rows, Span<float> gradZ, float[] gradients, Span<float> gradInput) =>
        Numerics.Convolution.Backward(input, Geometry, Filters, pass.Parameters.AsSpan(WeightOffset, WeightCount), gradZ[..(rows * Units)], rows,
            gradients.AsSpan(WeightOffset, WeightCount), gradients.AsSpan(BiasOffset, Filters), gradInput, pass.Threads);

    /// <summary><c>|z[oy, ox, f]| ≤ |b_f| + Σ |W[p, f]|·bound(input under p)</c>, padding contributing nothing.</summary>
    internal override void BoundOutputs(ReadOnlySpan<double> input, Span<double> output, ReadOnlySpan<float> parameters, ReadOnlySpan<float> state)
    {
        var g = Geometry;
        var weights = parameters.Slice(WeightOffset, WeightCount);
        var biases = parameters.Slice(BiasOffset, Filters);
        int c = g.Channels;
        for (int oy = 0, o = 0; oy < g.OutputHeight; oy++)
        for (int ox = 0; ox < g.OutputWidth; ox++, o += Filters)
        {
            var bound = output.Slice(o, Filters);
            for (int f = 0; f < Filters; f++) bound[f] = Math.Abs(biases[f]);
            for (int ky = 0; ky < g.WindowHeight; ky++)
            for (int kx = 0; kx < g.WindowWidth; kx++)
            {
                int y = oy * g.StrideY - g.PadTop + ky, x = ox * g.StrideX - g.PadLeft + kx;
                if ((uint)y >= (uint)g.InputHeight || (uint)x >= (uint)g.InputWidth) continue;
                for (int ch = 0; ch < c; ch++)
                {
                    double value = input[(y * g.InputWidth + x) * c + ch];
                    var row = weights.Slice(((ky * g.WindowWidth + kx) * c + ch) * Filters, Filters);
                    for (int f = 0; f < Filters; f++) bound[f] += Math.Abs(row[f]) * value;
                }
            }
        }
    }
}

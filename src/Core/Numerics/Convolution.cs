namespace MLNetNN.Numerics;

/// <summary>
/// A two-dimensional convolution (strictly, a cross-correlation, as in every deep-learning library) over images stored channels
/// last, with <c>F</c> filters of <see cref="WindowGeometry.PatchLength"/> weights each:
/// <c>Z[n, oy, ox, f] = b[f] + Σ_{ky, kx, c} X[n, oy·StrideY − PadTop + ky, ox·StrideX − PadLeft + kx, c] · W[(ky·WindowWidth + kx)·Channels + c, f]</c>,
/// padding counting as 0. W is stored PatchLength × F, the dense layer's inputs × units, and Z is (images · OutputPositions) × F,
/// which is each image's output pixels with their F channels together: channels last again.
/// </summary>
/// <remarks>
/// <para>
/// Computed through <see cref="Im2Col"/> and <see cref="MatrixMultiply"/>: the patches of a few images at a time (a chunk of at most
/// <see cref="PatchBudget"/> values, which stays in the L2 cache between being written and being multiplied) times W, with the
/// bias fused into the product. The backward pass is the dense layer's on the patch matrix: <c>∂L/∂W = Patchesᵀ · G</c>
/// (summed over the chunks in order), <c>∂L/∂b = Σ_rows G</c>, <c>∂L/∂Patches = G · Wᵀ</c> folded back onto the images by
/// <see cref="Im2Col.Fold"/>. The patches are expanded again in the backward pass rather than kept, so the scratch a
/// convolution needs is one chunk whatever the batch.
/// </para>
/// <para>
/// The chunks depend on the geometry alone, and the products split their work over outputs only, so the results are the same for
/// any thread count; the forward pass gives an image the same bits in any batch.
/// </para>
/// </remarks>
internal static class Convolution
{
    /// <summary>Most patch values per chunk: 128 K floats, 512 KB, the L2 cache of a core here.</summary>
    private const int PatchBudget = 1 << 17;

    /// <summary>Images per chunk: as many as fit in <see cref="PatchBudget"/>, at least one.</summary>
    public static int ChunkImages(in WindowGeometry g) => Math.Max(1, PatchBudget / (g.OutputPositions * g.PatchLength));

    /// <summary>Floats of scratch the patches of one chunk take (none when the patches are the images themselves).</summary>
    public static int ScratchLength(in WindowGeometry g, int images) =>
        ReadsImagesAsPatches(g) ? 0 : Math.Min(images, ChunkImages(g)) * g.OutputPositions * g.PatchLength;

    /// <summary>
    /// A 1×1 window with stride 1 and no padding: each image's patch matrix is the image itself (pixels × channels), so it is
    /// multiplied where it lies.
    /// </summary>
    private static bool ReadsImagesAsPatches(in WindowGeometry g) => g.WindowHeight == 1 && g.WindowWidth == 1 && g.StrideY == 1 && g.StrideX == 1;

    /// <summary>
    /// <c>Z = b + X ∗ W</c> for <paramref name="count"/> images of <paramref name="input"/> into <paramref name="output"/>
    /// (count · OutputPositions × <paramref name="filters"/>), using <paramref name="patches"/> (<see cref="ScratchLength"/>) as scratch.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> input, in WindowGeometry g, int filters, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        int count, Span<float> output, Span<float> patches, int threads)
    {
        Check(g, filters, weights.Length, count, input.Length, output.Length, patches.Length);
        int chunk = ChunkImages(g), rowsPerImage = g.OutputPositions;
        for (int n = 0; n < count; n += chunk)
        {
            int images = Math.Min(chunk, count - n), rows = images * rowsPerImage;
            var a = Patches(input, g, n, images, patches);
            MatrixMultiply.Multiply(a, weights, output.Slice(n * rowsPerImage * filters, rows * filters), rows, filters, g.PatchLength,
                MatrixMultiply.Transpose.None, accumulate: false, threads, bias: bias);
        }
    }

    /// <summary>
    /// <c>∂L/∂W = Patchesᵀ · G</c> and <c>∂L/∂b = Σ_rows G</c> from the output gradients <paramref name="gradOutput"/>
    /// (count · OutputPositions × filters) and the forward pass's <paramref name="input"/>; then, unless
    /// <paramref name="gradInput"/> is empty, <c>∂L/∂X</c> (count × InputSize). <paramref name="patches"/> is scratch as in <see cref="Forward"/>.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> input, in WindowGeometry g, int filters, ReadOnlySpan<float> weights, ReadOnlySpan<float> gradOutput,
        int count, Span<float> gradWeights, Span<float> gradBias, Span<float> gradInput, Span<float> patches, int threads)
    {
        Check(g, filters, weights.Length, count, input.Length, gradOutput.Length, patches.Length);
        if (gradWeights.Length < (long)g.PatchLength * filters || gradBias.Length < filters)
            throw new ArgumentException($"The gradients need {(long)g.PatchLength * filters} weights and {filters} biases; got {gradWeights.Length} and {gradBias.Length}.");
        if (!gradInput.IsEmpty && gradInput.Length < (long)count * g.InputSize)
            throw new ArgumentException($"∂L/∂X of {count} images needs {(long)count * g.InputSize} values; got {gradInput.Length}.", nameof(gradInput));
        int chunk = ChunkImages(g), rowsPerImage = g.OutputPositions;
        ColumnSums.Of(gradOutput, count * rowsPerImage, filters, gradBias);
        if (count == 0) gradWeights[..(g.PatchLength * filters)].Clear();
        for (int n = 0; n < count; n += chunk)
        {
            int images = Math.Min(chunk, count - n), rows = images * rowsPerImage;
            var gradZ = gradOutput.Slice(n * rowsPerImage * filters, rows * filters);
            var a = Patches(input, g, n, images, patches);
            MatrixMultiply.Multiply(a, gradZ, gradWeights, g.PatchLength, filters, rows, MatrixMultiply.Transpose.A, accumulate: n > 0, threads);
            if (gradInput.IsEmpty) continue;
            var gradImages = gradInput.Slice(n * g.InputSize, images * g.InputSize);
            if (ReadsImagesAsPatches(g))
            {
                MatrixMultiply.Multiply(gradZ, weights, gradImages, rows, g.PatchLength, filters, MatrixMultiply.Transpose.B, accumulate: false, threads);
                continue;
            }
            // The chunk's patches have served ∂L/∂W; their room takes ∂L/∂Patches.
            var gradPatches = patches[..(rows * g.PatchLength)];
            MatrixMultiply.Multiply(gradZ, weights, gradPatches, rows, g.PatchLength, filters, MatrixMultiply.Transpose.B, accumulate: false, threads);
            Im2Col.Fold(gradPatches, g, images, gradImages);
        }
    }

    /// <summary>The patch matrix of images <paramref name="first"/>.. of <paramref name="input"/>: expanded into the scratch, or the images themselves.</summary>
    private static ReadOnlySpan<float> Patches(ReadOnlySpan<float> input, in WindowGeometry g, int first, int images, Span<float> scratch)
    {
        var source = input.Slice(first * g.InputSize, images * g.InputSize);
        if (ReadsImagesAsPatches(g)) return source;
        var patches = scratch[..(images * g.OutputPositions * g.PatchLength)];
        Im2Col.Expand(source, g, images, patches);
        return patches;
    }

    private static void Check(in WindowGeometry g, int filters, int weightLength, int count, int inputLength, int outputLength, int scratchLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (filters < 1) throw new ArgumentOutOfRangeException(nameof(filters), filters, "A convolution needs at least one filter.");
        if (weightLength < (long)g.PatchLength * filters)
            throw new ArgumentException($"{filters} filters of {g.WindowHeight}×{g.WindowWidth}×{g.Channels} need {(long)g.PatchLength * filters} weights; got {weightLength}.");
        if (inputLength < (long)count * g.InputSize)
            throw new ArgumentException($"{count} images of {g.InputHeight}×{g.InputWidth}×{g.Channels} need {(long)count * g.InputSize} values; got {inputLength}.");
        if (outputLength < (long)count * g.OutputPositions * filters)
            throw new ArgumentException($"{count} images' outputs need {(long)count * g.OutputPositions * filters} values; got {outputLength}.");
        if (scratchLength < ScratchLength(g, count))
            throw new ArgumentException($"The patches of {count} images need {ScratchLength(g, count)} values of scratch; got {scratchLength}.");
    }
}

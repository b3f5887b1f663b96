using System.Numerics.Tensors;

namespace MLNetNN.Numerics;

/// <summary>
/// The patches a sliding window covers, laid out as the rows of a matrix (im2col), and the way back (col2im): what turns a
/// convolution into one matrix product, <c>Z = Patches · W + b</c>, whose backward products are the dense layer's.
/// </summary>
/// <remarks>
/// <para>
/// For images stored channels last (<see cref="WindowGeometry"/>), row <c>r = (n·OutputHeight + oy)·OutputWidth + ox</c> of the
/// patch matrix holds window (oy, ox) of image n, <c>PatchLength = WindowHeight·WindowWidth·Channels</c> values in the order
/// (ky, kx, c):
/// <c>Patches[r, (ky·WindowWidth + kx)·Channels + c] = X[n, oy·StrideY − PadTop + ky, ox·StrideX − PadLeft + kx, c]</c>, or 0
/// where that pixel is padding. A window's row of pixels is one run of <c>WindowWidth·Channels</c> consecutive values of the
/// image, so each patch row is copied a run at a time.
/// </para>
/// <para>
/// <see cref="Fold"/> is the transpose of <see cref="Expand"/>: every image value receives the sum of the patch values copied
/// from it, <c>∂L/∂X[n, y, x, c] = Σ ∂L/∂Patches[r, j]</c> over the (r, j) that <see cref="Expand"/> fills from it. Each
/// image's sums are formed by one thread, patch rows in order, so the result is the same for any thread count.
/// </para>
/// </remarks>
internal static class Im2Col
{
    /// <summary>
    /// Fills <paramref name="patches"/> (<paramref name="count"/>·OutputPositions rows × PatchLength) with the windows of
    /// <paramref name="count"/> images read from <paramref name="images"/> (count × InputSize).
    /// </summary>
    public static void Expand(ReadOnlySpan<float> images, in WindowGeometry g, int count, Span<float> patches)
    {
        Check(images.Length, g, count, patches.Length);
        for (int n = 0; n < count; n++)
            ExpandImage(images.Slice(n * g.InputSize, g.InputSize), g, patches.Slice(n * g.OutputPositions * g.PatchLength, g.OutputPositions * g.PatchLength));
    }

    /// <summary>
    /// Writes into <paramref name="images"/> (count × InputSize) the transpose of <see cref="Expand"/> applied to
    /// <paramref name="patches"/>: each image value becomes the sum of the patch values that were copied from it (0 where none were).
    /// </summary>
    public static void Fold(ReadOnlySpan<float> patches, in WindowGeometry g, int count, Span<float> images)
    {
        Check(images.Length, g, count, patches.Length);
        for (int n = 0; n < count; n++)
            FoldImage(patches.Slice(n * g.OutputPositions * g.PatchLength, g.OutputPositions * g.PatchLength), g, images.Slice(n * g.InputSize, g.InputSize));
    }

    private static void Check(int imageLength, in WindowGeometry g, int count, int patchLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (imageLength < (long)count * g.InputSize)
            throw new ArgumentException($"{count} images of {g.InputHeight}×{g.InputWidth}×{g.Channels} need {(long)count * g.InputSize} values; got {imageLength}.");
        if (patchLength < (long)count * g.OutputPositions * g.PatchLength)
            throw new ArgumentException($"{count} images' patches need {(long)count * g.OutputPositions * g.PatchLength} values; got {patchLength}.");
    }

    /// <summary>One image's patch rows: for each window row, the part of it inside the image copied as one run, padding zeroed.</summary>
    private static void ExpandImage(ReadOnlySpan<float> image, in WindowGeometry g, Span<float> patches)
    {
        int c = g.Channels, run = g.WindowWidth * c, rowLength = g.InputWidth * c;
        int r = 0;
        for (int oy = 0; oy < g.OutputHeight; oy++)
        for (int ox = 0; ox < g.OutputWidth; ox++, r++)
        {
            var patch = patches.Slice(r * g.PatchLength, g.PatchLength);
            int x0 = ox * g.StrideX - g.PadLeft;
            // Window columns [skipLeft, WindowWidth − skipRight) lie inside the image.
            int skipLeft = Math.Max(-x0, 0), skipRight = Math.Max(x0 + g.WindowWidth - g.InputWidth, 0);
            for (int ky = 0; ky < g.WindowHeight; ky++)
            {
                var target = patch.Slice(ky * run, run);
                int y = oy * g.StrideY - g.PadTop + ky;
                if ((uint)y >= (uint)g.InputHeight)
                {
                    target.Clear();
                    continue;
                }
                if (skipLeft > 0) target[..(skipLeft * c)].Clear();
                Copy(image.Slice(y * rowLength + (x0 + skipLeft) * c, (g.WindowWidth - skipLeft - skipRight) * c), target[(skipLeft * c)..]);
                if (skipRight > 0) target[((g.WindowWidth - skipRight) * c)..].Clear();
            }
        }
    }

    /// <summary>
    /// A run of pixels into a patch: value by value when it is short, since a first convolution's runs are a window's width of
    /// one channel (3 values), and <c>perf</c> of the benchmark CNN found more time in the runtime's copy called for each than in
    /// the expansion's own loop.
    /// </summary>
    private static void Copy(ReadOnlySpan<float> run, Span<float> target)
    {
        if (run.Length > 8)
        {
            run.CopyTo(target);
            return;
        }
        target = target[..run.Length];
        for (int i = 0; i < run.Length; i++) target[i] = run[i];
    }

    /// <summary>One image's sums: cleared, then each patch row's runs added back where they were copied from, in row order.</summary>
    private static void FoldImage(ReadOnlySpan<float> patches, in WindowGeometry g, Span<float> image)
    {
        image.Clear();
        int c = g.Channels, run = g.WindowWidth * c, rowLength = g.InputWidth * c;
        int r = 0;
        for (int oy = 0; oy < g.OutputHeight; oy++)
        for (int ox = 0; ox < g.OutputWidth; ox++, r++)
        {
            var patch = patches.Slice(r * g.PatchLength, g.PatchLength);
            int x0 = ox * g.StrideX - g.PadLeft;
            int skipLeft = Math.Max(-x0, 0), skipRight = Math.Max(x0 + g.WindowWidth - g.InputWidth, 0);
            int length = (g.WindowWidth - skipLeft - skipRight) * c;
            for (int ky = 0; ky < g.WindowHeight; ky++)
            {
                int y = oy * g.StrideY - g.PadTop + ky;
                if ((uint)y >= (uint)g.InputHeight) continue;
                var target = image.Slice(y * rowLength + (x0 + skipLeft) * c, length);
                TensorPrimitives.Add(target, patch.Slice(ky * run + skipLeft * c, length), target);
            }
        }
    }
}

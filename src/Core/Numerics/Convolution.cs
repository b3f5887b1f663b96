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
/// <see cref="Im2Col.Fold"/>. The patches are expanded again in the backward pass rather than kept, into a buffer each thread
/// makes once (one chunk, whatever the batch), so a convolution needs no room in the network's workspace and any thread may
/// compute any rows of a batch.
/// </para>
/// <para>
/// Chunks are independent in the forward pass and in ∂L/∂X, so with several threads those split the chunks among them (each
/// chunk's product on one thread); ∂L/∂W sums over every chunk, so its chunks go in order and each product splits its outputs.
/// The chunks depend on the geometry alone, and no sum is split, so the results are the same for any thread count, and an image
/// gets the same outputs alone as in any batch.
/// </para>
/// </remarks>
internal static unsafe class Convolution
{
    /// <summary>Most patch values per chunk: 128 K floats, 512 KB, the L2 cache of a core here (measured: a 32-image batch of 13×13×32 → 64 filters took 2.4 ms chunked against 3.1 ms in one product).</summary>
    private const int PatchBudget = 1 << 17;

    /// <summary>Images per chunk: as many as fit in <see cref="PatchBudget"/>, at least one.</summary>
    public static int ChunkImages(in WindowGeometry g) => Math.Max(1, PatchBudget / (g.OutputPositions * g.PatchLength));

    [ThreadStatic] private static float[]? t_patches;
    [ThreadStatic] private static ChunkJob? t_job;

    /// <summary>
    /// A 1×1 window with stride 1 and no padding: each image's patch matrix is the image itself (pixels × channels), so it is
    /// multiplied where it lies.
    /// </summary>
    private static bool ReadsImagesAsPatches(in WindowGeometry g) => g.WindowHeight == 1 && g.WindowWidth == 1 && g.StrideY == 1 && g.StrideX == 1;

    /// <summary>
    /// <c>Z = b + X ∗ W</c> for <paramref name="count"/> images of <paramref name="input"/> (count × InputSize) into
    /// <paramref name="output"/> (count · OutputPositions × <paramref name="filters"/>).
    /// </summary>
    public static void Forward(ReadOnlySpan<float> input, in WindowGeometry g, int filters, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        int count, Span<float> output, int threads)
    {
        Check(g, filters, weights.Length, count, input.Length, output.Length);
        if (!bias.IsEmpty && bias.Length < filters) throw new ArgumentException($"{filters} filters need {filters} biases; got {bias.Length}.", nameof(bias));
        fixed (float* x = input, w = weights, b = bias, z = output)
            RunChunks(ChunkWork.Forward, x, g, filters, w, b, z, count, threads);
    }

    /// <summary>
    /// <c>∂L/∂W = Patchesᵀ · G</c> and <c>∂L/∂b = Σ_rows G</c> from the output gradients <paramref name="gradOutput"/>
    /// (count · OutputPositions × filters) and the forward pass's <paramref name="input"/>; then, unless
    /// <paramref name="gradInput"/> is empty, <c>∂L/∂X</c> (count × InputSize).
    /// </summary>
    public static void Backward(ReadOnlySpan<float> input, in WindowGeometry g, int filters, ReadOnlySpan<float> weights, ReadOnlySpan<float> gradOutput,
        int count, Span<float> gradWeights, Span<float> gradBias, Span<float> gradInput, int threads)
    {
        Check(g, filters, weights.Length, count, input.Length, gradOutput.Length);
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
            var a = Patches(input, g, n, images);
            MatrixMultiply.Multiply(a, gradOutput.Slice(n * rowsPerImage * filters, rows * filters), gradWeights, g.PatchLength, filters, rows,
                MatrixMultiply.Transpose.A, accumulate: n > 0, threads);
        }
        if (gradInput.IsEmpty) return;
        fixed (float* dz = gradOutput, w = weights, dx = gradInput)
            RunChunks(ChunkWork.InputGradient, dz, g, filters, w, null, dx, count, threads);
    }

    /// <summary>What a chunk computes: its images' outputs, or their input gradients.</summary>
    private enum ChunkWork
    {
        Forward,
        InputGradient,
    }

    /// <summary>
    /// Every chunk of <paramref name="count"/> images: on the calling thread with the products split over
    /// <paramref name="threads"/>, or, when there are chunks enough, the chunks split over the threads.
    /// </summary>
    private static void RunChunks(ChunkWork work, float* from, in WindowGeometry g, int filters, float* weights, float* bias, float* to, int count, int threads)
    {
        int chunks = (count + ChunkImages(g) - 1) / ChunkImages(g);
        int parts = Math.Min(chunks, Math.Min(threads, WorkerPool.Shared.Concurrency));
        var job = t_job ??= new ChunkJob();
        job.From = from;
        job.Weights = weights;
        job.Bias = bias;
        job.To = to;
        (job.Work, job.Geometry, job.Filters, job.Count, job.Chunks, job.Parts) = (work, g, filters, count, chunks, parts);
        job.Threads = parts > 1 ? 1 : threads;
        if (parts > 1) WorkerPool.Shared.Run(job, parts);
        else job.Execute(0);
        job.From = job.Weights = job.Bias = job.To = null;
    }

    /// <summary>The chunks of one call as pointers, so the pool's threads can each take some; one per calling thread, reused.</summary>
    private sealed class ChunkJob : IPartitionedWork
    {
        public ChunkWork Work;
        public float* From, Weights, Bias, To;
        public WindowGeometry Geometry;
        public int Filters, Count, Chunks, Parts, Threads;

        /// <summary>Chunks part, part + Parts, …: its images' outputs, or their input gradients through the patches' gradients.</summary>
        public void Execute(int part)
        {
            var g = Geometry;
            int chunk = ChunkImages(g), rowsPerImage = g.OutputPositions, k = g.PatchLength;
            var weights = new ReadOnlySpan<float>(Weights, k * Filters);
            for (int c = part; c < Chunks; c += Parts)
            {
                int n = c * chunk, images = Math.Min(chunk, Count - n), rows = images * rowsPerImage;
                if (Work == ChunkWork.Forward)
                {
                    var input = new ReadOnlySpan<float>(From, Count * g.InputSize);
                    var output = new Span<float>(To + (long)n * rowsPerImage * Filters, rows * Filters);
                    var bias = Bias is null ? default : new ReadOnlySpan<float>(Bias, Filters);
                    MatrixMultiply.Multiply(Patches(input, g, n, images), weights, output, rows, Filters, k, MatrixMultiply.Transpose.None,
                        accumulate: false, Threads, bias: bias);
                    continue;
                }
                var gradZ = new ReadOnlySpan<float>(From + (long)n * rowsPerImage * Filters, rows * Filters);
                var gradImages = new Span<float>(To + (long)n * g.InputSize, images * g.InputSize);
                if (ReadsImagesAsPatches(g))
                {
                    MatrixMultiply.Multiply(gradZ, weights, gradImages, rows, k, Filters, MatrixMultiply.Transpose.B, accumulate: false, Threads);
                    continue;
                }
                var gradPatches = PatchBuffer(rows * k);
                MatrixMultiply.Multiply(gradZ, weights, gradPatches, rows, k, Filters, MatrixMultiply.Transpose.B, accumulate: false, Threads);
                Im2Col.Fold(gradPatches, g, images, gradImages);
            }
        }
    }

    /// <summary>The patch matrix of images <paramref name="first"/>.. of <paramref name="input"/>: expanded into this thread's buffer, or the images themselves.</summary>
    private static ReadOnlySpan<float> Patches(ReadOnlySpan<float> input, in WindowGeometry g, int first, int images)
    {
        var source = input.Slice(first * g.InputSize, images * g.InputSize);
        if (ReadsImagesAsPatches(g)) return source;
        var patches = PatchBuffer(images * g.OutputPositions * g.PatchLength);
        Im2Col.Expand(source, g, images, patches);
        return patches;
    }

    /// <summary>
    /// The first <paramref name="length"/> floats of this thread's patch buffer, made at <see cref="PatchBudget"/> floats (or one
    /// image's patches, when larger) and kept, so only a thread's first convolution of a shape that large allocates.
    /// </summary>
    private static Span<float> PatchBuffer(int length)
    {
        if (t_patches is null || t_patches.Length < length) t_patches = new float[Math.Max(length, PatchBudget)];
        return t_patches.AsSpan(0, length);
    }

    private static void Check(in WindowGeometry g, int filters, int weightLength, int count, int inputLength, int outputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (filters < 1) throw new ArgumentOutOfRangeException(nameof(filters), filters, "A convolution needs at least one filter.");
        if (weightLength < (long)g.PatchLength * filters)
            throw new ArgumentException($"{filters} filters of {g.WindowHeight}×{g.WindowWidth}×{g.Channels} need {(long)g.PatchLength * filters} weights; got {weightLength}.");
        if (inputLength < (long)count * g.InputSize)
            throw new ArgumentException($"{count} images of {g.InputHeight}×{g.InputWidth}×{g.Channels} need {(long)count * g.InputSize} values; got {inputLength}.");
        if (outputLength < (long)count * g.OutputPositions * filters)
            throw new ArgumentException($"{count} images' outputs need {(long)count * g.OutputPositions * filters} values; got {outputLength}.");
    }
}

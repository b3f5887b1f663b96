using System.Numerics.Tensors;

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
/// bias fused into the product. The backward pass is the dense layer's on the patch matrix: <c>∂L/∂W = Patchesᵀ · G</c>,
/// <c>∂L/∂b = Σ_rows G</c>, <c>∂L/∂Patches = G · Wᵀ</c> folded back onto the images by <see cref="Im2Col.Fold"/>. The patches are
/// expanded again in the backward pass rather than kept, into a buffer each thread makes once (one chunk, whatever the batch),
/// so a convolution needs no room in the network's workspace and any thread may compute any rows of a batch.
/// </para>
/// <para>
/// A short patch (a first layer's: 3×3×1 is a 9-deep product, which cannot fill the matrix kernels' register tiles) goes
/// through <see cref="DirectConvolution"/> instead, for the forward pass and ∂L/∂W, where the images lie and without patches:
/// 2.6× im2col's rate forward and 2.5× for ∂L/∂W on the benchmark CNN's first layer (<see cref="UsesDirectKernel"/>). Its
/// forward work goes out an image at a time and its ∂L/∂W sums each group's pixels in order, so what follows holds for it too.
/// </para>
/// <para>
/// Chunks are independent in the forward pass, so with several threads they are split among them (each chunk's product on one
/// thread). The backward pass splits the batch into at most <see cref="GradientGroups"/> groups of images: a thread takes whole
/// groups, expands each chunk's patches once for ∂L/∂W and ∂L/∂X both, and sums each group's ∂L/∂W and ∂L/∂b apart; the
/// groups' sums are then added in order. Splitting each ∂L/∂W product over its outputs instead (a 288 × 64 result, one
/// product per chunk) left the second core idle for most of the pass: a 2-thread epoch of the benchmark's CNN took 21.8 s,
/// against 15.9 s with groups. The chunks depend on the geometry alone and the groups on the batch's size alone, and no sum is
/// split otherwise, so the results are the same for any thread count, and an image gets the same outputs alone as in any batch.
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
    [ThreadStatic] private static GradientJob? t_gradientJob;
    [ThreadStatic] private static float[]? t_partials;

    /// <summary>
    /// A 1×1 window with stride 1 and no padding: each image's patch matrix is the image itself (pixels × channels), so it is
    /// multiplied where it lies.
    /// </summary>
    private static bool ReadsImagesAsPatches(in WindowGeometry g) => g.WindowHeight == 1 && g.WindowWidth == 1 && g.StrideY == 1 && g.StrideX == 1;

    /// <summary>
    /// Whether the forward pass and ∂L/∂W go through <see cref="DirectConvolution"/> instead of im2col: a patch of at most
    /// <see cref="DirectPatchLimit"/> values, on a machine with AVX2 and FMA (elsewhere im2col and the portable products).
    /// </summary>
    /// <remarks>
    /// Measured with <c>tests/Bench --conv-kernels --rounds 3</c> (a batch of 32 images, one thread, the thread's processor
    /// time, median of the rounds' medians; load average 8–10 on the 2 cores), GFLOP/s im2col → direct, forward and ∂L/∂W:
    /// 28×28×1, 3×3 valid → 32 filters (the benchmark CNN's first layer, patch 9): 13.5 → 34.7 and 11.8 → 30.0; the same with
    /// same padding: 12.9 → 43.3 and 16.0 → 31.5; 28×28×2 (patch 18): 25.0 → 48.7 and 30.2 → 38.9; 28×28×3 same (27):
    /// 35.2 → 40.5 and 25.8 → 38.9; stride 2: 36.4 → 48.1 and 30.2 → 38.8; 5×5×1 same (25): 20.1 → 50.5 and 24.7 → 30.1;
    /// 3×3×1 → 20 filters: 8.8 → 13.3 and 9.8 → 10.0. Past 27 im2col's deeper products catch up: 28×28×4 (36): 38.6 → 43.0
    /// forward but 38.2 → 30.1 for ∂L/∂W; 14×14×8 (72): 52.0 → 45.2 and 46.2 → 30.2.
    /// </remarks>
    internal static bool UsesDirectKernel(in WindowGeometry g) => g.PatchLength <= DirectPatchLimit && DirectConvolution.IsSupported;

    /// <summary>Longest patch the direct kernel takes: 3×3 windows of up to 3 channels, 5×5 of one (measured: see <see cref="UsesDirectKernel"/>).</summary>
    private const int DirectPatchLimit = 27;

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
            RunChunks(x, g, filters, w, b, z, count, threads);
    }

    /// <summary>
    /// <c>∂L/∂W = Patchesᵀ · G</c> and <c>∂L/∂b = Σ_rows G</c> from the output gradients <paramref name="gradOutput"/>
    /// (count · OutputPositions × filters) and the forward pass's <paramref name="input"/>; then, unless
    /// <paramref name="gradInput"/> is empty, <c>∂L/∂X</c> (count × InputSize).
    /// </summary>
    /// <remarks>
    /// The images go in <see cref="GradientGroups"/> groups (fewer for a smaller batch), each group's sums formed apart, chunk
    /// after chunk, by the thread that takes it, then added group after group: every thread expands the patches of its own
    /// images once and uses them for ∂L/∂W and ∂L/∂X both, and the groups depend on the batch alone, so the sums are the same for
    /// any thread count.
    /// </remarks>
    public static void Backward(ReadOnlySpan<float> input, in WindowGeometry g, int filters, ReadOnlySpan<float> weights, ReadOnlySpan<float> gradOutput,
        int count, Span<float> gradWeights, Span<float> gradBias, Span<float> gradInput, int threads)
    {
        Check(g, filters, weights.Length, count, input.Length, gradOutput.Length);
        int weightCount = g.PatchLength * filters;
        if (gradWeights.Length < weightCount || gradBias.Length < filters)
            throw new ArgumentException($"The gradients need {weightCount} weights and {filters} biases; got {gradWeights.Length} and {gradBias.Length}.");
        if (!gradInput.IsEmpty && gradInput.Length < (long)count * g.InputSize)
            throw new ArgumentException($"∂L/∂X of {count} images needs {(long)count * g.InputSize} values; got {gradInput.Length}.", nameof(gradInput));
        if (count == 0)
        {
            gradWeights[..weightCount].Clear();
            gradBias[..filters].Clear();
            return;
        }
        int groups = Math.Min(GradientGroups, count), partialLength = weightCount + filters;
        // Group 0 sums into the gradients themselves, each later group into its own part of this thread's buffer.
        var partials = PartialBuffer((groups - 1) * partialLength);
        int parts = Math.Min(groups, Math.Min(Math.Max(1, threads), WorkerPool.Shared.Concurrency));
        fixed (float* x = input, w = weights, dz = gradOutput, dw = gradWeights, db = gradBias, dx = gradInput, sums = partials)
        {
            var job = t_gradientJob ??= new GradientJob();
            job.Input = x;
            job.Weights = w;
            job.GradOutput = dz;
            job.GradWeights = dw;
            job.GradBias = db;
            job.GradInput = dx;
            job.Partials = sums;
            (job.Geometry, job.Filters, job.Count, job.Groups, job.Parts) = (g, filters, count, groups, parts);
            job.Threads = parts > 1 ? 1 : threads;
            WorkerPool.Shared.Run(job, parts);
            job.Input = job.Weights = job.GradOutput = job.GradWeights = job.GradBias = job.GradInput = job.Partials = null;
        }
        for (int q = 1; q < groups; q++)
        {
            var partial = partials.Slice((q - 1) * partialLength, partialLength);
            TensorPrimitives.Add(gradWeights[..weightCount], partial[..weightCount], gradWeights[..weightCount]);
            TensorPrimitives.Add(gradBias[..filters], partial[weightCount..], gradBias[..filters]);
        }
    }

    /// <summary>
    /// Groups of images whose gradient sums are formed apart in the backward pass: as many threads as this can share it, and the
    /// extra sums cost a pass over ∂L/∂W per group (a 3×3×32 → 64 layer's is 74 KB), small beside the products that fill it.
    /// </summary>
    private const int GradientGroups = 8;

    /// <summary>
    /// Every chunk of <paramref name="count"/> images' outputs: on the calling thread with the products split over
    /// <paramref name="threads"/>, or, when there are chunks enough, the chunks split over the threads.
    /// </summary>
    private static void RunChunks(float* input, in WindowGeometry g, int filters, float* weights, float* bias, float* output, int count, int threads)
    {
        // The direct kernel needs no patch buffer, so its work goes out an image at a time, which shares a batch evenly.
        int chunkImages = UsesDirectKernel(g) ? 1 : ChunkImages(g), chunks = (count + chunkImages - 1) / chunkImages;
        int parts = Math.Min(chunks, Math.Min(Math.Max(1, threads), WorkerPool.Shared.Concurrency));
        var job = t_job ??= new ChunkJob();
        job.Input = input;
        job.Weights = weights;
        job.Bias = bias;
        job.Output = output;
        (job.Geometry, job.Filters, job.Count, job.Chunks, job.Parts) = (g, filters, count, chunks, parts);
        job.Threads = parts > 1 ? 1 : threads;
        WorkerPool.Shared.Run(job, parts);
        job.Input = job.Weights = job.Bias = job.Output = null;
    }

    /// <summary>The chunks of one forward call as pointers, so the pool's threads can each take some; one per calling thread, reused.</summary>
    private sealed class ChunkJob : IPartitionedWork
    {
        public float* Input, Weights, Bias, Output;
        public WindowGeometry Geometry;
        public int Filters, Count, Chunks, Parts, Threads;

        /// <summary>Chunks part, part + Parts, …: their images' outputs.</summary>
        public void Execute(int part)
        {
            var g = Geometry;
            int rowsPerImage = g.OutputPositions, k = g.PatchLength;
            if (UsesDirectKernel(g))
            {
                for (int n = part; n < Count; n += Parts)
                    DirectConvolution.Forward(Input + (long)n * g.InputSize, g, Filters, Weights, Bias, 1, Output + (long)n * rowsPerImage * Filters);
                return;
            }
            int chunk = ChunkImages(g);
            var weights = new ReadOnlySpan<float>(Weights, k * Filters);
            var input = new ReadOnlySpan<float>(Input, Count * g.InputSize);
            var bias = Bias is null ? default : new ReadOnlySpan<float>(Bias, Filters);
            for (int c = part; c < Chunks; c += Parts)
            {
                int n = c * chunk, images = Math.Min(chunk, Count - n), rows = images * rowsPerImage;
                var output = new Span<float>(Output + (long)n * rowsPerImage * Filters, rows * Filters);
                MatrixMultiply.Multiply(Patches(input, g, n, images), weights, output, rows, Filters, k, MatrixMultiply.Transpose.None,
                    accumulate: false, Threads, bias: bias);
            }
        }
    }

    /// <summary>The backward pass of one call as pointers, so the pool's threads can each take some of its image groups; one per calling thread, reused.</summary>
    private sealed class GradientJob : IPartitionedWork
    {
        public float* Input, Weights, GradOutput, GradWeights, GradBias, GradInput, Partials;
        public WindowGeometry Geometry;
        public int Filters, Count, Groups, Parts, Threads;

        /// <summary>
        /// Groups part, part + Parts, …: each group's ∂L/∂W and ∂L/∂b summed over its chunks in order, and, when asked for, its
        /// images' ∂L/∂X from the same chunks' patches.
        /// </summary>
        public void Execute(int part)
        {
            var g = Geometry;
            int k = g.PatchLength, rowsPerImage = g.OutputPositions, weightCount = k * Filters;
            var input = new ReadOnlySpan<float>(Input, Count * g.InputSize);
            var weights = new ReadOnlySpan<float>(Weights, weightCount);
            for (int q = part; q < Groups; q += Parts)
            {
                int first = (int)((long)Count * q / Groups), end = (int)((long)Count * (q + 1) / Groups), images = end - first;
                float* partial = Partials + (long)(q - 1) * (weightCount + Filters);
                var sums = new Span<float>(q == 0 ? GradWeights : partial, weightCount);
                var biasSums = new Span<float>(q == 0 ? GradBias : partial + weightCount, Filters);
                ColumnSums.Of(new ReadOnlySpan<float>(GradOutput + (long)first * rowsPerImage * Filters, images * rowsPerImage * Filters), images * rowsPerImage, Filters, biasSums);
                bool direct = UsesDirectKernel(g);
                if (direct)
                {
                    fixed (float* target = sums)
                        DirectConvolution.WeightGradient(Input + (long)first * g.InputSize, g, Filters, GradOutput + (long)first * rowsPerImage * Filters, images, target);
                    if (GradInput is null) continue;
                }
                // The group's images in chunks of about equal size, none over the patch budget.
                int chunks = (images + ChunkImages(g) - 1) / ChunkImages(g);
                for (int c = 0; c < chunks; c++)
                {
                    int n = first + images * c / chunks, count = first + images * (c + 1) / chunks - n, rows = count * rowsPerImage;
                    var gradZ = new ReadOnlySpan<float>(GradOutput + (long)n * rowsPerImage * Filters, rows * Filters);
                    if (!direct) MatrixMultiply.Multiply(Patches(input, g, n, count), gradZ, sums, k, Filters, rows, MatrixMultiply.Transpose.A, accumulate: c > 0, Threads);
                    if (GradInput is null) continue;
                    var gradImages = new Span<float>(GradInput + (long)n * g.InputSize, count * g.InputSize);
                    if (ReadsImagesAsPatches(g))
                    {
                        MatrixMultiply.Multiply(gradZ, weights, gradImages, rows, k, Filters, MatrixMultiply.Transpose.B, accumulate: false, Threads);
                        continue;
                    }
                    // The patches have served ∂L/∂W; their buffer takes their gradients.
                    var gradPatches = PatchBuffer(rows * k);
                    MatrixMultiply.Multiply(gradZ, weights, gradPatches, rows, k, Filters, MatrixMultiply.Transpose.B, accumulate: false, Threads);
                    Im2Col.Fold(gradPatches, g, count, gradImages);
                }
            }
        }
    }

    /// <summary>
    /// The first <paramref name="length"/> floats of this thread's buffer for the backward pass's group sums, made at the first
    /// call that needs that many and kept.
    /// </summary>
    private static Span<float> PartialBuffer(int length)
    {
        if (t_partials is null || t_partials.Length < length) t_partials = new float[length];
        return t_partials.AsSpan(0, length);
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

using System.Numerics;

namespace MLNetNN.Numerics;

/// <summary>
/// Max pooling over images stored channels last: each output value is the largest input value of its channel under its window,
/// <c>Y[n, oy, ox, c] = max_{ky, kx} X[n, oy·StrideY − PadTop + ky, ox·StrideX − PadLeft + kx, c]</c> over the window's pixels
/// inside the image (padding never wins), and the backward pass sends each output's gradient to the input value that won,
/// <c>∂L/∂X[n, i] = Σ ∂L/∂Y[n, o]</c> over the outputs o whose <c>argmax</c> is i.
/// </summary>
/// <remarks>
/// The first largest value in window order (ky, then kx) wins a tie, as in PyTorch; a NaN wins over any number, so it reaches the
/// output. The forward pass keeps each winner's index within its image, so the backward pass needs no comparison; it adds each
/// image's gradients in output order on one thread, so overlapping windows sum alike for any thread count.
/// </remarks>
internal static class MaxPooling
{
    /// <summary>
    /// <paramref name="output"/> (count × OutputPositions·Channels) from <paramref name="images"/> (count × InputSize), and in
    /// <paramref name="argmax"/> (as many) the index within its image of the value each output took.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> images, in WindowGeometry g, int count, Span<float> output, Span<int> argmax)
    {
        int outputSize = g.OutputPositions * g.Channels;
        Check(images.Length, g, count, output.Length, argmax.Length);
        for (int n = 0; n < count; n++)
            ForwardImage(images.Slice(n * g.InputSize, g.InputSize), g, output.Slice(n * outputSize, outputSize), argmax.Slice(n * outputSize, outputSize));
    }

    /// <summary>
    /// <paramref name="gradImages"/> (count × InputSize) from the outputs' gradients <paramref name="gradOutput"/> and the
    /// forward pass's <paramref name="argmax"/>: each input value gets the sum of the gradients of the outputs it won (0 if none).
    /// With several <paramref name="threads"/> and images enough, the images are split among them.
    /// </summary>
    public static unsafe void Backward(ReadOnlySpan<float> gradOutput, ReadOnlySpan<int> argmax, in WindowGeometry g, int count, Span<float> gradImages, int threads = 1)
    {
        Check(gradImages.Length, g, count, gradOutput.Length, argmax.Length);
        int parts = (long)count * g.InputSize < MinimumSplitValues ? 1 : Math.Min(count, Math.Min(threads, WorkerPool.Shared.Concurrency));
        if (parts <= 1)
        {
            BackwardImages(gradOutput, argmax, g, 0, count, gradImages);
            return;
        }
        fixed (float* gradients = gradOutput, images = gradImages)
        fixed (int* winners = argmax)
        {
            var job = t_backwardJob ??= new BackwardJob();
            job.GradOutput = gradients;
            job.Winners = winners;
            job.GradImages = images;
            (job.Geometry, job.Count, job.Parts) = (g, count, parts);
            WorkerPool.Shared.Run(job, parts);
            job.GradOutput = job.GradImages = null;
            job.Winners = null;
        }
    }

    /// <summary>
    /// Input values from which the backward pass is split: about a 32-image batch of 11×11×16, so a convolutional network's
    /// pooling layers split and small images stay on one thread. Chosen, not tuned: a hand-over to the pool costs microseconds.
    /// </summary>
    private const int MinimumSplitValues = 1 << 16;

    [ThreadStatic] private static BackwardJob? t_backwardJob;

    /// <summary>Images <paramref name="first"/>..+<paramref name="count"/>: cleared, then each output's gradient added at its winner, in output order.</summary>
    private static void BackwardImages(ReadOnlySpan<float> gradOutput, ReadOnlySpan<int> argmax, in WindowGeometry g, int first, int count, Span<float> gradImages)
    {
        int outputSize = g.OutputPositions * g.Channels;
        for (int n = first; n < first + count; n++)
        {
            var image = gradImages.Slice(n * g.InputSize, g.InputSize);
            image.Clear();
            var gradients = gradOutput.Slice(n * outputSize, outputSize);
            var winners = argmax.Slice(n * outputSize, outputSize);
            for (int o = 0; o < gradients.Length; o++)
            {
                int i = winners[o];
                if ((uint)i >= (uint)image.Length) throw new ArgumentOutOfRangeException(nameof(argmax), i, $"Winner {o} of image {n} lies outside its image.");
                image[i] += gradients[o];
            }
        }
    }

    /// <summary>A split backward pass as pointers, so the pool's threads can each take a run of images; one per calling thread, reused.</summary>
    private sealed unsafe class BackwardJob : IPartitionedWork
    {
        public float* GradOutput, GradImages;
        public int* Winners;
        public WindowGeometry Geometry;
        public int Count, Parts;

        public void Execute(int part)
        {
            var g = Geometry;
            long outputs = (long)Count * g.OutputPositions * g.Channels;
            int first = (int)((long)Count * part / Parts), end = (int)((long)Count * (part + 1) / Parts);
            BackwardImages(new ReadOnlySpan<float>(GradOutput, (int)outputs), new ReadOnlySpan<int>(Winners, (int)outputs), g, first, end - first,
                new Span<float>(GradImages, Count * g.InputSize));
        }
    }

    private static void Check(int imageLength, in WindowGeometry g, int count, int outputLength, int argmaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        long outputs = (long)count * g.OutputPositions * g.Channels;
        if (imageLength < (long)count * g.InputSize)
            throw new ArgumentException($"{count} images of {g.InputHeight}×{g.InputWidth}×{g.Channels} need {(long)count * g.InputSize} values; got {imageLength}.");
        if (outputLength < outputs || argmaxLength < outputs)
            throw new ArgumentException($"{count} pooled images need {outputs} outputs and as many winners; got {outputLength} and {argmaxLength}.");
    }

    /// <summary>One image: a register of channels at a time, each window pixel compared in order, the winner's index kept beside the maximum.</summary>
    private static void ForwardImage(ReadOnlySpan<float> image, in WindowGeometry g, Span<float> output, Span<int> argmax)
    {
        int channels = g.Channels, rowLength = g.InputWidth * channels;
        int width = Vector<float>.Count;
        int o = 0;
        for (int oy = 0; oy < g.OutputHeight; oy++)
        {
            int y0 = oy * g.StrideY - g.PadTop, yFirst = Math.Max(y0, 0), yEnd = Math.Min(y0 + g.WindowHeight, g.InputHeight);
            for (int ox = 0; ox < g.OutputWidth; ox++, o += channels)
            {
                int x0 = ox * g.StrideX - g.PadLeft, xFirst = Math.Max(x0, 0), xEnd = Math.Min(x0 + g.WindowWidth, g.InputWidth);
                int first = yFirst * rowLength + xFirst * channels;
                int c = 0;
                for (; c <= channels - width; c += width)
                {
                    var offsets = new Vector<int>(ChannelOffsets) + new Vector<int>(c);
                    var best = new Vector<float>(image.Slice(first + c));
                    var winner = offsets + new Vector<int>(first);
                    for (int y = yFirst; y < yEnd; y++)
                    for (int x = xFirst; x < xEnd; x++)
                    {
                        int at = y * rowLength + x * channels;
                        var value = new Vector<float>(image.Slice(at + c));
                        // value > best, or value is NaN and best is not: the later value wins.
                        var wins = Vector.AsVectorInt32(Vector.GreaterThan(value, best) |
                            (~Vector.Equals(value, value) & Vector.Equals(best, best)));
                        best = Vector.ConditionalSelect(wins, value, best);
                        winner = Vector.ConditionalSelect(wins, offsets + new Vector<int>(at), winner);
                    }
                    best.CopyTo(output.Slice(o + c));
                    winner.CopyTo(argmax.Slice(o + c));
                }
                for (; c < channels; c++)
                {
                    float best = image[first + c];
                    int winner = first + c;
                    for (int y = yFirst; y < yEnd; y++)
                    for (int x = xFirst; x < xEnd; x++)
                    {
                        int at = y * rowLength + x * channels + c;
                        float value = image[at];
                        if (value > best || (float.IsNaN(value) && !float.IsNaN(best))) (best, winner) = (value, at);
                    }
                    output[o + c] = best;
                    argmax[o + c] = winner;
                }
            }
        }
    }

    /// <summary>0, 1, 2, …: each lane's channel within a register.</summary>
    private static readonly int[] ChannelOffsets = Enumerable.Range(0, Vector<int>.Count).ToArray();
}

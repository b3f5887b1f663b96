using MLNetNN.Numerics;

namespace MLNetNN.Tests.Numerics;

public class ConvolutionTests
{
    /// <summary>
    /// Odd and even image sides, windows of 1–3 (and one wider than the image with padding), strides 1–2, both paddings, 1–3
    /// channels, 1–5 filters and 1–5 images; and shapes whose patches fill several chunks, so the backward pass sums ∂L/∂W
    /// over chunks and folds each chunk's images apart; and more images than the backward pass has gradient groups; and short
    /// patches with 19–64 filters for every branch of the direct kernel.
    /// </summary>
    public static IEnumerable<object[]> Shapes()
    {
        var random = new Random(16);
        var shapes = new List<(int H, int W, int C, int K, int S, Padding P, int F, int N)>
        {
            (1, 1, 1, 1, 1, Padding.Valid, 1, 1), (5, 5, 1, 3, 1, Padding.Valid, 2, 1), (5, 5, 1, 3, 1, Padding.Same, 2, 2),
            (6, 7, 3, 3, 2, Padding.Same, 4, 3), (7, 6, 2, 2, 2, Padding.Valid, 3, 5), (4, 4, 2, 1, 1, Padding.Valid, 3, 2),
            (3, 3, 1, 5, 1, Padding.Same, 2, 2), (2, 9, 3, 2, 1, Padding.Same, 5, 4), (9, 2, 1, 1, 2, Padding.Same, 1, 3),
            // Several chunks: 28×28 windows of 3×3×32 are 784 × 288 patch values per image, more than a chunk holds.
            (28, 28, 32, 3, 1, Padding.Same, 3, 3), (26, 26, 32, 3, 2, Padding.Valid, 2, 5),
            // More images than the backward pass has gradient groups: groups of 1–3 images, summed apart and then in order,
            // some of several chunks (one 28×28×32 image's patches fill a chunk).
            (28, 28, 32, 3, 1, Padding.Same, 3, 11), (12, 12, 4, 3, 1, Padding.Valid, 5, 19),
            // Short patches with 32 filters or more, which the direct kernel takes (with AVX2): its 3-pixel tiles and the pixels
            // they leave at the edges and after the last tile, registers of filters past the last 32 (full and masked) in
            // 6-pixel tiles, windows of 2 and 5 (taps in threes with a short last three), strides 2, padding on every side.
            (9, 11, 1, 3, 1, Padding.Same, 37, 3), (11, 9, 3, 3, 2, Padding.Same, 44, 2), (10, 13, 2, 3, 1, Padding.Valid, 64, 2),
            (8, 8, 1, 5, 1, Padding.Same, 33, 2), (7, 9, 2, 2, 2, Padding.Same, 40, 3), (12, 12, 3, 3, 1, Padding.Same, 32, 9),
            (13, 15, 1, 3, 2, Padding.Valid, 47, 2), (5, 17, 1, 3, 1, Padding.Same, 19, 2),
        };
        for (int i = 0; i < 40; i++)
        {
            int k = random.Next(1, 4), s = random.Next(1, 3);
            var padding = random.Next(2) == 0 ? Padding.Valid : Padding.Same;
            int h = random.Next(padding == Padding.Valid ? k : 1, 10), w = random.Next(padding == Padding.Valid ? k : 1, 10);
            shapes.Add((h, w, random.Next(1, 4), k, s, padding, random.Next(1, 6), random.Next(1, 6)));
        }
        foreach (var s in shapes) yield return [s.H, s.W, s.C, s.K, s.S, s.P, s.F, s.N];
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_and_backward_match_a_scalar_reference_at_one_and_two_threads(int h, int w, int c, int k, int s, Padding padding, int f, int count)
    {
        var g = new WindowGeometry(h, w, c, k, k, s, s, padding);
        var random = new Random(h * 7919 + w * 104729 + c * 31 + k * 7 + s + f * 13 + count * 17);
        float[] input = Values(random, count * g.InputSize), weights = Values(random, g.PatchLength * f), bias = Values(random, f);
        float[] gradOutput = Values(random, count * g.OutputPositions * f);
        var (z, gradW, gradB, gradX) = Reference(input, g, f, weights, bias, gradOutput, count);
        string shape = $"{h}x{w}x{c} window {k} stride {s} {padding}, {f} filters, {count} images";

        float[]? firstZ = null, firstGradW = null, firstGradB = null, firstGradX = null;
        foreach (int threads in new[] { 1, 2 })
        {
            var output = new float[count * g.OutputPositions * f];
            Convolution.Forward(input, g, f, weights, bias, count, output, threads);
            AssertClose(z, output, g.PatchLength, $"Z of {shape}");

            float[] dW = new float[weights.Length], dB = new float[f], dX = Values(random, input.Length);
            Convolution.Backward(input, g, f, weights, gradOutput, count, dW, dB, dX, threads);
            AssertClose(gradW, dW, count * g.OutputPositions, $"∂L/∂W of {shape}");
            AssertClose(gradB, dB, count * g.OutputPositions, $"∂L/∂b of {shape}");
            AssertClose(gradX, dX, g.PatchLength * f, $"∂L/∂X of {shape}");

            if (firstZ is null) (firstZ, firstGradW, firstGradB, firstGradX) = (output, dW, dB, dX);
            else
            {
                Assert.True(firstZ.AsSpan().SequenceEqual(output), $"Z of {shape}: 1 and 2 threads differ");
                Assert.True(firstGradW.AsSpan().SequenceEqual(dW), $"∂L/∂W of {shape}: 1 and 2 threads differ");
                Assert.True(firstGradB!.AsSpan().SequenceEqual(dB), $"∂L/∂b of {shape}: 1 and 2 threads differ");
                Assert.True(firstGradX.AsSpan().SequenceEqual(dX), $"∂L/∂X of {shape}: 1 and 2 threads differ");
            }
        }
    }

    [Theory]
    [InlineData(5, 6, 2, 3, 1, Padding.Same, 3, 2)]
    [InlineData(7, 7, 3, 3, 2, Padding.Valid, 2, 3)]
    [InlineData(4, 5, 1, 2, 2, Padding.Same, 4, 1)]
    [InlineData(6, 6, 2, 1, 1, Padding.Valid, 2, 2)]
    public void Gradients_match_finite_differences_of_the_forward_pass(int h, int w, int c, int k, int s, Padding padding, int f, int count)
    {
        // L = Σ R·Z is linear in each weight, bias and input value, so a central difference is exact but for rounding.
        var g = new WindowGeometry(h, w, c, k, k, s, s, padding);
        var random = new Random(5);
        float[] input = Values(random, count * g.InputSize), weights = Values(random, g.PatchLength * f), bias = Values(random, f);
        float[] r = Values(random, count * g.OutputPositions * f);
        double Loss()
        {
            var z = new float[r.Length];
            Convolution.Forward(input, g, f, weights, bias, count, z, threads: 1);
            double sum = 0;
            for (int i = 0; i < z.Length; i++) sum += (double)r[i] * z[i];
            return sum;
        }
        float[] dW = new float[weights.Length], dB = new float[f], dX = new float[input.Length];
        Convolution.Backward(input, g, f, weights, r, count, dW, dB, dX, threads: 1);

        foreach (var (values, gradient, name) in new[] { (weights, dW, "W"), (bias, dB, "b"), (input, dX, "X") })
            for (int i = 0; i < values.Length; i++)
            {
                float saved = values[i];
                const float Step = 0.25f;
                values[i] = saved + Step;
                double plus = Loss();
                values[i] = saved - Step;
                double minus = Loss();
                values[i] = saved;
                double numeric = (plus - minus) / (2 * Step);
                Assert.True(Math.Abs(numeric - gradient[i]) <= 1e-3 * (1 + Math.Abs(numeric)), $"∂L/∂{name}[{i}]: backward {gradient[i]}, finite difference {numeric}");
            }
    }

    [Fact]
    public void An_image_gets_the_same_output_alone_as_in_a_batch()
    {
        var g = new WindowGeometry(28, 28, 1, 3, 3, 1, 1, Padding.Valid);
        var random = new Random(9);
        float[] input = Values(random, 5 * g.InputSize), weights = Values(random, g.PatchLength * 32), bias = Values(random, 32);
        var batch = new float[5 * g.OutputPositions * 32];
        Convolution.Forward(input, g, 32, weights, bias, 5, batch, threads: 2);
        var alone = new float[g.OutputPositions * 32];
        Convolution.Forward(input.AsSpan(3 * g.InputSize), g, 32, weights, bias, 1, alone, threads: 1);
        Assert.True(alone.AsSpan().SequenceEqual(batch.AsSpan(3 * alone.Length, alone.Length)));
    }

    [Fact]
    public void Short_buffers_are_refused_by_name()
    {
        var g = new WindowGeometry(5, 5, 2, 3, 3, 1, 1, Padding.Same);
        float[] input = new float[2 * g.InputSize], weights = new float[g.PatchLength * 4], bias = new float[4], output = new float[2 * g.OutputPositions * 4];
        Assert.Contains("weights", Assert.Throws<ArgumentException>(() => Convolution.Forward(input, g, 4, weights.AsSpan(1), bias, 2, output, 1)).Message);
        Assert.Contains("images", Assert.Throws<ArgumentException>(() => Convolution.Forward(input.AsSpan(1), g, 4, weights, bias, 2, output, 1)).Message);
        Assert.Contains("outputs", Assert.Throws<ArgumentException>(() => Convolution.Forward(input, g, 4, weights, bias, 2, output.AsSpan(1), 1)).Message);
        Assert.Contains("biases", Assert.Throws<ArgumentException>(() => Convolution.Forward(input, g, 4, weights, bias.AsSpan(1), 2, output, 1)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new WindowGeometry(2, 5, 1, 3, 3, 1, 1, Padding.Valid));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WindowGeometry(5, 5, 1, 3, 3, 0, 1, Padding.Same));
    }

    [Theory]
    [InlineData(28, 3, 1, Padding.Valid, 26, 0)]
    [InlineData(28, 3, 1, Padding.Same, 28, 1)]
    [InlineData(28, 3, 2, Padding.Same, 14, 0)]
    [InlineData(7, 2, 2, Padding.Same, 4, 0)]
    [InlineData(8, 4, 2, Padding.Same, 4, 1)]
    [InlineData(13, 2, 2, Padding.Valid, 6, 0)]
    public void Output_sides_and_padding_follow_Keras(int side, int window, int stride, Padding padding, int output, int padBefore)
    {
        var g = new WindowGeometry(side, side, 1, window, window, stride, stride, padding);
        Assert.Equal(output, g.OutputHeight);
        Assert.Equal(output, g.OutputWidth);
        Assert.Equal(padBefore, g.PadTop);
        Assert.Equal(padBefore, g.PadLeft);
    }

    /// <summary>The convolution and its gradients in double, straight from the definitions, one term at a time.</summary>
    private static (double[] Z, double[] GradW, double[] GradB, double[] GradX) Reference(float[] x, WindowGeometry g, int f, float[] w, float[] b, float[] gz, int count)
    {
        var z = new double[count * g.OutputPositions * f];
        var gw = new double[w.Length];
        var gb = new double[f];
        var gx = new double[x.Length];
        for (int n = 0; n < count; n++)
        for (int oy = 0; oy < g.OutputHeight; oy++)
        for (int ox = 0; ox < g.OutputWidth; ox++)
        for (int o = 0; o < f; o++)
        {
            int zi = ((n * g.OutputHeight + oy) * g.OutputWidth + ox) * f + o;
            double sum = b[o];
            gb[o] += gz[zi];
            for (int ky = 0; ky < g.WindowHeight; ky++)
            for (int kx = 0; kx < g.WindowWidth; kx++)
            {
                int y = oy * g.StrideY - g.PadTop + ky, xx = ox * g.StrideX - g.PadLeft + kx;
                if (y < 0 || y >= g.InputHeight || xx < 0 || xx >= g.InputWidth) continue;
                for (int ch = 0; ch < g.Channels; ch++)
                {
                    int xi = n * g.InputSize + (y * g.InputWidth + xx) * g.Channels + ch, wi = ((ky * g.WindowWidth + kx) * g.Channels + ch) * f + o;
                    sum += (double)x[xi] * w[wi];
                    gw[wi] += (double)x[xi] * gz[zi];
                    gx[xi] += (double)w[wi] * gz[zi];
                }
            }
            z[zi] = sum;
        }
        return (z, gw, gb, gx);
    }

    private static float[] Values(Random random, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    /// <summary>Each value within float rounding of a sum of <paramref name="terms"/> terms of magnitude at most 1.</summary>
    private static void AssertClose(double[] expected, float[] actual, int terms, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double tolerance = 4e-7 * (terms + 2);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
    }
}

using MLNetNN.Numerics;

namespace MLNetNN.Tests.Numerics;

public class MaxPoolingTests
{
    /// <summary>Odd and even sides, windows of 1–3, strides 1–3 (overlapping windows and gaps), both paddings, 1–19 channels (a register of them and the rest), 1–5 images; and 7 large images, whose backward pass is split over threads.</summary>
    public static IEnumerable<object[]> Shapes()
    {
        var random = new Random(2);
        var shapes = new List<object[]>
        {
            new object[] { 26, 26, 32, 2, 2, Padding.Valid, 2 }, new object[] { 11, 11, 64, 2, 2, Padding.Valid, 3 },
            new object[] { 5, 5, 3, 3, 1, Padding.Same, 2 }, new object[] { 7, 6, 9, 2, 2, Padding.Same, 1 },
            // Enough values that the backward pass splits the images over threads: 7 images of 26×26×32, overlapping windows.
            new object[] { 26, 26, 32, 3, 2, Padding.Same, 7 },
        };
        for (int i = 0; i < 40; i++)
        {
            int k = random.Next(1, 4);
            var padding = random.Next(2) == 0 ? Padding.Valid : Padding.Same;
            shapes.Add([random.Next(k, 10), random.Next(k, 10), random.Next(1, 20), k, random.Next(1, 4), padding, random.Next(1, 6)]);
        }
        return shapes;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_and_backward_match_a_scalar_reference(int h, int w, int c, int window, int stride, Padding padding, int count)
    {
        var g = new WindowGeometry(h, w, c, window, window, stride, stride, padding);
        var random = new Random(h * 31 + w * 17 + c * 7 + window * 3 + stride + count * 101);
        // Values from a few levels, so windows hold ties, which the first in window order must win.
        var input = new float[count * g.InputSize];
        for (int i = 0; i < input.Length; i++) input[i] = random.Next(-3, 4);
        int outputs = count * g.OutputPositions * c;
        var gradOutput = new float[outputs];
        for (int i = 0; i < outputs; i++) gradOutput[i] = (float)random.NextDouble();

        var (expected, winners) = Reference(input, g, count);
        var output = new float[outputs];
        var argmax = new int[outputs];
        MaxPooling.Forward(input, g, count, output, argmax);
        Assert.Equal(expected, output);
        Assert.Equal(winners, argmax);

        var expectedGrad = new float[input.Length];
        for (int o = 0; o < outputs; o++) expectedGrad[o / (g.OutputPositions * c) * g.InputSize + winners[o]] += gradOutput[o];
        foreach (int threads in new[] { 1, 2 })
        {
            var grad = new float[input.Length];
            grad.AsSpan().Fill(7);
            MaxPooling.Backward(gradOutput, argmax, g, count, grad, threads);
            Assert.Equal(expectedGrad, grad);
        }
    }

    [Fact]
    public void Gradient_matches_finite_differences()
    {
        var g = new WindowGeometry(6, 5, 3, 3, 3, 2, 2, Padding.Same);
        var random = new Random(4);
        // Distinct values at least 0.01 apart, so a step of 0.001 changes no winner.
        var input = Enumerable.Range(0, 2 * g.InputSize).Select(i => i * 0.01f).OrderBy(_ => random.Next()).ToArray();
        var r = Enumerable.Range(0, 2 * g.OutputPositions * 3).Select(_ => (float)random.NextDouble()).ToArray();
        var output = new float[r.Length];
        var argmax = new int[r.Length];
        double Loss()
        {
            MaxPooling.Forward(input, g, 2, output, argmax);
            return output.Select((v, i) => (double)v * r[i]).Sum();
        }
        Loss();
        var grad = new float[input.Length];
        MaxPooling.Backward(r, argmax, g, 2, grad);
        for (int i = 0; i < input.Length; i++)
        {
            float saved = input[i];
            input[i] = saved + 0.001f;
            double plus = Loss();
            input[i] = saved - 0.001f;
            double minus = Loss();
            input[i] = saved;
            Assert.Equal(grad[i], (plus - minus) / 0.002, 2);
        }
    }

    [Fact]
    public void A_NaN_reaches_the_output()
    {
        var g = new WindowGeometry(2, 2, 9, 2, 2, 2, 2, Padding.Valid);
        var input = new float[g.InputSize];
        input[2 * 9 + 4] = float.NaN;
        input[3 * 9 + 4] = 5;
        input[2 * 9 + 8] = float.NaN;
        var output = new float[9];
        var argmax = new int[9];
        MaxPooling.Forward(input, g, 1, output, argmax);
        Assert.True(float.IsNaN(output[4]));
        Assert.True(float.IsNaN(output[8]));
        Assert.Equal(0f, output[0]);
    }

    [Fact]
    public void A_winner_outside_its_image_is_refused()
    {
        var g = new WindowGeometry(2, 2, 1, 2, 2, 2, 2, Padding.Valid);
        Assert.Throws<ArgumentOutOfRangeException>(() => MaxPooling.Backward([1f], [4], g, 1, new float[4]));
    }

    private static (float[] Output, int[] Argmax) Reference(float[] x, WindowGeometry g, int count)
    {
        int c = g.Channels;
        var output = new float[count * g.OutputPositions * c];
        var argmax = new int[output.Length];
        for (int n = 0; n < count; n++)
        for (int oy = 0; oy < g.OutputHeight; oy++)
        for (int ox = 0; ox < g.OutputWidth; ox++)
        for (int ch = 0; ch < c; ch++)
        {
            float best = float.NegativeInfinity;
            int winner = -1;
            for (int ky = 0; ky < g.WindowHeight; ky++)
            for (int kx = 0; kx < g.WindowWidth; kx++)
            {
                int y = oy * g.StrideY - g.PadTop + ky, xx = ox * g.StrideX - g.PadLeft + kx;
                if (y < 0 || y >= g.InputHeight || xx < 0 || xx >= g.InputWidth) continue;
                int i = (y * g.InputWidth + xx) * c + ch;
                if (winner < 0 || x[n * g.InputSize + i] > best) (best, winner) = (x[n * g.InputSize + i], i);
            }
            int o = ((n * g.OutputHeight + oy) * g.OutputWidth + ox) * c + ch;
            (output[o], argmax[o]) = (best, winner);
        }
        return (output, argmax);
    }
}

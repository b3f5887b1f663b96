using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetNN.Numerics;

/// <summary>
/// A convolution with a short patch (a first layer's few channels) computed where the images lie, without im2col: the forward
/// pass <c>Z = b + X ∗ W</c> and the weight gradient <c>∂L/∂W = Σ_pixels patch ⊗ G</c>, with AVX2 and FMA. The layout and the
/// formulas are <see cref="Convolution"/>'s.
/// </summary>
/// <remarks>
/// <para>
/// A 9-value patch (3×3×1) gives the matrix kernels a 9-deep product, too short to fill their register tiles; here the filters
/// run along the registers instead. Forward, a tile keeps 4 registers of filters (32) for 3 output pixels, 12 accumulators:
/// for each tap the 4 weight registers are loaded once and each pixel's input value is broadcast into them. Backward, a tile
/// keeps 3 taps × 4 registers of filters of ∂L/∂W and walks every output pixel of the images, loading the pixel's 4 registers
/// of G once for the 3 taps.
/// </para>
/// <para>
/// Every output is one FMA chain whatever tile computes it: forward, the bias and then the taps in patch order, padding
/// skipped (the pixels at the edges and those left over after the tiles go through a one-pixel loop with the same order);
/// backward, each ∂L/∂W value over the pixels in (image, row, column) order, padding counting as 0. So an image's outputs do
/// not depend on the rest of the batch, and a gradient sum depends only on the images it is given.
/// </para>
/// </remarks>
internal static unsafe class DirectConvolution
{
    /// <summary>Whether this machine has the instructions the kernels use (AVX2 and FMA on 256-bit registers).</summary>
    public static bool IsSupported => Fma.IsSupported && Avx2.IsSupported && Vector256.IsHardwareAccelerated;

    /// <summary>
    /// <c>Z = b + X ∗ W</c> for the <paramref name="count"/> images at <paramref name="input"/> into <paramref name="output"/>
    /// (count · OutputPositions × <paramref name="filters"/>); <paramref name="bias"/> may be null (no bias).
    /// </summary>
    public static void Forward(float* input, in WindowGeometry g, int filters, float* weights, float* bias, int count, float* output)
    {
        Debug.Assert(IsSupported);
        for (int n = 0; n < count; n++)
            ForwardImage(input + (long)n * g.InputSize, g, filters, weights, bias, output + (long)n * g.OutputPositions * filters);
    }

    /// <summary>
    /// <c>∂L/∂W[j, f] = Σ_pixels Patch[pixel, j] · G[pixel, f]</c> over the <paramref name="count"/> images at
    /// <paramref name="input"/> and their output gradients <paramref name="gradOutput"/>, written into
    /// <paramref name="gradWeights"/> (PatchLength × filters), each value summed over the pixels in order.
    /// </summary>
    public static void WeightGradient(float* input, in WindowGeometry g, int filters, float* gradOutput, int count, float* gradWeights)
    {
        Debug.Assert(IsSupported);
        int run = g.WindowWidth * g.Channels, quads = filters / 32, vectors = (filters + 7) / 8;
        for (int ky = 0; ky < g.WindowHeight; ky++)
        for (int t = 0; t < run; t += 3)
        {
            int taps = Math.Min(3, run - t), j = ky * run + t;
            for (int q = 0; q < quads; q++)
                GradientTile4(input, g, filters, gradOutput, count, ky, t, taps, 32 * q, gradWeights + (long)j * filters + 32 * q);
            for (int v = 4 * quads; v < vectors; v++)
                GradientTile1(input, g, filters, gradOutput, count, ky, t, taps, 8 * v, gradWeights + (long)j * filters + 8 * v);
        }
    }

    /// <summary>One image's outputs, row by row: the pixels whose windows lie inside the image's columns in tiles, the rest one at a time.</summary>
    private static void ForwardImage(float* image, in WindowGeometry g, int filters, float* w, float* bias, float* z)
    {
        int c = g.Channels, run = g.WindowWidth * c, rowLength = g.InputWidth * c, step = g.StrideX * c;
        int quads = filters / 32, vectors = (filters + 7) / 8;
        // Output columns [first, end) have every window column inside the image.
        int first = Math.Min((g.PadLeft + g.StrideX - 1) / g.StrideX, g.OutputWidth);
        int end = g.InputWidth - g.WindowWidth + g.PadLeft < 0 ? 0 : Math.Min((g.InputWidth - g.WindowWidth + g.PadLeft) / g.StrideX + 1, g.OutputWidth);
        end = Math.Max(end, first);
        for (int oy = 0; oy < g.OutputHeight; oy++)
        {
            int y0 = oy * g.StrideY - g.PadTop;
            int kyStart = Math.Max(-y0, 0), kyEnd = Math.Min(g.WindowHeight, g.InputHeight - y0);
            float* zRow = z + (long)oy * g.OutputWidth * filters;
            // The window's origin (row y0, column x0) may lie in the padding; only its taps inside the image are read.
            float* origin = image + (long)y0 * rowLength - g.PadLeft * c;
            for (int q = 0; q < quads; q++)
            {
                float* wq = w + 32 * q, bq = bias is null ? null : bias + 32 * q, zq = zRow + 32 * q;
                int ox = 0;
                for (; ox < first; ox++) ForwardTile4x1(origin + ox * step, g, filters, wq, bq, kyStart, kyEnd, ox, zq + ox * filters);
                for (; ox + 3 <= end; ox += 3) ForwardTile4x3(origin + ox * step, step, filters, wq, bq, kyStart, kyEnd, rowLength, run, zq + ox * filters);
                for (; ox < g.OutputWidth; ox++) ForwardTile4x1(origin + ox * step, g, filters, wq, bq, kyStart, kyEnd, ox, zq + ox * filters);
            }
            // Filters past the last 32, a register at a time (the last one masked).
            for (int v = 4 * quads; v < vectors; v++)
            {
                var mask = Mask(filters - 8 * v);
                float* wv = w + 8 * v, bv = bias is null ? null : bias + 8 * v, zv = zRow + 8 * v;
                int ox = 0;
                for (; ox < first; ox++) ForwardTile1x1(origin + ox * step, g, filters, wv, bv, mask, kyStart, kyEnd, ox, zv + ox * filters);
                for (; ox + 6 <= end; ox += 6) ForwardTile1x6(origin + ox * step, step, filters, wv, bv, mask, kyStart, kyEnd, rowLength, run, zv + ox * filters);
                for (; ox < g.OutputWidth; ox++) ForwardTile1x1(origin + ox * step, g, filters, wv, bv, mask, kyStart, kyEnd, ox, zv + ox * filters);
            }
        }
    }

    /// <summary>
    /// Three output pixels' 32 filters starting at <paramref name="w"/>'s column: 12 accumulators, the 4 registers of each tap's
    /// weights loaded once for the 3 pixels. <paramref name="x"/> is the first pixel's window origin, the others
    /// <paramref name="step"/> values on.
    /// </summary>
    /// <remarks>
    /// With the broadcast this needs 17 registers, so the JIT keeps one accumulator on the stack; a 2-pixel tile, which needs
    /// 13, measured no faster (28×28×1 → 32, one thread: 32–53 GFLOP/s against 35–47 over alternating runs).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardTile4x3(float* x, int step, int filters, float* w, float* bias, int kyStart, int kyEnd, int rowLength, int run, float* z)
    {
        Vector256<float> b0 = default, b1 = default, b2 = default, b3 = default;
        if (bias is not null) (b0, b1, b2, b3) = (Avx.LoadVector256(bias), Avx.LoadVector256(bias + 8), Avx.LoadVector256(bias + 16), Avx.LoadVector256(bias + 24));
        Vector256<float> a00 = b0, a01 = b1, a02 = b2, a03 = b3, a10 = b0, a11 = b1, a12 = b2, a13 = b3, a20 = b0, a21 = b1, a22 = b2, a23 = b3;
        for (int ky = kyStart; ky < kyEnd; ky++)
        {
            float* xr = x + (long)ky * rowLength;
            float* wr = w + (long)ky * run * filters;
            for (int t = 0; t < run; t++, wr += filters)
            {
                var w0 = Avx.LoadVector256(wr);
                var w1 = Avx.LoadVector256(wr + 8);
                var w2 = Avx.LoadVector256(wr + 16);
                var w3 = Avx.LoadVector256(wr + 24);
                var p = Vector256.Create(xr[t]);
                a00 = Fma.MultiplyAdd(p, w0, a00);
                a01 = Fma.MultiplyAdd(p, w1, a01);
                a02 = Fma.MultiplyAdd(p, w2, a02);
                a03 = Fma.MultiplyAdd(p, w3, a03);
                p = Vector256.Create(xr[t + step]);
                a10 = Fma.MultiplyAdd(p, w0, a10);
                a11 = Fma.MultiplyAdd(p, w1, a11);
                a12 = Fma.MultiplyAdd(p, w2, a12);
                a13 = Fma.MultiplyAdd(p, w3, a13);
                p = Vector256.Create(xr[t + 2 * step]);
                a20 = Fma.MultiplyAdd(p, w0, a20);
                a21 = Fma.MultiplyAdd(p, w1, a21);
                a22 = Fma.MultiplyAdd(p, w2, a22);
                a23 = Fma.MultiplyAdd(p, w3, a23);
            }
        }
        Avx.Store(z, a00); Avx.Store(z + 8, a01); Avx.Store(z + 16, a02); Avx.Store(z + 24, a03);
        z += filters;
        Avx.Store(z, a10); Avx.Store(z + 8, a11); Avx.Store(z + 16, a12); Avx.Store(z + 24, a13);
        z += filters;
        Avx.Store(z, a20); Avx.Store(z + 8, a21); Avx.Store(z + 16, a22); Avx.Store(z + 24, a23);
    }

    /// <summary>The taps [Start, End) of a window row that lie inside the image for output column <paramref name="ox"/>.</summary>
    private static (int Start, int End) InsideColumns(in WindowGeometry g, int ox)
    {
        int x0 = ox * g.StrideX - g.PadLeft;
        return (Math.Max(-x0, 0) * g.Channels, (g.WindowWidth - Math.Max(x0 + g.WindowWidth - g.InputWidth, 0)) * g.Channels);
    }

    /// <summary>One output pixel's 32 filters over the taps inside the image, in patch order: the pixels at the edges and those the 3-pixel tiles leave.</summary>
    private static void ForwardTile4x1(float* x, in WindowGeometry g, int filters, float* w, float* bias, int kyStart, int kyEnd, int ox, float* z)
    {
        int run = g.WindowWidth * g.Channels, rowLength = g.InputWidth * g.Channels;
        var (tStart, tEnd) = InsideColumns(g, ox);
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        if (bias is not null) (a0, a1, a2, a3) = (Avx.LoadVector256(bias), Avx.LoadVector256(bias + 8), Avx.LoadVector256(bias + 16), Avx.LoadVector256(bias + 24));
        for (int ky = kyStart; ky < kyEnd; ky++)
        {
            float* xr = x + (long)ky * rowLength;
            float* wr = w + ((long)ky * run + tStart) * filters;
            for (int t = tStart; t < tEnd; t++, wr += filters)
            {
                var p = Vector256.Create(xr[t]);
                a0 = Fma.MultiplyAdd(p, Avx.LoadVector256(wr), a0);
                a1 = Fma.MultiplyAdd(p, Avx.LoadVector256(wr + 8), a1);
                a2 = Fma.MultiplyAdd(p, Avx.LoadVector256(wr + 16), a2);
                a3 = Fma.MultiplyAdd(p, Avx.LoadVector256(wr + 24), a3);
            }
        }
        Avx.Store(z, a0); Avx.Store(z + 8, a1); Avx.Store(z + 16, a2); Avx.Store(z + 24, a3);
    }

    /// <summary>
    /// Six output pixels' register of filters [w's column, + 8), masked where the filters end: each tap's weights loaded once
    /// for the 6 pixels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardTile1x6(float* x, int step, int filters, float* w, float* bias, Vector256<float> mask, int kyStart, int kyEnd, int rowLength, int run, float* z)
    {
        var b = bias is null ? Vector256<float>.Zero : Avx.MaskLoad(bias, mask);
        Vector256<float> a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b;
        for (int ky = kyStart; ky < kyEnd; ky++)
        {
            float* xr = x + (long)ky * rowLength;
            float* wr = w + (long)ky * run * filters;
            for (int t = 0; t < run; t++, wr += filters)
            {
                var wv = Avx.MaskLoad(wr, mask);
                float* xt = xr + t;
                a0 = Fma.MultiplyAdd(Vector256.Create(xt[0]), wv, a0);
                a1 = Fma.MultiplyAdd(Vector256.Create(xt[step]), wv, a1);
                a2 = Fma.MultiplyAdd(Vector256.Create(xt[2 * step]), wv, a2);
                a3 = Fma.MultiplyAdd(Vector256.Create(xt[3 * step]), wv, a3);
                a4 = Fma.MultiplyAdd(Vector256.Create(xt[4 * step]), wv, a4);
                a5 = Fma.MultiplyAdd(Vector256.Create(xt[5 * step]), wv, a5);
            }
        }
        Avx.MaskStore(z, mask, a0);
        Avx.MaskStore(z + filters, mask, a1);
        Avx.MaskStore(z + 2 * filters, mask, a2);
        Avx.MaskStore(z + 3 * filters, mask, a3);
        Avx.MaskStore(z + 4 * filters, mask, a4);
        Avx.MaskStore(z + 5 * filters, mask, a5);
    }

    /// <summary>One output pixel's register of filters over the taps inside the image, in patch order, masked where the filters end.</summary>
    private static void ForwardTile1x1(float* x, in WindowGeometry g, int filters, float* w, float* bias, Vector256<float> mask, int kyStart, int kyEnd, int ox, float* z)
    {
        int run = g.WindowWidth * g.Channels, rowLength = g.InputWidth * g.Channels;
        var (tStart, tEnd) = InsideColumns(g, ox);
        var acc = bias is null ? Vector256<float>.Zero : Avx.MaskLoad(bias, mask);
        for (int ky = kyStart; ky < kyEnd; ky++)
        {
            float* xr = x + (long)ky * rowLength;
            float* wr = w + ((long)ky * run + tStart) * filters;
            for (int t = tStart; t < tEnd; t++, wr += filters)
                acc = Fma.MultiplyAdd(Vector256.Create(xr[t]), Avx.MaskLoad(wr, mask), acc);
        }
        Avx.MaskStore(z, mask, acc);
    }

    /// <summary>
    /// ∂L/∂W of taps [t, t + taps) of window row <paramref name="ky"/> (taps ≤ 3) for filters [f, f + 32): 12 accumulators
    /// down every output pixel of the images, each pixel's 4 registers of G loaded once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GradientTile4(float* input, in WindowGeometry g, int filters, float* gradOutput, int count, int ky, int t, int taps, int f, float* dw)
    {
        Vector256<float> a00 = default, a01 = default, a02 = default, a03 = default, a10 = default, a11 = default, a12 = default, a13 = default;
        Vector256<float> a20 = default, a21 = default, a22 = default, a23 = default;
        float* gz = gradOutput + f;
        for (int n = 0; n < count; n++)
        for (int oy = 0; oy < g.OutputHeight; oy++)
        {
            int y = oy * g.StrideY - g.PadTop + ky;
            if ((uint)y >= (uint)g.InputHeight)
            {
                // Padding: this row of every window here adds nothing.
                gz += (long)g.OutputWidth * filters;
                continue;
            }
            float* row = input + (long)n * g.InputSize + (long)y * g.InputWidth * g.Channels;
            for (int ox = 0; ox < g.OutputWidth; ox++, gz += filters)
            {
                var (x0, x1, x2) = Taps(row, g, ox, t, taps);
                var g0 = Avx.LoadVector256(gz);
                var g1 = Avx.LoadVector256(gz + 8);
                var g2 = Avx.LoadVector256(gz + 16);
                var g3 = Avx.LoadVector256(gz + 24);
                var p = Vector256.Create(x0);
                a00 = Fma.MultiplyAdd(p, g0, a00);
                a01 = Fma.MultiplyAdd(p, g1, a01);
                a02 = Fma.MultiplyAdd(p, g2, a02);
                a03 = Fma.MultiplyAdd(p, g3, a03);
                p = Vector256.Create(x1);
                a10 = Fma.MultiplyAdd(p, g0, a10);
                a11 = Fma.MultiplyAdd(p, g1, a11);
                a12 = Fma.MultiplyAdd(p, g2, a12);
                a13 = Fma.MultiplyAdd(p, g3, a13);
                p = Vector256.Create(x2);
                a20 = Fma.MultiplyAdd(p, g0, a20);
                a21 = Fma.MultiplyAdd(p, g1, a21);
                a22 = Fma.MultiplyAdd(p, g2, a22);
                a23 = Fma.MultiplyAdd(p, g3, a23);
            }
        }
        Avx.Store(dw, a00); Avx.Store(dw + 8, a01); Avx.Store(dw + 16, a02); Avx.Store(dw + 24, a03);
        if (taps < 2) return;
        dw += filters;
        Avx.Store(dw, a10); Avx.Store(dw + 8, a11); Avx.Store(dw + 16, a12); Avx.Store(dw + 24, a13);
        if (taps < 3) return;
        dw += filters;
        Avx.Store(dw, a20); Avx.Store(dw + 8, a21); Avx.Store(dw + 16, a22); Avx.Store(dw + 24, a23);
    }

    /// <summary>As <see cref="GradientTile4"/> for one register of filters [f, f + 8), masked where the filters end.</summary>
    private static void GradientTile1(float* input, in WindowGeometry g, int filters, float* gradOutput, int count, int ky, int t, int taps, int f, float* dw)
    {
        var mask = Mask(filters - f);
        Vector256<float> a0 = default, a1 = default, a2 = default;
        float* gz = gradOutput + f;
        for (int n = 0; n < count; n++)
        for (int oy = 0; oy < g.OutputHeight; oy++)
        {
            int y = oy * g.StrideY - g.PadTop + ky;
            if ((uint)y >= (uint)g.InputHeight)
            {
                gz += (long)g.OutputWidth * filters;
                continue;
            }
            float* row = input + (long)n * g.InputSize + (long)y * g.InputWidth * g.Channels;
            for (int ox = 0; ox < g.OutputWidth; ox++, gz += filters)
            {
                var (x0, x1, x2) = Taps(row, g, ox, t, taps);
                var gv = Avx.MaskLoad(gz, mask);
                a0 = Fma.MultiplyAdd(Vector256.Create(x0), gv, a0);
                a1 = Fma.MultiplyAdd(Vector256.Create(x1), gv, a1);
                a2 = Fma.MultiplyAdd(Vector256.Create(x2), gv, a2);
            }
        }
        Avx.MaskStore(dw, mask, a0);
        if (taps > 1) Avx.MaskStore(dw + filters, mask, a1);
        if (taps > 2) Avx.MaskStore(dw + 2 * filters, mask, a2);
    }

    /// <summary>
    /// Taps [t, t + taps) of output column <paramref name="ox"/>'s window within image row <paramref name="row"/>: 0 for padding
    /// and for the taps past <paramref name="taps"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (float, float, float) Taps(float* row, in WindowGeometry g, int ox, int t, int taps)
    {
        int c = g.Channels, x0 = ox * g.StrideX - g.PadLeft;
        float* x = row + (long)x0 * c + t;
        if (x0 >= 0 && x0 + g.WindowWidth <= g.InputWidth) return (x[0], taps > 1 ? x[1] : 0f, taps > 2 ? x[2] : 0f);
        return (Tap(x, x0, t, taps, 0, c, g.InputWidth), Tap(x, x0, t, taps, 1, c, g.InputWidth), Tap(x, x0, t, taps, 2, c, g.InputWidth));
    }

    /// <summary>Tap t + i of a window starting at column <paramref name="x0"/>: the image's value, or 0 past the taps or in the padding.</summary>
    private static float Tap(float* x, int x0, int t, int taps, int i, int channels, int width) =>
        i < taps && (uint)(x0 + (t + i) / channels) < (uint)width ? x[i] : 0f;

    /// <summary>All lanes below <paramref name="remaining"/> (at most 8) set: the filters a register still holds.</summary>
    private static Vector256<float> Mask(int remaining) =>
        Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(remaining)).AsSingle();
}

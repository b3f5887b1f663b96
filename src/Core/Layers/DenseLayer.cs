using System.Numerics;
using System.Numerics.Tensors;
using MLNetNN.Activations;
using MLNetNN.Numerics;

namespace MLNetNN.Layers;

/// <summary>
/// A fully connected layer: <c>Z = X·W + b</c>, <c>A = f(Z)</c>, with X the batch (rows × inputs), W inputs × units (row i holds
/// the weights leaving input i, as in the lecture's W), b one bias per unit.
/// The layer owns no numbers: W and b live in the network's flat parameter buffer at <see cref="WeightOffset"/> and <see cref="BiasOffset"/>.
/// </summary>
public sealed class DenseLayer
{
    internal DenseLayer(int inputs, int units, Activation activation, int weightOffset)
    {
        if (inputs < 1) throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "A layer needs at least one input.");
        if (units < 1) throw new ArgumentOutOfRangeException(nameof(units), units, "A layer needs at least one unit.");
        Inputs = inputs;
        Units = units;
        Activation = activation;
        WeightOffset = weightOffset;
    }

    /// <summary>Values each example brings into the layer.</summary>
    public int Inputs { get; }

    /// <summary>Neurons in the layer (its output width).</summary>
    public int Units { get; }

    /// <summary>The function applied to <c>Z</c>.</summary>
    public Activation Activation { get; }

    /// <summary>Where W (inputs × units, row-major) starts in the parameter buffer.</summary>
    public int WeightOffset { get; }

    /// <summary>Where b (units) starts in the parameter buffer, right after W.</summary>
    public int BiasOffset => WeightOffset + Inputs * Units;

    /// <summary>Weights plus biases: <c>units · (inputs + 1)</c>.</summary>
    public int ParameterCount => Units * (Inputs + 1);

    /// <summary>
    /// <c>Z = X·W + b</c> then <c>A = f(Z)</c> for <paramref name="rows"/> examples: the first rows of <paramref name="input"/>,
    /// or the rows <paramref name="inputRows"/> lists, which are also copied into <paramref name="gatherInto"/> unless it is empty.
    /// </summary>
    internal void Forward(float[] parameters, ReadOnlySpan<float> input, ReadOnlySpan<int> inputRows, Span<float> gatherInto, int rows, Span<float> z, Span<float> a, int threads)
    {
        int n = rows * Units;
        // The bias is the product's starting value, so Z is written once.
        MatrixMultiply.Multiply(input, parameters.AsSpan(WeightOffset, Inputs * Units), z, rows, Units, Inputs, MatrixMultiply.Transpose.None,
            accumulate: false, threads, bias: parameters.AsSpan(BiasOffset, Units), aRows: inputRows, gatherInto: gatherInto);
        if (n >= ShortestVectorSpan || Activation.Kind == ActivationKind.Softmax)
        {
            Activation.Forward(z[..n], a[..n], Units);
            return;
        }
        // TensorPrimitives computes fewer values than a vector holds with scalar code, whose exponential rounds otherwise than
        // its vector code: a one-row prediction of a binary model's sigmoid output differed from the same row's in a batch. A
        // short span is computed in a vector's worth of room, so every value comes from the vector code (softmax goes by row).
        Span<float> zPadded = stackalloc float[ShortestVectorSpan], aPadded = stackalloc float[ShortestVectorSpan];
        zPadded.Clear();
        z[..n].CopyTo(zPadded);
        Activation.Forward(zPadded, aPadded, Units);
        aPadded[..n].CopyTo(a);
    }

    /// <summary>Values the widest vector path of <see cref="TensorPrimitives"/> takes at once (AVX-512's 16 floats).</summary>
    private const int ShortestVectorSpan = 16;

    /// <summary>
    /// From <c>G = ∂L/∂Z</c> (rows × units): <c>∂L/∂W = Xᵀ·G</c> and <c>∂L/∂b = Σ_rows G</c> into <paramref name="gradients"/>,
    /// and, when <paramref name="gradInput"/> is given, <c>∂L/∂X = G·Wᵀ</c>.
    /// </summary>
    internal void Backward(float[] parameters, ReadOnlyMemory<float> input, float[] gradZ, int rows, float[] gradients, float[]? gradInput, int threads)
    {
        MatrixMultiply.Multiply(input.Span, gradZ, gradients.AsSpan(WeightOffset, Inputs * Units), Inputs, Units, rows, MatrixMultiply.Transpose.A, accumulate: false, threads);
        ColumnSums(gradZ, rows, Units, gradients.AsSpan(BiasOffset, Units));
        if (gradInput is not null)
            MatrixMultiply.Multiply(gradZ, parameters.AsSpan(WeightOffset, Inputs * Units), gradInput, rows, Inputs, Units, MatrixMultiply.Transpose.B, accumulate: false, threads);
    }

    /// <summary>
    /// <c>sums[j] = Σ_r g[r·width + j]</c>, rows added in order: a register's worth of columns at a time down all rows, where
    /// a <see cref="TensorPrimitives.Add(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/> call per row cost more than its
    /// additions for a 10-unit layer.
    /// </summary>
    private static void ColumnSums(ReadOnlySpan<float> g, int rows, int width, Span<float> sums)
    {
        int j = 0;
        for (; j <= width - Vector<float>.Count; j += Vector<float>.Count)
        {
            var sum = Vector<float>.Zero;
            for (int r = 0; r < rows; r++) sum += new Vector<float>(g.Slice(r * width + j));
            sum.CopyTo(sums.Slice(j));
        }
        for (; j < width; j++)
        {
            float sum = 0f;
            for (int r = 0; r < rows; r++) sum += g[r * width + j];
            sums[j] = sum;
        }
    }
}

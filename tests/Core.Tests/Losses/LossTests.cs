using MLNetNN.Activations;
using MLNetNN.Losses;
using Xunit;

namespace MLNetNN.Tests.Losses;

public class LossTests
{
    [Fact]
    public void BinaryCrossEntropyFromLogitsIsFiniteForExtremeLogits()
    {
        var loss = Loss.Create(LossKind.BinaryCrossEntropy, Activation.Create(ActivationKind.Sigmoid));
        float[] z = [80f, -80f, 0f];
        float[] a = [1f, 0f, 0.5f];
        float[] y = [0f, 1f, 1f];
        var g = new float[3];
        double sum = loss.Compute(z, a, y, default, 3, 1, g, 1f);
        // ℓ(80, y=0) = 80, ℓ(−80, y=1) = 80, ℓ(0, 1) = ln 2 — a naive log(σ(z)) would give ∞ for the first two.
        Assert.Equal(160 + Math.Log(2), sum, 3);
        Assert.Equal([1f, -1f, -0.5f], g);
    }

    [Fact]
    public void CategoricalCrossEntropyUsesLogSumExp()
    {
        var softmax = Activation.Create(ActivationKind.Softmax);
        var loss = Loss.Create(LossKind.CategoricalCrossEntropy, softmax);
        float[] z = [1000f, 0f, -1000f];
        var a = new float[3];
        softmax.Forward(z, a, 3);
        double value = loss.Compute(z, a, [1f], default, 1, 3, default, 1f);
        Assert.Equal(1000, value, 3);
    }

    [Fact]
    public void CategoricalCrossEntropyFromTheProbabilityEqualsLogSumExpOfTheLogits()
    {
        // The loss is −ln a_c from the softmax output; where a_c is tiny it falls back on the logits. Both must agree with
        // ln Σ e^z − z_c computed in double precision.
        var softmax = Activation.Create(ActivationKind.Softmax);
        var loss = Loss.Create(LossKind.CategoricalCrossEntropy, softmax);
        float[] z = [2f, -1f, 0.5f, 3f, 70f, 0f, -2f, 1.5f, 0.25f];
        float[] labels = [2f, 2f, 1f];
        var a = new float[z.Length];
        softmax.Forward(z, a, 3);
        for (int row = 0; row < 3; row++)
        {
            var zr = z.AsSpan(row * 3, 3).ToArray();
            double expected = Math.Log(zr.Sum(v => Math.Exp(v))) - zr[(int)labels[row]];
            double actual = loss.Compute(z.AsSpan(row * 3, 3), a.AsSpan(row * 3, 3), labels.AsSpan(row, 1), default, 1, 3, default, 1f);
            Assert.Equal(expected, actual, 5);
        }
        // Row 1's a_c is e^-70 ≈ 4e-31, below the probabilities whose logarithm is taken directly.
        Assert.True(a[5] is > 0f and < 1e-30f);
    }

    [Fact]
    public void MeanSquaredErrorAveragesOverOutputsAndHonoursWeights()
    {
        var loss = Loss.Create(LossKind.MeanSquaredError, Activation.Create(ActivationKind.Identity));
        float[] a = [1f, 2f, 0f, 0f];
        float[] y = [0f, 0f, 1f, 1f];
        // Row 1: (1 + 4)/2 = 2.5 with weight 2; row 2: (1 + 1)/2 = 1 with weight 1.
        double sum = loss.Compute(a, a, y, [2f, 1f], 2, 2, default, 1f);
        Assert.Equal(6.0, sum, 6);
    }

    [Fact]
    public void MismatchedActivationIsRefused()
    {
        Assert.Throws<ArgumentException>(() => Loss.Create(LossKind.BinaryCrossEntropy, Activation.Create(ActivationKind.Tanh)));
        Assert.Throws<ArgumentException>(() => Loss.Create(LossKind.CategoricalCrossEntropy, Activation.Create(ActivationKind.Sigmoid)));
        Assert.Throws<ArgumentException>(() => Loss.Create(LossKind.MeanSquaredError, Activation.Create(ActivationKind.Softmax)));
    }
}

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

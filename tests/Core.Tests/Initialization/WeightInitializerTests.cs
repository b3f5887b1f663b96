using MLNetNN.Activations;
using MLNetNN.Initialization;
using MLNetNN.Networks;
using Xunit;

namespace MLNetNN.Tests.Initialization;

public class WeightInitializerTests
{
    private static (double Mean, double Std, double MaxAbs) Draw(InitializerKind kind, int fanIn, int fanOut, float scale = 0.7f)
    {
        var w = new float[fanIn * fanOut];
        WeightInitializer.Fill(w, fanIn, fanOut, kind, scale, new Random(1));
        double mean = w.Average(v => (double)v);
        double std = Math.Sqrt(w.Average(v => (v - mean) * (v - mean)));
        return (mean, std, w.Max(v => Math.Abs((double)v)));
    }

    [Theory]
    [InlineData(InitializerKind.GlorotUniform, 300, 200)]
    [InlineData(InitializerKind.HeUniform, 300, 200)]
    [InlineData(InitializerKind.Uniform, 300, 200)]
    public void UniformSchemesStayInsideTheirLimitAndHaveItsStandardDeviation(InitializerKind kind, int fanIn, int fanOut)
    {
        double limit = kind switch
        {
            InitializerKind.GlorotUniform => Math.Sqrt(6.0 / (fanIn + fanOut)),
            InitializerKind.HeUniform => Math.Sqrt(6.0 / fanIn),
            _ => 0.7,
        };
        var (mean, std, maxAbs) = Draw(kind, fanIn, fanOut);
        Assert.True(maxAbs <= limit);
        Assert.True(maxAbs > 0.99 * limit);
        Assert.Equal(limit / Math.Sqrt(3), std, 0.01 * limit);
        Assert.Equal(0, mean, 0.01 * limit);
    }

    [Theory]
    [InlineData(InitializerKind.GlorotNormal, 300, 200)]
    [InlineData(InitializerKind.HeNormal, 300, 200)]
    [InlineData(InitializerKind.Normal, 300, 200)]
    public void NormalSchemesHaveTheirStandardDeviation(InitializerKind kind, int fanIn, int fanOut)
    {
        double sigma = kind switch
        {
            InitializerKind.GlorotNormal => Math.Sqrt(2.0 / (fanIn + fanOut)),
            InitializerKind.HeNormal => Math.Sqrt(2.0 / fanIn),
            _ => 0.05,
        };
        var (mean, std, _) = Draw(kind, fanIn, fanOut, 0.05f);
        Assert.Equal(sigma, std, 0.02 * sigma);
        Assert.Equal(0, mean, 0.02 * sigma);
    }

    [Fact]
    public void NetworkInitializationSetsBiasesToTheGivenValueAndIsSeeded()
    {
        var a = new NeuralNetwork(4, [new LayerSpec(5, ActivationKind.ReLU), new LayerSpec(2, ActivationKind.Softmax)]);
        var b = new NeuralNetwork(4, [new LayerSpec(5, ActivationKind.ReLU), new LayerSpec(2, ActivationKind.Softmax)]);
        a.Initialize(InitializerKind.HeNormal, new Random(7), bias: 0.1f);
        b.Initialize(InitializerKind.HeNormal, new Random(7), bias: 0.1f);
        Assert.Equal(a.Parameters, b.Parameters);
        Assert.All(a.Biases(0).ToArray().Concat(a.Biases(1).ToArray()), v => Assert.Equal(0.1f, v));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.Initialize(InitializerKind.Uniform, new Random(1), scale: -1f));
    }
}

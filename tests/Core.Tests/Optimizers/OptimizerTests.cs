using MLNetNN.Networks;
using MLNetNN.Optimizers;
using Xunit;

namespace MLNetNN.Tests.Optimizers;

public class OptimizerTests
{
    [Theory]
    [InlineData(0f, false)]
    [InlineData(0.9f, false)]
    [InlineData(0.9f, true)]
    public void SgdFollowsPyTorchsFormulaOverEveryParameter(float momentum, bool nesterov)
    {
        // Long enough that the step runs in several cache-sized slices, with a short last one.
        const int count = 40_003;
        var random = new Random(2);
        float[] theta = Enumerable.Range(0, count).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        float[] expected = (float[])theta.Clone(), velocity = new float[count];
        var sgd = new Sgd(momentum, nesterov);
        sgd.Initialize(new ParameterLayout(count, [(0, count)]));
        for (int step = 0; step < 3; step++)
        {
            float[] g = Enumerable.Range(0, count).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            sgd.Step(theta, g, 0.1f);
            for (int i = 0; i < count; i++)
            {
                // v ← μv + g; θ ← θ − lr·(nesterov ? g + μv : v), or θ − lr·g without momentum.
                velocity[i] = momentum * velocity[i] + g[i];
                float direction = momentum == 0f ? g[i] : nesterov ? g[i] + momentum * velocity[i] : velocity[i];
                expected[i] -= 0.1f * direction;
            }
            for (int i = 0; i < count; i++) Assert.Equal(expected[i], theta[i], tolerance: 1e-6f);
        }
    }

    [Fact]
    public void SgdWithMomentumMustBeInitialisedFirst()
    {
        var sgd = new Sgd(0.9f);
        Assert.Throws<InvalidOperationException>(() => sgd.Step(new float[3], new float[3], 0.1f));
        Assert.Throws<ArgumentException>(() => new Sgd().Step(new float[3], new float[2], 0.1f));
    }
}

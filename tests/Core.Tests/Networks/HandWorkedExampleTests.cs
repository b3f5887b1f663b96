using MLNetNN.Activations;
using MLNetNN.Data;
using MLNetNN.Losses;
using MLNetNN.Networks;
using MLNetNN.Training;
using Xunit;

namespace MLNetNN.Tests.Networks;

/// <summary>
/// The lecture's worked example: a 2-3-1 sigmoid network without biases, x = [5, 3], target 1,
/// W = [[1, −1, 3], [2, 2, −1]] (input × hidden), V = [0.1, 0.5, −0.1], binary cross-entropy.
/// </summary>
public class HandWorkedExampleTests
{
    private static (NeuralNetwork Network, Objective Objective, Workspace Workspace, MiniBatch Batch) Build()
    {
        var network = new NeuralNetwork(2, [new LayerSpec(3, ActivationKind.Sigmoid), new LayerSpec(1, ActivationKind.Sigmoid)]);
        float[] w = [1, -1, 3, 2, 2, -1];
        w.CopyTo(network.Weights(0));
        float[] v = [0.1f, 0.5f, -0.1f];
        v.CopyTo(network.Weights(1));
        var workspace = new Workspace(network, 1);
        var batch = new MiniBatch(workspace.Input, 1, 2, 1);
        batch.Features[0] = 5;
        batch.Features[1] = 3;
        batch.Labels[0] = 1;
        batch.Rows = 1;
        var objective = new Objective(network, Loss.Create(LossKind.BinaryCrossEntropy, network.Layers[1].Activation), 0, 0, 1);
        return (network, objective, workspace, batch);
    }

    [Fact]
    public void ForwardPassMatchesTheLecture()
    {
        var (_, objective, workspace, batch) = Build();
        var gradients = new float[objective.Network.ParameterCount];
        double loss = objective.LossAndGradient(workspace, batch, gradients, 1f);

        Assert.Equal(0.99998, workspace.A[0][0], 5);
        Assert.Equal(0.73106, workspace.A[0][1], 5);
        Assert.Equal(0.99999, workspace.A[0][2], 5);
        Assert.Equal(0.590378, workspace.Output[0], 5);
        Assert.Equal(0.526992, loss, 5);
    }

    [Fact]
    public void GradientsMatchTheLecture()
    {
        var (network, objective, workspace, batch) = Build();
        var gradients = new float[network.ParameterCount];
        objective.LossAndGradient(workspace, batch, gradients, 1f);

        var dV = gradients.AsSpan(network.Layers[1].WeightOffset, 3).ToArray();
        Assert.Equal(-0.409615, dV[0], 5);
        Assert.Equal(-0.299458, dV[1], 5);
        Assert.Equal(-0.409619, dV[2], 5);

        var dW = gradients.AsSpan(network.Layers[0].WeightOffset, 6).ToArray();
        double[] expected = [-3.42058e-06, -2.01341e-01, 1.25839e-06, -2.05235e-06, -1.20805e-01, 7.55032e-07];
        for (int i = 0; i < 6; i++)
            Assert.True(Math.Abs(dW[i] - expected[i]) <= 2e-3 * Math.Abs(expected[i]) + 1e-8, $"dW[{i}] = {dW[i]:G6}, expected {expected[i]:G6}");
    }

    [Fact]
    public void GradientStepsDriveTheLossTowardZero()
    {
        var (network, objective, workspace, batch) = Build();
        var gradients = new float[network.ParameterCount];
        double previous = double.PositiveInfinity;
        for (int step = 0; step < 50; step++)
        {
            double loss = objective.LossAndGradient(workspace, batch, gradients, 1f);
            Assert.True(loss < previous, $"step {step}: loss {loss} did not fall below {previous}");
            previous = loss;
            // The lecture's network has no biases: update the weights only.
            foreach (var (offset, length) in network.Layout.WeightSegments)
                for (int i = offset; i < offset + length; i++) network.Parameters[i] -= 1.0f * gradients[i];
        }
        Assert.True(previous < 0.02, $"loss after 50 steps is {previous}");
    }

    [Fact]
    public void ParameterCountFollowsTheFormula()
    {
        // N_H(N_I + 1) + N_O(N_H + 1); the 5-20-3 network has 183.
        var network = new NeuralNetwork(5, [new LayerSpec(20, ActivationKind.Sigmoid), new LayerSpec(3, ActivationKind.Softmax)]);
        Assert.Equal(183, network.ParameterCount);
        var summary = network.Summary();
        Assert.Equal(183, summary.TotalParameters);
        Assert.Equal([120, 63], summary.Layers.Select(l => l.ParameterCount));
        Assert.Contains("Total params: 183", summary.ToString());
    }
}

using MLNetNN.Activations;
using MLNetNN.Data;
using MLNetNN.Initialization;
using MLNetNN.Layers;
using MLNetNN.Losses;
using MLNetNN.Networks;
using MLNetNN.Training;
using Xunit;

namespace MLNetNN.Tests.Layers;

/// <summary>
/// Backpropagation through every layer kind besides dense (dropout, batch normalisation, flatten) against central finite
/// differences of the training objective, over several shapes (flat and image inputs, the layer first, in the middle, stacked)
/// and batch sizes, with random biases, γ, β and running statistics. The training step is fixed, so every evaluation draws the
/// same dropout masks, and batch normalisation normalises by the batch's statistics, as in training.
/// </summary>
public class LayerGradientCheckTests
{
    public static TheoryData<string, string, int, LossKind> Cases()
    {
        var data = new TheoryData<string, string, int, LossKind>();
        (string Layers, string Shape)[] stacks =
        [
            ("dense5:tanh,dropout0.3", "3"),
            ("dropout0.5,dense4:tanh", "3"),
            ("dense4:tanh,bn,dense3:tanh", "3"),
            ("bn,dense4:sigmoid", "3"),
            ("dense6:tanh,bn0.9:0.00001,dropout0.5,dense3:tanh", "4"),
            ("bn,flatten,dense4:tanh", "2x3x2"),
            ("flatten,dense3:tanh,bn", "2x2x3"),
            ("dropout0.25,bn,flatten", "3x2x2"),
        ];
        int[] batchSizes = [2, 5, 13];
        int i = 0;
        foreach (var (layers, shape) in stacks)
            foreach (int rows in batchSizes)
                data.Add(layers, shape, rows, i++ % 2 == 0 ? LossKind.CategoricalCrossEntropy : LossKind.MeanSquaredError);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackpropagationMatchesFiniteDifferences(string layers, string shape, int rows, LossKind lossKind)
    {
        var input = LayerShape.Parse(shape);
        int outputs = lossKind == LossKind.CategoricalCrossEntropy ? 3 : 2;
        var output = lossKind == LossKind.CategoricalCrossEntropy ? ActivationKind.Softmax : ActivationKind.Identity;
        var network = new NeuralNetwork(input, [.. LayerText.Parse(layers), new LayerSpec(outputs, output)]);
        var random = new Random(rows * 17 + layers.Length);
        network.Initialize(InitializerKind.Uniform, random, 0.8f);
        // Biases, γ and β away from their starting values, and running statistics that differ from any batch's.
        for (int l = 0; l < network.Layers.Count; l++)
        {
            foreach (ref float b in network.Biases(l)) b = (float)(random.NextDouble() + 0.25) * (random.Next(2) * 2 - 1);
            var state = network.LayerState(l);
            for (int j = 0; j < state.Length; j++) state[j] = j < state.Length / 2 ? (float)random.NextDouble() - 0.5f : 0.5f + (float)random.NextDouble();
        }

        var loss = Loss.Create(lossKind, network.Layers[^1].Activation);
        var workspace = new Workspace(network, rows);
        var batch = new MiniBatch(workspace.Input, rows, network.InputCount, loss.LabelWidth(outputs));
        for (int j = 0; j < rows * network.InputCount; j++) batch.Features[j] = (float)(random.NextDouble() * 4 - 2);
        for (int r = 0; r < rows; r++)
        {
            if (lossKind == LossKind.MeanSquaredError)
                for (int k = 0; k < outputs; k++) batch.Labels[r * outputs + k] = (float)(random.NextDouble() * 1.6 - 0.8);
            else
                batch.Labels[r] = random.Next(outputs);
        }
        batch.Rows = rows;

        var objective = new Objective(network, loss, 0f, 0.05f, threads: 1, seed: 7);
        var scratch = new float[network.ParameterCount];
        // Every evaluation is training step 1: the same masks, the batch's own statistics.
        double J()
        {
            objective.Steps = 0;
            return objective.LossAndGradient(workspace, batch, scratch, 1f) / rows + objective.Penalty();
        }
        var analytic = new float[network.ParameterCount];
        objective.Steps = 0;
        objective.LossAndGradient(workspace, batch, analytic, 1f / rows);
        objective.AddPenaltyGradient(analytic);

        const float h = 1e-3f;
        var theta = network.Parameters;
        for (int p = 0; p < theta.Length; p++)
        {
            float saved = theta[p];
            theta[p] = saved + h;
            double plus = J();
            theta[p] = saved - h;
            double minus = J();
            theta[p] = saved;
            double numeric = (plus - minus) / (2 * h);
            double tolerance = 2e-3 + 2e-2 * Math.Abs(numeric);
            Assert.True(Math.Abs(numeric - analytic[p]) <= tolerance,
                $"parameter {p}: backprop {analytic[p]:G6}, finite difference {numeric:G6} ({layers} on {shape}, {rows} rows)");
        }
    }

    [Theory]
    [InlineData("dense4:tanh,bn,dense3:tanh", "3", 6)]
    [InlineData("bn,flatten,dense4:tanh", "2x3x2", 5)]
    [InlineData("dense5:tanh,dropout0.4,bn", "3", 9)]
    public void TheInputGradientMatchesFiniteDifferences(string layers, string shape, int rows)
    {
        // The gradient the first layer passes down (which the network skips at layer 0) checked through a frozen dense layer in front.
        var input = LayerShape.Parse(shape);
        var network = new NeuralNetwork(input, [.. LayerText.Parse(layers), new LayerSpec(2, ActivationKind.Identity)]);
        var random = new Random(rows);
        network.Initialize(InitializerKind.Uniform, random, 0.8f);
        var loss = Loss.Create(LossKind.MeanSquaredError, network.Layers[^1].Activation);
        var workspace = new Workspace(network, rows);
        var batch = new MiniBatch(workspace.Input, rows, network.InputCount, 2);
        var x = new float[rows * network.InputCount];
        for (int j = 0; j < x.Length; j++) x[j] = (float)(random.NextDouble() * 4 - 2);
        for (int j = 0; j < rows * 2; j++) batch.Labels[j] = (float)random.NextDouble();
        batch.Rows = rows;
        var objective = new Objective(network, loss, 0f, 0f, threads: 1, seed: 3);
        var gradients = new float[network.ParameterCount];
        double J()
        {
            x.CopyTo(workspace.Input, 0);
            objective.Steps = 0;
            return objective.LossAndGradient(workspace, batch, gradients, 1f);
        }
        J();
        // ∂L/∂X of layer 0, by running layer 0's backward pass once more with room for it.
        int last = network.Layers.Count - 1;
        var gradInput = new float[rows * network.InputCount];
        var pass = new LayerPass(network.Parameters, network.State, workspace, 0, rows, true, 3, 1, 1);
        var upstream = RecomputeUpstream(network, workspace, objective, batch, rows);
        network.Layers[0].Backward(pass, x, rows, upstream, new float[network.ParameterCount], gradInput);
        const float h = 1e-3f;
        for (int j = 0; j < x.Length; j++)
        {
            float saved = x[j];
            x[j] = saved + h;
            double plus = J();
            x[j] = saved - h;
            double minus = J();
            x[j] = saved;
            double numeric = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(numeric - gradInput[j]) <= 2e-3 + 2e-2 * Math.Abs(numeric),
                $"input {j}: backprop {gradInput[j]:G6}, finite difference {numeric:G6} ({layers}, last layer {last})");
        }
    }

    /// <summary>∂L/∂Z of layer 0 after a training step: the network's backward pass leaves it in the gradient buffer layer 1 wrote.</summary>
    private static float[] RecomputeUpstream(NeuralNetwork network, Workspace workspace, Objective objective, MiniBatch batch, int rows)
    {
        objective.Steps = 0;
        objective.LossAndGradient(workspace, batch, new float[network.ParameterCount], 1f);
        return workspace.GradientBuffer(1).AsSpan(0, rows * network.Layers[0].Units).ToArray();
    }
}

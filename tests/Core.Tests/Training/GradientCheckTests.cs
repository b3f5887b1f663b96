using MLNetNN.Activations;
using MLNetNN.Data;
using MLNetNN.Initialization;
using MLNetNN.Losses;
using MLNetNN.Networks;
using MLNetNN.Training;
using Xunit;

namespace MLNetNN.Tests.Training;

/// <summary>
/// Backpropagation against central finite differences of the objective <c>J(θ) = Σwℓ/Σw + λ₁‖W‖₁ + (λ₂/2)‖W‖²</c>,
/// for every trainable hidden activation, every loss and output activation, several shapes, example weights and penalties.
/// </summary>
public class GradientCheckTests
{
    public static TheoryData<ActivationKind, LossKind, ActivationKind, int[], float, float, bool, bool> Cases()
    {
        var data = new TheoryData<ActivationKind, LossKind, ActivationKind, int[], float, float, bool, bool>();
        ActivationKind[] hidden = [ActivationKind.Identity, ActivationKind.Sigmoid, ActivationKind.Tanh, ActivationKind.ReLU,
            ActivationKind.LeakyReLU, ActivationKind.ELU, ActivationKind.Softplus];
        (LossKind, ActivationKind)[] outputs = [(LossKind.BinaryCrossEntropy, ActivationKind.Sigmoid), (LossKind.CategoricalCrossEntropy, ActivationKind.Softmax),
            (LossKind.MeanSquaredError, ActivationKind.Identity), (LossKind.MeanSquaredError, ActivationKind.Sigmoid), (LossKind.MeanSquaredError, ActivationKind.Tanh)];
        int[][] shapes = [[4], [5, 3], []];
        int i = 0;
        foreach (var h in hidden)
            foreach (var (loss, output) in outputs)
            {
                var shape = shapes[i % shapes.Length];
                // Rotate penalties and weights through the cases so every combination meets each of them somewhere.
                float l1 = i % 3 == 1 ? 0.01f : 0f, l2 = i % 2 == 1 ? 0.05f : 0f;
                // Class weights (classification only) multiply the example weights, with or without example weights of their own.
                data.Add(h, loss, output, shape, l1, l2, i % 4 == 0, loss != LossKind.MeanSquaredError && i % 2 == 0);
                i++;
            }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackpropagationMatchesFiniteDifferences(ActivationKind hidden, LossKind lossKind, ActivationKind output, int[] hiddenSizes,
        float l1, float l2, bool weighted, bool classWeighted)
    {
        const int inputs = 3, rows = 6;
        int outputs = lossKind switch { LossKind.BinaryCrossEntropy => 1, LossKind.CategoricalCrossEntropy => 4, _ => 2 };
        var specs = hiddenSizes.Select(u => new LayerSpec(u, hidden)).Append(new LayerSpec(outputs, output)).ToArray();
        var network = new NeuralNetwork(inputs, specs);
        var random = new Random(hiddenSizes.Length * 31 + (int)hidden * 7 + (int)lossKind);
        network.Initialize(InitializerKind.Uniform, random, 0.8f);
        // Non-zero biases so their gradients are exercised too.
        foreach (var (offset, length) in BiasSegments(network))
            for (int j = offset; j < offset + length; j++) network.Parameters[j] = (float)(random.NextDouble() - 0.5);

        var loss = Loss.Create(lossKind, network.Layers[^1].Activation);
        var workspace = new Workspace(network, rows);
        var batch = new MiniBatch(workspace.Input, rows, inputs, loss.LabelWidth(outputs));
        for (int j = 0; j < rows * inputs; j++) batch.Features[j] = (float)(random.NextDouble() * 4 - 2);
        for (int r = 0; r < rows; r++)
        {
            if (lossKind == LossKind.MeanSquaredError)
                for (int k = 0; k < outputs; k++) batch.Labels[r * outputs + k] = (float)(random.NextDouble() * 1.6 - 0.8);
            else
                batch.Labels[r] = random.Next(lossKind == LossKind.BinaryCrossEntropy ? 2 : outputs);
            batch.Weights[r] = weighted ? (float)(0.2 + random.NextDouble()) : 1f;
        }
        batch.Rows = rows;
        batch.HasWeights = weighted;
        if (classWeighted) ClassWeighting.Apply(batch, Enumerable.Range(0, outputs == 1 ? 2 : outputs).Select(c => 0.5f + 0.75f * c).ToArray());
        float totalWeight = batch.HasWeights ? batch.Weights.Take(rows).Sum() : rows;

        var objective = new Objective(network, loss, l1, l2, threads: 1);
        double J()
        {
            return objective.LossOnly(workspace, batch) / totalWeight + objective.Penalty();
        }
        var analytic = new float[network.ParameterCount];
        objective.LossAndGradient(workspace, batch, analytic, 1f / totalWeight);
        objective.AddPenaltyGradient(analytic);

        const float h = 1e-3f;
        var theta = network.Parameters;
        J();
        var baseSigns = PreActivationSigns(workspace, rows);
        int checkedCount = 0;
        for (int p = 0; p < theta.Length; p++)
        {
            float saved = theta[p];
            // |w| and a ReLU-family unit have kinks at 0; a difference across a kink measures no derivative, so skip those.
            if (l1 > 0f && MathF.Abs(saved) < 2 * h) continue;
            theta[p] = saved + h;
            double plus = J();
            bool kinkPlus = !PreActivationSigns(workspace, rows).SequenceEqual(baseSigns);
            theta[p] = saved - h;
            double minus = J();
            bool kinkMinus = !PreActivationSigns(workspace, rows).SequenceEqual(baseSigns);
            theta[p] = saved;
            if (kinkPlus || kinkMinus) continue;
            checkedCount++;
            double numeric = (plus - minus) / (2 * h);
            double tolerance = 2e-3 + 2e-2 * Math.Abs(numeric);
            Assert.True(Math.Abs(numeric - analytic[p]) <= tolerance,
                $"parameter {p}: backprop {analytic[p]:G6}, finite difference {numeric:G6} ({hidden}, {lossKind}/{output}, hidden [{string.Join(",", hiddenSizes)}])");
        }
        Assert.True(checkedCount >= theta.Length * 3 / 4, $"only {checkedCount} of {theta.Length} parameters were away from kinks");
    }

    private static bool[] PreActivationSigns(Workspace workspace, int rows) =>
        workspace.Z.SelectMany(z => z.Take(rows * (z.Length / workspace.Capacity))).Select(v => v > 0f).ToArray();

    [Fact]
    public void SoftmaxJacobianVectorProductMatchesFiniteDifferences()
    {
        var softmax = Activation.Create(ActivationKind.Softmax);
        float[] z = [0.3f, -1.2f, 2.0f, 0.1f, 1f, 1f, -3f, 0.5f];
        float[] upstream = [0.7f, -0.4f, 0.2f, 1.1f, -0.3f, 0.9f, 0.05f, -0.6f];
        var a = new float[8];
        softmax.Forward(z, a, 4);
        var analytic = new float[8];
        softmax.Backward(z, a, upstream, analytic, 4);
        for (int i = 0; i < 8; i++)
        {
            double F(float delta)
            {
                var zz = (float[])z.Clone();
                zz[i] += delta;
                var aa = new float[8];
                softmax.Forward(zz, aa, 4);
                double s = 0;
                for (int j = 0; j < 8; j++) s += upstream[j] * aa[j];
                return s;
            }
            double numeric = (F(1e-3f) - F(-1e-3f)) / 2e-3;
            Assert.Equal(numeric, analytic[i], 1e-3);
        }
    }

    private static IEnumerable<(int Offset, int Length)> BiasSegments(NeuralNetwork network) =>
        network.Layers.Select(l => (l.BiasOffset, l.Units));
}

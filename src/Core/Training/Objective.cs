using System.Numerics.Tensors;
using MLNetNN.Data;
using MLNetNN.Losses;
using MLNetNN.Networks;

namespace MLNetNN.Training;

/// <summary>
/// The function training minimises, <c>J(θ) = Σ_i w_i ℓ_i / Σ_i w_i + λ₁‖W‖₁ + (λ₂/2)‖W‖²</c>, and its gradient by backpropagation.
/// The trainer and the gradient-check tests both go through here, so the tests check the code that trains.
/// </summary>
/// <remarks>
/// <see cref="LossAndGradient"/> is a training step (dropout drops, batch normalisation uses the batch's statistics), each with
/// its own masks from <paramref name="seed"/> and the step's number; <see cref="LossOnly"/> measures as inference does.
/// </remarks>
internal sealed class Objective(NeuralNetwork network, Loss loss, float l1, float l2, int threads, int seed = 0)
{
    /// <summary>Training forward passes so far; the next one draws its dropout masks as step <see cref="Steps"/> + 1.</summary>
    public long Steps { get; set; }

    public NeuralNetwork Network => network;

    public Loss Loss => loss;

    /// <summary>
    /// Forward and backward pass over the batch (its features already in <paramref name="workspace"/>'s input):
    /// returns <c>Σ w_i ℓ_i</c> and writes <c>gradScale · Σ w_i ∂ℓ_i/∂θ</c> into <paramref name="gradients"/>.
    /// </summary>
    public double LossAndGradient(Workspace workspace, MiniBatch batch, float[] gradients, float gradScale)
    {
        int n = batch.Rows;
        ReadOnlySpan<float> weights = batch.HasWeights ? batch.Weights.AsSpan(0, n) : default;
        // The weight gradient of the first layer reads the batch from the workspace's input.
        Forward(workspace, batch, gatherInput: true, new TrainingStep(seed, ++Steps));
        double sum = loss.Compute(workspace.OutputLogits, workspace.Output, batch.Labels, weights, n, network.OutputCount, workspace.OutputGradient, gradScale);
        network.Backward(workspace, n, gradients, threads);
        return sum;
    }

    /// <summary>Forward pass and loss only: <c>Σ w_i ℓ_i</c> over the batch.</summary>
    public double LossOnly(Workspace workspace, MiniBatch batch)
    {
        int n = batch.Rows;
        ReadOnlySpan<float> weights = batch.HasWeights ? batch.Weights.AsSpan(0, n) : default;
        Forward(workspace, batch, gatherInput: false, training: null);
        return loss.Compute(workspace.OutputLogits, workspace.Output, batch.Labels, weights, n, network.OutputCount, default, 1f);
    }

    /// <summary>
    /// The forward pass over the batch: from the workspace's input (the batch's features), or from where its rows lie, then
    /// copied into the workspace's input on the way when <paramref name="gatherInput"/> says the backward pass will need them.
    /// </summary>
    private void Forward(Workspace workspace, MiniBatch batch, bool gatherInput, TrainingStep? training)
    {
        if (batch.Features != workspace.Input)
            throw new ArgumentException("The batch must be filled into the workspace's input buffer.", nameof(batch));
        if (batch.Source is not float[] source)
        {
            network.Forward(workspace, batch.Rows, threads, training);
            return;
        }
        network.Forward(workspace, source, batch.Rows, threads, batch.SourceRows.AsSpan(0, batch.Rows), gatherInput, training);
        if (gatherInput) batch.SourceRowsCopied();
    }

    /// <summary><c>λ₁‖W‖₁ + (λ₂/2)‖W‖²</c> over weight matrices only.</summary>
    public double Penalty()
    {
        if (l1 == 0f && l2 == 0f) return 0;
        double sum = 0;
        foreach (var (offset, length) in network.Layout.WeightSegments)
        {
            ReadOnlySpan<float> w = network.Parameters.AsSpan(offset, length);
            if (l1 != 0f) sum += l1 * TensorPrimitives.SumOfMagnitudes(w);
            if (l2 != 0f) sum += 0.5 * l2 * TensorPrimitives.SumOfSquares(w);
        }
        return sum;
    }

    /// <summary>Adds <c>λ₁·sign(W) + λ₂·W</c> to the weight gradients (biases untouched).</summary>
    public void AddPenaltyGradient(Span<float> gradients)
    {
        if (l1 == 0f && l2 == 0f) return;
        foreach (var (offset, length) in network.Layout.WeightSegments)
        {
            ReadOnlySpan<float> w = network.Parameters.AsSpan(offset, length);
            Span<float> g = gradients.Slice(offset, length);
            if (l2 != 0f)
                foreach (Range r in Numerics.CacheSlices.Of(w.Length)) TensorPrimitives.MultiplyAdd(w[r], l2, g[r], g[r]);
            if (l1 != 0f)
                for (int i = 0; i < w.Length; i++) g[i] += l1 * MathF.Sign(w[i]);
        }
    }
}

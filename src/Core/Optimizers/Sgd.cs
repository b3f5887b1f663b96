using System.Numerics.Tensors;
using MLNetNN.Networks;
using MLNetNN.Numerics;

namespace MLNetNN.Optimizers;

/// <summary>
/// (Stochastic) gradient descent with optional momentum μ, in PyTorch's form so a changing learning rate applies to the whole step:
/// <c>v ← μ·v + g</c>; <c>θ ← θ − lr·v</c>, or with Nesterov momentum <c>θ ← θ − lr·(g + μ·v)</c>. With μ = 0 it is plain <c>θ ← θ − lr·g</c>.
/// </summary>
public sealed class Sgd : IOptimizer
{
    private readonly float _momentum;
    private readonly bool _nesterov;
    private float[] _velocity = [];

    /// <summary>Gradient descent with momentum <paramref name="momentum"/> (0 for none), optionally Nesterov's.</summary>
    public Sgd(float momentum = 0f, bool nesterov = false, bool fullBatch = false)
    {
        if (!(momentum >= 0f && momentum < 1f)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in [0, 1).");
        if (nesterov && momentum == 0f) throw new ArgumentException("Nesterov momentum needs a momentum above 0.", nameof(nesterov));
        _momentum = momentum;
        _nesterov = nesterov;
        Kind = fullBatch ? OptimizerKind.GradientDescent : OptimizerKind.Sgd;
    }

    /// <inheritdoc/>
    public OptimizerKind Kind { get; }

    /// <inheritdoc/>
    public void Initialize(ParameterLayout layout) => _velocity = _momentum > 0f ? new float[layout.Count] : [];

    /// <inheritdoc/>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate)
    {
        if (gradients.Length != parameters.Length)
            throw new ArgumentException($"{parameters.Length} parameters but {gradients.Length} gradients.");
        if (_momentum > 0f && _velocity.Length != parameters.Length)
            throw new InvalidOperationException($"The optimiser was initialised for {_velocity.Length} parameters; got {parameters.Length}. Call Initialize with the network's layout first.");
        // A slice at a time, each step of it while the slice is in cache.
        foreach (Range r in CacheSlices.Of(parameters.Length))
            Step(parameters[r], gradients[r], _momentum > 0f ? _velocity.AsSpan(r) : default, learningRate);
    }

    private void Step(Span<float> theta, ReadOnlySpan<float> g, Span<float> v, float learningRate)
    {
        if (_momentum == 0f)
        {
            TensorPrimitives.MultiplyAdd(g, -learningRate, theta, theta);
            return;
        }
        TensorPrimitives.MultiplyAdd(v, _momentum, g, v);
        if (_nesterov)
        {
            TensorPrimitives.MultiplyAdd(g, -learningRate, theta, theta);
            TensorPrimitives.MultiplyAdd(v, -learningRate * _momentum, theta, theta);
        }
        else
        {
            TensorPrimitives.MultiplyAdd(v, -learningRate, theta, theta);
        }
    }
}

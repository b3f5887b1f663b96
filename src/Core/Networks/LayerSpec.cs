using MLNetNN.Activations;

namespace MLNetNN.Networks;

/// <summary>What one layer of a network is to be: its width and activation (α for leaky ReLU and ELU).</summary>
public readonly record struct LayerSpec(int Units, ActivationKind Activation, float? Alpha = null);

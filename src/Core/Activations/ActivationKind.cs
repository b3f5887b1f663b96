namespace MLNetNN.Activations;

/// <summary>The activation functions a layer can apply.</summary>
public enum ActivationKind
{
    /// <summary>f(z) = z.</summary>
    Identity,
    /// <summary>f(z) = 1 if z ≥ 0 else 0 (the classic perceptron; no useful gradient).</summary>
    Step,
    /// <summary>f(z) = 1 / (1 + e^−z).</summary>
    Sigmoid,
    /// <summary>f(z) = tanh z.</summary>
    Tanh,
    /// <summary>f(z) = max(0, z).</summary>
    ReLU,
    /// <summary>f(z) = z if z &gt; 0 else α·z.</summary>
    LeakyReLU,
    /// <summary>f(z) = z if z &gt; 0 else α·(e^z − 1).</summary>
    ELU,
    /// <summary>f(z) = ln(1 + e^z).</summary>
    Softplus,
    /// <summary>f(z)_i = e^{z_i} / Σ_j e^{z_j}, over each row.</summary>
    Softmax,
}

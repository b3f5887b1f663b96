namespace MLNetNN.Layers;

/// <summary>What a layer computes. Each kind is one class deriving from <see cref="Layer"/>.</summary>
public enum LayerKind
{
    /// <summary>Fully connected: <c>f(X·W + b)</c> (<see cref="DenseLayer"/>).</summary>
    Dense,

    /// <summary>Inverted dropout: in training each value is kept with probability 1 − rate and scaled by 1 / (1 − rate); the identity at inference (<see cref="DropoutLayer"/>).</summary>
    Dropout,

    /// <summary>Batch normalisation per channel, with learnable scale γ and shift β (<see cref="BatchNormalizationLayer"/>).</summary>
    BatchNormalization,

    /// <summary>An image's values as one flat vector, in the order they are stored (<see cref="FlattenLayer"/>).</summary>
    Flatten,
}

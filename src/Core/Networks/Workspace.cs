namespace MLNetNN.Networks;

/// <summary>
/// The buffers one forward and backward pass needs for batches of up to <see cref="Capacity"/> rows: the input, each layer's
/// Z, A and scratch (what its backward pass keeps), and two gradient buffers used alternately going down. Allocated once, reused every batch, owned by one thread at a time.
/// </summary>
internal sealed class Workspace
{
    private readonly float[] _gradientEven, _gradientOdd;

    public Workspace(NeuralNetwork network, int capacity)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A workspace holds at least one row.");
        Capacity = capacity;
        InputCount = network.InputCount;
        Input = new float[capacity * network.InputCount];
        int layers = network.Layers.Count;
        Z = new float[layers][];
        A = new float[layers][];
        Scratch = new float[layers][];
        int widest = 0;
        for (int l = 0; l < layers; l++)
        {
            var layer = network.Layers[l];
            int units = layer.Units;
            A[l] = new float[capacity * units];
            Z[l] = layer.KeepsPreActivation ? new float[capacity * units] : A[l];
            Scratch[l] = new float[layer.ScratchLength(capacity)];
            widest = Math.Max(widest, units);
        }
        OutputGradient = new float[capacity * network.OutputCount];
        _gradientEven = new float[capacity * widest];
        _gradientOdd = new float[capacity * widest];
        LayerCount = layers;
    }

    public int Capacity { get; }
    public int InputCount { get; }
    public int LayerCount { get; }

    /// <summary>The batch, rows × inputs.</summary>
    public float[] Input { get; }

    /// <summary>Pre-activations per layer, rows × units (what a layer computes before its activation; A itself for a layer that keeps none).</summary>
    public float[][] Z { get; }

    /// <summary>Activations per layer, rows × units; the last is the network's output.</summary>
    public float[][] A { get; }

    /// <summary>Per layer, what its forward pass keeps for its backward pass (batch normalisation's batch statistics); empty for most.</summary>
    public float[][] Scratch { get; }

    /// <summary>∂L/∂Z of the output layer, filled by the loss.</summary>
    public float[] OutputGradient { get; }

    public float[] Output => A[^1];

    /// <summary>The network's split forward pass over this workspace, made on first use.</summary>
    public NeuralNetwork.ForwardJob? ForwardJob { get; set; }

    /// <summary>The network's split activation derivative over this workspace, made on first use.</summary>
    public NeuralNetwork.ActivationBackwardJob? ActivationJob { get; set; }

    public float[] OutputLogits => Z[^1];

    /// <summary>Where layer <paramref name="layer"/> writes ∂L/∂(its input); alternates so a layer never overwrites the gradient it reads.</summary>
    public float[] GradientBuffer(int layer) => (LayerCount - layer) % 2 == 0 ? _gradientEven : _gradientOdd;

    public void CheckFits(NeuralNetwork network, int rows)
    {
        if (rows > Capacity) throw new ArgumentOutOfRangeException(nameof(rows), rows, $"The batch has {rows} rows; this workspace holds {Capacity}.");
        if (network.InputCount != InputCount || network.Layers.Count != LayerCount)
            throw new InvalidOperationException("This workspace was made for a different network.");
    }
}

using MLNetNN.Activations;
using MLNetNN.Initialization;
using MLNetNN.Networks;

namespace MLNetNN.Layers;

/// <summary>
/// One layer of a network: it maps each example's values of <see cref="InputShape"/> to values of <see cref="OutputShape"/>,
/// first to <c>Z</c> (the layer's own computation) and then to <c>A = f(Z)</c> through its <see cref="Activation"/> (the identity
/// for layers that apply none). A batch is rows × <see cref="Inputs"/> floats in, rows × <see cref="Units"/> out, whatever the shapes.
/// </summary>
/// <remarks>
/// <para>A layer owns no numbers. Its trainable parameters are two ranges of the network's one flat buffer: first the weights
/// (<see cref="WeightOffset"/>, <see cref="WeightCount"/>), which L1/L2 regularise and AdamW decays, then the rest
/// (<see cref="BiasOffset"/>, <see cref="BiasCount"/>: biases, batch normalisation's γ and β), which they leave alone. So
/// optimisers, regularisers and <c>‖θ − θ_prev‖</c> stay one pass over one buffer. Non-trainable state (batch normalisation's
/// running mean and variance) is a range of the network's separate state buffer (<see cref="StateOffset"/>,
/// <see cref="StateCount"/>), which no optimiser sees. Per-batch values (Z, A, what the backward pass keeps) live in the workspace.</para>
/// <para>The forward pass of a layer whose rows are independent (<see cref="IsRowIndependent"/>) may run on part of a batch's
/// rows, so the network can split a batch over threads through a run of such layers; a layer that needs the whole batch (batch
/// normalisation in training) gets it whole, computes its statistics in a fixed order and may split its own work, so results
/// never depend on the thread count. The backward pass gets <c>∂L/∂Z</c> of its layer (the network applies the activation's
/// derivative, or the loss gives it fused for the output layer) and writes its parameters' gradients and <c>∂L/∂X</c>.</para>
/// <para>A recurrent layer would sit here too: its input shape a sequence (time steps × features, stored as one row per example),
/// its weights the input and recurrent kernels side by side, its bias after them, its per-batch hidden states in its scratch, and
/// backpropagation through time inside its <see cref="Backward"/>; its rows are independent, so it splits like a dense layer.</para>
/// </remarks>
public abstract class Layer
{
    private protected Layer(LayerShape input, LayerShape output, Activation activation, int weightOffset, long weightCount, long biasCount,
        int stateOffset = 0, int stateCount = 0)
    {
        if (weightOffset + weightCount + biasCount > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(weightCount), weightCount + biasCount,
                $"The network would need {weightOffset + weightCount + biasCount} parameters, more than an array holds ({Array.MaxLength}).");
        InputShape = input;
        OutputShape = output;
        Activation = activation;
        WeightOffset = weightOffset;
        WeightCount = (int)weightCount;
        BiasCount = (int)biasCount;
        StateOffset = stateOffset;
        StateCount = stateCount;
    }

    /// <summary>What the layer computes.</summary>
    public abstract LayerKind Kind { get; }

    /// <summary>The shape of the values each example brings in.</summary>
    public LayerShape InputShape { get; }

    /// <summary>The shape of the values each example leaves with.</summary>
    public LayerShape OutputShape { get; }

    /// <summary>Values each example brings into the layer (<see cref="InputShape"/>'s size).</summary>
    public int Inputs => InputShape.Size;

    /// <summary>Values each example leaves with (<see cref="OutputShape"/>'s size): a dense layer's neurons, an image's height × width × channels.</summary>
    public int Units => OutputShape.Size;

    /// <summary>The function applied to <c>Z</c>; the identity for layers that apply none.</summary>
    public Activation Activation { get; }

    /// <summary>Where the layer's weights (regularised) start in the parameter buffer; its other parameters follow them.</summary>
    public int WeightOffset { get; }

    /// <summary>Weights: the parameters L1/L2 and weight decay act on (a dense layer's W).</summary>
    public int WeightCount { get; }

    /// <summary>Where the parameters that are not regularised start, right after the weights.</summary>
    public int BiasOffset => WeightOffset + WeightCount;

    /// <summary>Parameters that are not regularised: a dense layer's b, batch normalisation's γ then β.</summary>
    public int BiasCount { get; }

    /// <summary>Trainable parameters: weights plus the rest.</summary>
    public int ParameterCount => WeightCount + BiasCount;

    /// <summary>Where the layer's non-trainable state starts in the network's state buffer.</summary>
    public int StateOffset { get; }

    /// <summary>Non-trainable values the layer keeps between batches and saves with the model (batch normalisation: running mean, then running variance).</summary>
    public int StateCount { get; }

    /// <summary>The specification that builds this layer again.</summary>
    public abstract LayerSpec ToSpec();

    /// <summary>Whether each output row depends on its input row alone in this mode, so a batch may be split into parts of rows.</summary>
    internal virtual bool IsRowIndependent(bool training) => true;

    /// <summary>Whether the forward pass can read a first layer's input rows where a list says they lie (see <see cref="Forward"/>).</summary>
    internal virtual bool ReadsListedRows => false;

    /// <summary>Whether the layer needs Z apart from A; a layer without one gets A's buffer for both.</summary>
    internal virtual bool KeepsPreActivation => true;

    /// <summary>Floats of workspace scratch the layer needs for batches of up to <paramref name="capacity"/> rows (what its backward pass keeps).</summary>
    internal virtual int ScratchLength(int capacity) => 0;

    /// <summary>Sets the layer's parameters before training: weights drawn by <paramref name="kind"/> from <paramref name="random"/>, biases to <paramref name="bias"/>.</summary>
    internal virtual void Initialize(Span<float> weights, Span<float> biases, InitializerKind kind, float scale, float bias, Random random)
    {
    }

    /// <summary>Sets the layer's state as before any training (batch normalisation: running mean 0, running variance 1).</summary>
    internal virtual void ResetState(Span<float> state)
    {
    }

    /// <summary>Multiply-adds per row of the forward pass, which decides whether splitting a batch's rows over threads repays the hand-over.</summary>
    internal virtual long MultiplyAddsPerRow => ParameterCount;

    /// <summary>
    /// <c>Z</c> then <c>A = f(Z)</c> for <paramref name="rows"/> examples, rows <paramref name="first"/>.. of the batch, from
    /// <paramref name="input"/> (those rows, rows × <see cref="Inputs"/>) into <paramref name="z"/> and <paramref name="a"/> (those rows'
    /// parts of the layer's buffers). Only when <see cref="ReadsListedRows"/> may <paramref name="inputRows"/> list which rows of
    /// <paramref name="input"/> to read, copying them into <paramref name="gatherInto"/> unless it is empty.
    /// </summary>
    internal abstract void Forward(in LayerPass pass, ReadOnlySpan<float> input, ReadOnlySpan<int> inputRows, Span<float> gatherInto,
        int first, int rows, Span<float> z, Span<float> a);

    /// <summary>
    /// From <c>G = ∂L/∂Z</c> (<paramref name="gradZ"/>, rows × <see cref="Units"/>; the layer may overwrite it) and the forward
    /// pass's <paramref name="input"/>: its parameters' gradients into <paramref name="gradients"/> (the network's layout) and,
    /// unless <paramref name="gradInput"/> is empty, <c>∂L/∂X</c> into it (rows × <see cref="Inputs"/>).
    /// </summary>
    internal abstract void Backward(in LayerPass pass, ReadOnlySpan<float> input, int rows, Span<float> gradZ, float[] gradients, Span<float> gradInput);

    /// <summary>
    /// Bounds on <c>|Z|</c> at inference, per output value, for inputs within <paramref name="input"/>'s bounds (per input value),
    /// by interval arithmetic in double, for the model files' overflow rule (see <c>Serialization/OverflowBound</c>).
    /// </summary>
    internal abstract void BoundOutputs(ReadOnlySpan<double> input, Span<double> output, ReadOnlySpan<float> parameters, ReadOnlySpan<float> state);

    /// <summary>Problems with the layer's state that would make inference compute garbage (null when there are none).</summary>
    internal virtual string? StateProblem(ReadOnlySpan<float> state) => null;
}

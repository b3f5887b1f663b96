using MLNetNN.Activations;
using MLNetNN.Initialization;
using MLNetNN.Layers;

namespace MLNetNN.Networks;

/// <summary>
/// A feed-forward stack of dense layers over one flat parameter buffer (each layer's W then b, in layer order).
/// The network is the mathematics only: scaling, label names and training live in <see cref="Models.NeuralNetworkModel"/> and the trainer.
/// </summary>
public sealed class NeuralNetwork
{
    private readonly DenseLayer[] _layers;

    /// <summary>A network taking <paramref name="inputs"/> values per example through the given layers; parameters start at zero.</summary>
    public NeuralNetwork(int inputs, IReadOnlyList<LayerSpec> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (inputs < 1) throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "A network needs at least one input.");
        if (layers.Count == 0) throw new ArgumentException("A network needs at least one layer (the output layer).", nameof(layers));

        _layers = new DenseLayer[layers.Count];
        var weightSegments = new List<(int, int)>();
        int offset = 0, fanIn = inputs;
        for (int l = 0; l < layers.Count; l++)
        {
            var spec = layers[l];
            if (spec.Units < 1) throw new ArgumentOutOfRangeException(nameof(layers), spec.Units, $"Layer {l + 1} has {spec.Units} units; it needs at least one.");
            if (spec.Activation == ActivationKind.Softmax && l < layers.Count - 1)
                throw new ArgumentException($"Layer {l + 1}: softmax is an output activation; hidden layers need an element-wise one.", nameof(layers));
            var layer = new DenseLayer(fanIn, spec.Units, Activation.Create(spec.Activation, spec.Alpha), offset);
            _layers[l] = layer;
            weightSegments.Add((layer.WeightOffset, layer.Inputs * layer.Units));
            offset += layer.ParameterCount;
            fanIn = spec.Units;
        }
        InputCount = inputs;
        Parameters = new float[offset];
        Layout = new ParameterLayout(offset, weightSegments);
    }

    /// <summary>Values per input example.</summary>
    public int InputCount { get; }

    /// <summary>Values per output (units of the last layer).</summary>
    public int OutputCount => _layers[^1].Units;

    /// <summary>The layers, input side first; the last is the output layer.</summary>
    public IReadOnlyList<DenseLayer> Layers => _layers;

    /// <summary>Every weight and bias, layer by layer (W row-major inputs × units, then b).</summary>
    public float[] Parameters { get; }

    /// <summary>Which parts of <see cref="Parameters"/> are weights and which are biases.</summary>
    public ParameterLayout Layout { get; }

    /// <summary>Total trainable parameters; for one hidden layer <c>N_H(N_I + 1) + N_O(N_H + 1)</c>.</summary>
    public int ParameterCount => Parameters.Length;

    /// <summary>Layer <paramref name="layer"/>'s weights (inputs × units, row-major), writable.</summary>
    public Span<float> Weights(int layer) => Parameters.AsSpan(_layers[layer].WeightOffset, _layers[layer].Inputs * _layers[layer].Units);

    /// <summary>Layer <paramref name="layer"/>'s biases, writable.</summary>
    public Span<float> Biases(int layer) => Parameters.AsSpan(_layers[layer].BiasOffset, _layers[layer].Units);

    /// <summary>Draws all weights by <paramref name="kind"/> from <paramref name="random"/> and sets every bias to <paramref name="bias"/>.</summary>
    public void Initialize(InitializerKind kind, Random random, float scale = 0.7f, float bias = 0f)
    {
        for (int l = 0; l < _layers.Length; l++)
        {
            var layer = _layers[l];
            WeightInitializer.Fill(Weights(l), layer.Inputs, layer.Units, kind, scale, random);
            Biases(l).Fill(bias);
        }
    }

    /// <summary>The same architecture with a copy of the parameters.</summary>
    public NeuralNetwork Clone()
    {
        var copy = new NeuralNetwork(InputCount, Specs());
        Parameters.CopyTo(copy.Parameters, 0);
        return copy;
    }

    /// <summary>The architecture as layer specifications.</summary>
    public IReadOnlyList<LayerSpec> Specs() =>
        _layers.Select(l => new LayerSpec(l.Units, l.Activation.Kind, l.Activation.Alpha == 0f ? null : l.Activation.Alpha)).ToArray();

    /// <summary>A table of layers, output shapes and parameter counts, like Keras's <c>model.summary()</c>.</summary>
    public NetworkSummary Summary() => new(this);

    /// <summary>Runs the batch in <paramref name="workspace"/>'s input through every layer; outputs land in the workspace.</summary>
    internal void Forward(Workspace workspace, int rows, int threads = 1) => Forward(workspace, workspace.Input.AsSpan(0, rows * InputCount), rows, threads);

    /// <summary>
    /// Runs <paramref name="rows"/> examples through every layer; outputs land in the workspace. The examples are read where
    /// they lie, so neither prediction nor training copies them first: the rows of <paramref name="input"/> (rows × inputs) in
    /// order, or, when <paramref name="inputRows"/> is given, rows <c>inputRows[0..rows]</c> of <paramref name="input"/> (a
    /// shuffled mini-batch in its data set), which <paramref name="gatherInput"/> also copies into the workspace's input as
    /// the first layer reads them, for the backward pass.
    /// </summary>
    /// <remarks>
    /// With several threads the rows are split, each part going through all layers on one thread: rows are independent, so
    /// this gives the same numbers as one thread, with one hand-over per batch instead of one per layer, and the activations
    /// computed in parallel too.
    /// </remarks>
    internal unsafe void Forward(Workspace workspace, ReadOnlySpan<float> input, int rows, int threads, ReadOnlySpan<int> inputRows = default, bool gatherInput = false)
    {
        if (gatherInput && inputRows.IsEmpty) throw new ArgumentException("Only listed rows are gathered.", nameof(gatherInput));
        workspace.CheckFits(this, rows);
        int parts = (long)rows * ParameterCount < MinimumSplitForwardWork ? 1
            : Math.Min(rows / MinimumRowsPerPart, Math.Min(threads, Numerics.WorkerPool.Shared.Concurrency));
        if (threads <= 1 || parts <= 1)
        {
            ForwardRows(workspace, input, inputRows, gatherInput, 0, rows);
            return;
        }
        fixed (float* pointer = input)
        fixed (int* listed = inputRows)
        {
            var job = workspace.ForwardJob ??= new ForwardJob();
            (job.Network, job.Workspace, job.Input, job.InputLength, job.InputRows, job.GatherInput, job.Rows, job.Parts) =
                (this, workspace, (nint)pointer, input.Length, (nint)listed, gatherInput, rows, parts);
            Numerics.WorkerPool.Shared.Run(job, parts);
            (job.Input, job.InputRows) = (0, 0);
        }
    }

    /// <summary>Below this many multiply-adds (rows × parameters) a split forward pass costs more than it saves.</summary>
    private const long MinimumSplitForwardWork = 1 << 18;

    /// <summary>Rows per part at least, so each part's products still fill their register tiles.</summary>
    private const int MinimumRowsPerPart = 12;

    /// <summary>
    /// Rows <paramref name="first"/>..+<paramref name="count"/> of the batch through every layer, on the calling thread; the
    /// batch's rows are those of <paramref name="input"/> from <paramref name="first"/> on, or those <paramref name="inputRows"/> lists.
    /// </summary>
    private void ForwardRows(Workspace workspace, ReadOnlySpan<float> input, ReadOnlySpan<int> inputRows, bool gatherInput, int first, int count)
    {
        if (inputRows.IsEmpty) input = input.Slice(first * InputCount, count * InputCount);
        else inputRows = inputRows.Slice(first, count);
        Span<float> gatherInto = gatherInput ? workspace.Input.AsSpan(first * InputCount, count * InputCount) : default;
        for (int l = 0; l < _layers.Length; l++)
        {
            int units = _layers[l].Units;
            var z = workspace.Z[l].AsSpan(first * units, count * units);
            var a = workspace.A[l].AsSpan(first * units, count * units);
            _layers[l].Forward(Parameters, input, inputRows, gatherInto, count, z, a, threads: 1);
            gatherInto = default;
            input = a;
            inputRows = default;
        }
    }

    /// <summary>One split forward pass; kept by its workspace, so a pass allocates nothing.</summary>
    internal sealed unsafe class ForwardJob : Numerics.IPartitionedWork
    {
        public NeuralNetwork? Network;
        public Workspace? Workspace;
        public nint Input, InputRows;
        public bool GatherInput;
        public int InputLength, Rows, Parts;

        public void Execute(int part)
        {
            int first = (int)((long)Rows * part / Parts), end = (int)((long)Rows * (part + 1) / Parts);
            var listed = InputRows == 0 ? default : new ReadOnlySpan<int>((int*)InputRows, Rows);
            Network!.ForwardRows(Workspace!, new ReadOnlySpan<float>((float*)Input, InputLength), listed, GatherInput, first, end - first);
        }
    }

    /// <summary>
    /// Backpropagates <c>∂L/∂Z</c> of the output layer (in <see cref="Workspace.OutputGradient"/>) through the network,
    /// writing <c>∂L/∂θ</c> into <paramref name="gradients"/> (same layout as <see cref="Parameters"/>). Call after <see cref="Forward(Workspace, int, int)"/>.
    /// </summary>
    internal void Backward(Workspace workspace, int rows, float[] gradients, int threads = 1)
    {
        float[] gradZ = workspace.OutputGradient;
        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            var layer = _layers[l];
            ReadOnlyMemory<float> input = l == 0 ? workspace.Input.AsMemory(0, rows * InputCount) : workspace.A[l - 1].AsMemory(0, rows * layer.Inputs);
            // The input layer's gradient is never needed, which saves a third of the first (usually largest) layer's backward work.
            float[]? gradInput = l == 0 ? null : workspace.GradientBuffer(l);
            layer.Backward(Parameters, input, gradZ, rows, gradients, gradInput, threads);
            if (gradInput is null) break;
            var below = _layers[l - 1];
            int n = rows * below.Units;
            below.Activation.Backward(workspace.Z[l - 1].AsSpan(0, n), workspace.A[l - 1].AsSpan(0, n), gradInput.AsSpan(0, n), gradInput.AsSpan(0, n), below.Units);
            gradZ = gradInput;
        }
    }
}

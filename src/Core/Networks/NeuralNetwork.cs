using MLNetNN.Activations;
using MLNetNN.Initialization;
using MLNetNN.Layers;

namespace MLNetNN.Networks;

/// <summary>
/// A feed-forward sequence of layers (<see cref="Layer"/>: dense, dropout, batch normalisation, flatten, ...) over one flat
/// parameter buffer (each layer's weights then its other parameters, in layer order) and one buffer of non-trainable state.
/// The network is the mathematics only: scaling, label names and training live in <see cref="Models.NeuralNetworkModel"/> and the trainer.
/// </summary>
public sealed class NeuralNetwork
{
    private readonly Layer[] _layers;

    /// <summary>A network taking <paramref name="inputs"/> values per example through the given layers; parameters start at zero.</summary>
    public NeuralNetwork(int inputs, IReadOnlyList<LayerSpec> layers)
        : this(inputs >= 1 ? LayerShape.Flat(inputs) : throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "A network needs at least one input."), layers)
    {
    }

    /// <summary>
    /// A network taking examples of <paramref name="input"/>'s shape (a flat width, or an image such as 28×28×1, stored
    /// channels last) through the given layers; parameters start at zero, running statistics at mean 0 and variance 1.
    /// </summary>
    /// <exception cref="ArgumentException">A layer's settings are out of range or it cannot take the shape before it; the message names the layer.</exception>
    public NeuralNetwork(LayerShape input, IReadOnlyList<LayerSpec> layers)
    {
        _layers = CreateLayers(input, layers, out int parameters, out int state);
        InputShape = input;
        Parameters = new float[parameters];
        State = new float[state];
        Layout = new ParameterLayout(parameters, _layers.Where(l => l.WeightCount > 0).Select(l => (l.WeightOffset, l.WeightCount)).ToList());
        for (int l = 0; l < _layers.Length; l++) _layers[l].ResetState(LayerState(l));
    }

    /// <summary>
    /// The layers <paramref name="specs"/> describe, input side first, and the parameters and state they need, without allocating
    /// either: model files check a stored architecture with it before believing its sizes.
    /// </summary>
    /// <exception cref="ArgumentException">A layer cannot be built; the message names it by position.</exception>
    internal static Layer[] CreateLayers(LayerShape input, IReadOnlyList<LayerSpec> specs, out int parameterCount, out int stateCount)
    {
        ArgumentNullException.ThrowIfNull(specs);
        if (specs.Count == 0) throw new ArgumentException("A network needs at least one layer (the output layer).", nameof(specs));
        var layers = new Layer[specs.Count];
        int offset = 0, state = 0;
        var shape = input;
        for (int l = 0; l < specs.Count; l++)
        {
            var spec = specs[l];
            if (spec.Kind == LayerKind.Dense && spec.Units < 1)
                throw new ArgumentOutOfRangeException("layers", spec.Units, $"Layer {l + 1} has {spec.Units} units; it needs at least one.");
            if (spec.Activation == ActivationKind.Softmax && l < specs.Count - 1)
                throw new ArgumentException($"Layer {l + 1}: softmax is an output activation; hidden layers need an element-wise one.", "layers");
            Layer layer;
            try
            {
                layer = spec.Create(shape, offset, state);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Layer {l + 1} ({spec}): {LayerText.Sentence(e)}", "layers", e);
            }
            if ((long)state + layer.StateCount > Array.MaxLength)
                throw new ArgumentException($"Layer {l + 1} ({spec}): the network would need more state than an array holds.", "layers");
            layers[l] = layer;
            offset += layer.ParameterCount;
            state += layer.StateCount;
            shape = layer.OutputShape;
        }
        (parameterCount, stateCount) = (offset, state);
        return layers;
    }

    /// <summary>The shape of one example (a flat width, or an image's height × width × channels).</summary>
    public LayerShape InputShape { get; }

    /// <summary>Values per input example.</summary>
    public int InputCount => InputShape.Size;

    /// <summary>Values per output (units of the last layer).</summary>
    public int OutputCount => _layers[^1].Units;

    /// <summary>The layers, input side first; the last is the output layer.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>Every trainable parameter, layer by layer (a dense layer's W row-major inputs × units, then b).</summary>
    public float[] Parameters { get; }

    /// <summary>
    /// Non-trainable state, layer by layer (batch normalisation's running mean, then running variance): updated by training
    /// steps, used at inference, saved with the model, never seen by optimisers or regularisers.
    /// </summary>
    public float[] State { get; }

    /// <summary>Which parts of <see cref="Parameters"/> are weights and which are biases.</summary>
    public ParameterLayout Layout { get; }

    /// <summary>Total trainable parameters; for one hidden layer <c>N_H(N_I + 1) + N_O(N_H + 1)</c>.</summary>
    public int ParameterCount => Parameters.Length;

    /// <summary>Layer <paramref name="layer"/>'s weights (a dense layer's W, inputs × units, row-major), writable.</summary>
    public Span<float> Weights(int layer) => Parameters.AsSpan(_layers[layer].WeightOffset, _layers[layer].WeightCount);

    /// <summary>Layer <paramref name="layer"/>'s parameters that are not weights (a dense layer's biases; batch normalisation's γ then β), writable.</summary>
    public Span<float> Biases(int layer) => Parameters.AsSpan(_layers[layer].BiasOffset, _layers[layer].BiasCount);

    /// <summary>Layer <paramref name="layer"/>'s non-trainable state (batch normalisation: running mean, then running variance), writable.</summary>
    public Span<float> LayerState(int layer) => State.AsSpan(_layers[layer].StateOffset, _layers[layer].StateCount);

    /// <summary>
    /// Draws all weights by <paramref name="kind"/> from <paramref name="random"/>, sets every bias to <paramref name="bias"/>,
    /// batch normalisation's γ to 1 and β to 0, and its running statistics to mean 0, variance 1.
    /// </summary>
    public void Initialize(InitializerKind kind, Random random, float scale = 0.7f, float bias = 0f)
    {
        for (int l = 0; l < _layers.Length; l++)
        {
            _layers[l].Initialize(Weights(l), Biases(l), kind, scale, bias, random);
            _layers[l].ResetState(LayerState(l));
        }
    }

    /// <summary>The same architecture with a copy of the parameters and state.</summary>
    public NeuralNetwork Clone()
    {
        var copy = new NeuralNetwork(InputShape, Specs());
        Parameters.CopyTo(copy.Parameters, 0);
        State.CopyTo(copy.State, 0);
        return copy;
    }

    /// <summary>A copy of the parameters, then the state: a model to return to (the best epoch's), made once per run.</summary>
    internal float[] Snapshot()
    {
        var snapshot = new float[Parameters.Length + State.Length];
        SaveSnapshot(snapshot);
        return snapshot;
    }

    /// <summary>Copies the parameters and the state into <paramref name="snapshot"/>, made by <see cref="Snapshot"/>.</summary>
    internal void SaveSnapshot(float[] snapshot)
    {
        Parameters.CopyTo(snapshot, 0);
        State.CopyTo(snapshot, Parameters.Length);
    }

    /// <summary>Sets the parameters and the state from <paramref name="snapshot"/>.</summary>
    internal void Restore(float[] snapshot)
    {
        snapshot.AsSpan(0, Parameters.Length).CopyTo(Parameters);
        snapshot.AsSpan(Parameters.Length, State.Length).CopyTo(State);
    }

    /// <summary>The architecture as layer specifications.</summary>
    public IReadOnlyList<LayerSpec> Specs() => _layers.Select(l => l.ToSpec()).ToArray();

    /// <summary>A table of layers, output shapes and parameter counts, like Keras's <c>model.summary()</c>.</summary>
    public NetworkSummary Summary() => new(this);

    /// <summary>Runs the batch in <paramref name="workspace"/>'s input through every layer; outputs land in the workspace.</summary>
    internal void Forward(Workspace workspace, int rows, int threads = 1, TrainingStep? training = null) =>
        Forward(workspace, workspace.Input.AsSpan(0, rows * InputCount), rows, threads, training: training);

    /// <summary>
    /// Runs <paramref name="rows"/> examples through every layer; outputs land in the workspace. The examples are read where
    /// they lie, so neither prediction nor training copies them first: the rows of <paramref name="input"/> (rows × inputs) in
    /// order, or, when <paramref name="inputRows"/> is given, rows <c>inputRows[0..rows]</c> of <paramref name="input"/> (a
    /// shuffled mini-batch in its data set), which <paramref name="gatherInput"/> also copies into the workspace's input as
    /// the first layer reads them, for the backward pass. A <paramref name="training"/> step drops out and normalises by the
    /// batch's statistics; otherwise the pass is inference.
    /// </summary>
    /// <remarks>
    /// With several threads the rows are split, each part going through a run of layers whose rows are independent on one
    /// thread: this gives the same numbers as one thread, with one hand-over per run instead of one per layer, and the activations
    /// computed in parallel too. A layer that needs the whole batch (batch normalisation in training) ends a run and gets the batch whole.
    /// </remarks>
    internal unsafe void Forward(Workspace workspace, ReadOnlySpan<float> input, int rows, int threads, ReadOnlySpan<int> inputRows = default,
        bool gatherInput = false, TrainingStep? training = null)
    {
        if (gatherInput && inputRows.IsEmpty) throw new ArgumentException("Only listed rows are gathered.", nameof(gatherInput));
        workspace.CheckFits(this, rows);
        if (!inputRows.IsEmpty && !_layers[0].ReadsListedRows)
        {
            // A first layer that reads its input in place only: the listed rows are copied into the workspace first.
            for (int r = 0; r < rows; r++) input.Slice(inputRows[r] * InputCount, InputCount).CopyTo(workspace.Input.AsSpan(r * InputCount));
            input = workspace.Input.AsSpan(0, rows * InputCount);
            inputRows = default;
            gatherInput = false;
        }
        bool isTraining = training is not null;
        var step = training ?? default;
        for (int from = 0; from < _layers.Length;)
        {
            int end = from;
            long work = 0;
            while (end < _layers.Length && _layers[end].IsRowIndependent(isTraining)) work += _layers[end++].MultiplyAddsPerRow;
            if (end > from)
                ForwardRun(workspace, input, rows, threads, inputRows, gatherInput, from, end, work, step, isTraining);
            if (end < _layers.Length)
            {
                var layer = _layers[end];
                ReadOnlySpan<float> below = end == 0 ? input[..(rows * InputCount)] : workspace.A[end - 1].AsSpan(0, rows * layer.Inputs);
                var pass = new LayerPass(Parameters, State, workspace, end, rows, isTraining, step.Seed, step.Step, threads);
                layer.Forward(pass, below, default, default, 0, rows, workspace.Z[end].AsSpan(0, rows * layer.Units), workspace.A[end].AsSpan(0, rows * layer.Units));
                end++;
            }
            inputRows = default;
            (gatherInput, from) = (false, end);
        }
    }

    /// <summary>Layers <paramref name="from"/>..<paramref name="end"/> (rows independent) over the batch, its rows split over threads when the work repays it.</summary>
    private unsafe void ForwardRun(Workspace workspace, ReadOnlySpan<float> input, int rows, int threads, ReadOnlySpan<int> inputRows, bool gatherInput,
        int from, int end, long work, TrainingStep step, bool training)
    {
        if (from > 0) input = workspace.A[from - 1];
        int parts = rows * work < MinimumSplitForwardWork ? 1
            : Math.Min(rows / MinimumRowsPerPart, Math.Min(threads, Numerics.WorkerPool.Shared.Concurrency));
        if (threads <= 1 || parts <= 1)
        {
            ForwardRows(workspace, input, inputRows, gatherInput, 0, rows, rows, from, end, step, training);
            return;
        }
        fixed (float* pointer = input)
        fixed (int* listed = inputRows)
        {
            var job = workspace.ForwardJob ??= new ForwardJob();
            (job.Network, job.Workspace, job.Input, job.InputLength, job.InputRows, job.GatherInput, job.Rows, job.Parts) =
                (this, workspace, (nint)pointer, input.Length, (nint)listed, gatherInput, rows, parts);
            (job.From, job.End, job.Step, job.Training) = (from, end, step, training);
            Numerics.WorkerPool.Shared.Run(job, parts);
            (job.Input, job.InputRows) = (0, 0);
        }
    }

    /// <summary>Below this many multiply-adds (rows × parameters) a split forward pass costs more than it saves.</summary>
    private const long MinimumSplitForwardWork = 1 << 18;

    /// <summary>Rows per part at least, so each part's products still fill their register tiles.</summary>
    private const int MinimumRowsPerPart = 12;

    /// <summary>
    /// Rows <paramref name="first"/>..+<paramref name="count"/> of the batch through layers <paramref name="from"/>..<paramref name="end"/>,
    /// on the calling thread; the batch's rows are those of <paramref name="input"/> (the input of layer <paramref name="from"/>)
    /// from <paramref name="first"/> on, or those <paramref name="inputRows"/> lists.
    /// </summary>
    private void ForwardRows(Workspace workspace, ReadOnlySpan<float> input, ReadOnlySpan<int> inputRows, bool gatherInput, int first, int count, int batchRows,
        int from, int end, TrainingStep step, bool training)
    {
        int width = _layers[from].Inputs;
        if (inputRows.IsEmpty) input = input.Slice(first * width, count * width);
        else inputRows = inputRows.Slice(first, count);
        Span<float> gatherInto = gatherInput ? workspace.Input.AsSpan(first * InputCount, count * InputCount) : default;
        for (int l = from; l < end; l++)
        {
            int units = _layers[l].Units;
            var z = workspace.Z[l].AsSpan(first * units, count * units);
            var a = workspace.A[l].AsSpan(first * units, count * units);
            var pass = new LayerPass(Parameters, State, workspace, l, batchRows, training, step.Seed, step.Step, Threads: 1);
            _layers[l].Forward(pass, input, inputRows, gatherInto, first, count, z, a);
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
        public bool GatherInput, Training;
        public int InputLength, Rows, Parts, From, End;
        public TrainingStep Step;

        public void Execute(int part)
        {
            int first = (int)((long)Rows * part / Parts), end = (int)((long)Rows * (part + 1) / Parts);
            var listed = InputRows == 0 ? default : new ReadOnlySpan<int>((int*)InputRows, Rows);
            Network!.ForwardRows(Workspace!, new ReadOnlySpan<float>((float*)Input, InputLength), listed, GatherInput, first, end - first, Rows, From, End, Step, Training);
        }
    }

    /// <summary>
    /// Backpropagates <c>∂L/∂Z</c> of the output layer (in <see cref="Workspace.OutputGradient"/>) through the network,
    /// writing <c>∂L/∂θ</c> into <paramref name="gradients"/> (same layout as <see cref="Parameters"/>). Call after a training
    /// <see cref="Forward(Workspace, int, int, TrainingStep?)"/> of the same rows.
    /// </summary>
    internal void Backward(Workspace workspace, int rows, float[] gradients, int threads = 1)
    {
        Span<float> gradZ = workspace.OutputGradient.AsSpan(0, rows * OutputCount);
        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            var layer = _layers[l];
            ReadOnlySpan<float> input = l == 0 ? workspace.Input.AsSpan(0, rows * InputCount) : workspace.A[l - 1].AsSpan(0, rows * layer.Inputs);
            // The input layer's gradient is never needed, which saves a third of the first (usually largest) layer's backward work.
            Span<float> gradInput = l == 0 ? default : workspace.GradientBuffer(l).AsSpan(0, rows * layer.Inputs);
            var pass = new LayerPass(Parameters, State, workspace, l, rows, Training: true, 0, 0, threads);
            layer.Backward(pass, input, rows, gradZ, gradients, gradInput);
            if (l == 0) break;
            ActivationBackward(workspace, l - 1, rows, gradInput, threads);
            gradZ = gradInput;
        }
    }

    /// <summary>
    /// <c>∂L/∂Z = f'(Z) ∘ ∂L/∂A</c> of layer <paramref name="index"/> in place in <paramref name="gradient"/>, its rows split over
    /// threads when there are values enough (a convolution's outputs), since each row's derivative is its own.
    /// </summary>
    private unsafe void ActivationBackward(Workspace workspace, int index, int rows, Span<float> gradient, int threads)
    {
        var layer = _layers[index];
        // f' = 1, and the gradient is already in place: a pooling layer's 173 K values a batch were copied onto themselves.
        if (layer.Activation.Kind == Activations.ActivationKind.Identity) return;
        int n = rows * layer.Units;
        int parts = n < MinimumSplitActivationValues ? 1 : Math.Min(rows, Math.Min(threads, Numerics.WorkerPool.Shared.Concurrency));
        if (parts <= 1)
        {
            layer.Activation.Backward(workspace.Z[index].AsSpan(0, n), workspace.A[index].AsSpan(0, n), gradient[..n], gradient[..n], layer.Units);
            return;
        }
        fixed (float* z = workspace.Z[index], a = workspace.A[index], g = gradient)
        {
            var job = workspace.ActivationJob ??= new ActivationBackwardJob();
            (job.Activation, job.Units, job.Rows, job.Parts) = (layer.Activation, layer.Units, rows, parts);
            job.Z = z;
            job.A = a;
            job.Gradient = g;
            Numerics.WorkerPool.Shared.Run(job, parts);
            job.Z = job.A = job.Gradient = null;
        }
    }

    /// <summary>
    /// Values from which an activation derivative is split over threads (a 128-row batch of 512 units): a convolution's outputs
    /// split, and an MLP's layers (B's 128 × 256) stay on the calling thread as before. Chosen, not tuned.
    /// </summary>
    private const int MinimumSplitActivationValues = 1 << 16;

    /// <summary>One split activation derivative; kept by its workspace, so a backward pass allocates nothing.</summary>
    internal sealed unsafe class ActivationBackwardJob : Numerics.IPartitionedWork
    {
        public Activations.Activation? Activation;
        public float* Z, A, Gradient;
        public int Units, Rows, Parts;

        public void Execute(int part)
        {
            int first = (int)((long)Rows * part / Parts), end = (int)((long)Rows * (part + 1) / Parts);
            int offset = first * Units, n = (end - first) * Units;
            var gradient = new Span<float>(Gradient + offset, n);
            Activation!.Backward(new ReadOnlySpan<float>(Z + offset, n), new ReadOnlySpan<float>(A + offset, n), gradient, gradient, Units);
        }
    }
}

/// <summary>What makes a training step's random choices: the run's seed and the step's number (dropout masks come from both).</summary>
internal readonly record struct TrainingStep(int Seed, long Step);

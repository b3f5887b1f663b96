using MLNetNN.Data;
using MLNetNN.Metrics;
using MLNetNN.Networks;
using MLNetNN.Serialization;
using MLNetNN.Training;

namespace MLNetNN.Models;

/// <summary>
/// A trained network with everything needed to use it on raw rows: the feature scaler, the class names, the options it was
/// trained with and its training history. Prediction is safe from many threads at once and allocates nothing per call
/// through the span overloads. A row with a NaN or infinite feature, or with finite features so far outside the training data
/// that the network overflows, is refused with an <see cref="ArgumentException"/> naming the row and the feature.
/// </summary>
public sealed class NeuralNetworkModel
{
    /// <summary>
    /// Rows each thread takes per forward pass in batch prediction: enough for a product to repay packing its weights (measured
    /// 8–10 % faster from 512 rows), few enough that a layer's activations stay in L2 for the next layer (512 × 100 units is 200 KB).
    /// </summary>
    private const int RowsPerThreadPerChunk = 512;

    /// <summary>Rows per forward pass in batch prediction: <see cref="RowsPerThreadPerChunk"/> for each thread that shares it (at most 8, which bounds the workspace).</summary>
    private readonly int _chunkRows;

    private readonly WorkspacePool _singleRow;
    private readonly WorkspacePool _batch;

    /// <summary>Threads for batch prediction: the training option, else every core. One row is too little work to share.</summary>
    private readonly int _threads;

    /// <summary>Assembles a model from its parts (the trainer and the model reader do this).</summary>
    /// <param name="network">The network, with its weights.</param>
    /// <param name="options">The options it was trained with.</param>
    /// <param name="classNames">The class of each output (classification), else null.</param>
    /// <param name="featureNames">The features' names, or null for f0, f1, ….</param>
    /// <param name="scaler">The feature scaler applied to raw rows, or null.</param>
    /// <param name="history">The training history.</param>
    /// <param name="targetScaler">Regression: the scaler the targets were trained through, whose inverse maps the network's outputs
    /// back to the targets' units (each scale positive, with a finite reciprocal); null when the network predicts them directly.</param>
    public NeuralNetworkModel(NeuralNetwork network, NeuralNetworkOptions options, IReadOnlyList<string>? classNames,
        IReadOnlyList<string>? featureNames, FeatureScaler? scaler, IReadOnlyList<EpochRecord>? history = null, FeatureScaler? targetScaler = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        Task = options.Task;
        int expectedOutputs = Task switch
        {
            TaskKind.BinaryClassification => 1,
            TaskKind.MulticlassClassification => classNames?.Count ?? throw new ArgumentException("A multiclass model needs class names.", nameof(classNames)),
            _ => network.OutputCount,
        };
        if (Task == TaskKind.BinaryClassification && classNames is { Count: not 2 })
            throw new ArgumentException($"A binary model has two classes, not {classNames.Count}.", nameof(classNames));
        if (network.OutputCount != expectedOutputs)
            throw new ArgumentException($"A {Task} model with {classNames?.Count} classes needs {expectedOutputs} outputs; the network has {network.OutputCount}.", nameof(network));
        if (featureNames is not null && featureNames.Count != network.InputCount)
            throw new ArgumentException($"{featureNames.Count} feature names for a network with {network.InputCount} inputs.", nameof(featureNames));
        if (scaler is not null && scaler.Columns != network.InputCount)
            throw new ArgumentException($"The scaler has {scaler.Columns} columns; the network has {network.InputCount} inputs.", nameof(scaler));
        if (targetScaler is not null)
        {
            if (Task != TaskKind.Regression) throw new ArgumentException($"A {Task} model has no target scaler; only regression targets are scaled.", nameof(targetScaler));
            if (targetScaler.Columns != network.OutputCount)
                throw new ArgumentException($"The target scaler has {targetScaler.Columns} columns; the network has {network.OutputCount} outputs.", nameof(targetScaler));
            for (int j = 0; j < targetScaler.Columns; j++)
                if (!(targetScaler.Scale[j] > 0f) || !float.IsFinite(1f / targetScaler.Scale[j]))
                    throw new ArgumentException($"The target scaler's scale {j} is {targetScaler.Scale[j]}; mapping outputs back divides by it, so it must be positive with a finite reciprocal.", nameof(targetScaler));
        }

        Network = network;
        // The options say how the model predicts: one assembled around a network without a target scaler (a version-1 file, a
        // network built by hand) predicts its outputs directly, whatever the options' default would have scaled.
        var targetScaling = targetScaler is null ? ScalingKind.None : targetScaler.Kind == ScalerKind.Standardization ? ScalingKind.Standardize : ScalingKind.MinMax;
        Options = Task == TaskKind.Regression && options.EffectiveTargetScaling != targetScaling ? options with { TargetScaling = targetScaling } : options;
        ClassNames = classNames ?? (Task == TaskKind.BinaryClassification ? ["0", "1"] : null);
        FeatureNames = featureNames ?? Enumerable.Range(0, network.InputCount).Select(i => $"f{i}").ToArray();
        Scaler = scaler;
        TargetScaler = targetScaler;
        History = history ?? [];
        _threads = options.EffectiveThreads;
        _singleRow = new WorkspacePool(network, 1);
        _chunkRows = RowsPerThreadPerChunk * Math.Clamp(Math.Min(_threads, Numerics.WorkerPool.Shared.Concurrency), 1, 8);
        _batch = new WorkspacePool(network, _chunkRows);
    }

    /// <summary>The network (architecture and weights).</summary>
    public NeuralNetwork Network { get; }

    /// <summary>What the model predicts.</summary>
    public TaskKind Task { get; }

    /// <summary>The options it was trained with.</summary>
    public NeuralNetworkOptions Options { get; }

    /// <summary>Original label of each class index (classification), else null.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>Names of the input features, in order.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The scaler applied to raw rows before the network, or null.</summary>
    public FeatureScaler? Scaler { get; }

    /// <summary>
    /// Regression: the scaler the targets were trained through (<see cref="NeuralNetworkOptions.TargetScaling"/>); predictions are
    /// the network's outputs mapped back through its inverse, so they are in the targets' units. Null when no scaling was used.
    /// </summary>
    public FeatureScaler? TargetScaler { get; }

    /// <summary>The training history, first epoch first.</summary>
    public IReadOnlyList<EpochRecord> History { get; }

    /// <summary>Raw features each row must have.</summary>
    public int FeatureCount => Network.InputCount;

    /// <summary>Values per prediction: class probabilities (classification, binary included) or targets (regression).</summary>
    public int OutputCount => ClassNames is not null ? ClassNames.Count : Network.OutputCount;

    /// <summary>Whether the model classifies.</summary>
    public bool IsClassifier => Task != TaskKind.Regression;

    /// <summary>The architecture table.</summary>
    public NetworkSummary Summary() => Network.Summary();

    /// <summary>
    /// Predicts one raw row: class probabilities (<see cref="OutputCount"/> of them) or regression targets. Allocates nothing.
    /// </summary>
    public void Predict(ReadOnlySpan<float> features, Span<float> outputs) => Predict(features, outputs, default);

    /// <summary>As <see cref="Predict(ReadOnlySpan{float}, Span{float})"/>, also giving the output layer's pre-activations (logits) when <paramref name="logits"/> is not empty.</summary>
    public void Predict(ReadOnlySpan<float> features, Span<float> outputs, Span<float> logits)
    {
        CheckRow(features, 0);
        CheckOutputs(outputs.Length, 1);
        if (!logits.IsEmpty && logits.Length < Network.OutputCount)
            throw new ArgumentException($"The logits buffer holds {logits.Length} values; the network has {Network.OutputCount} outputs.", nameof(logits));
        var ws = _singleRow.Rent();
        try
        {
            LoadInput(ws, features, 1);
            Network.Forward(ws, 1);
            CheckOutputsFinite(ws, features, 0, 1);
            WriteOutputs(ws, features, 0, 1, outputs);
            if (!logits.IsEmpty) ws.OutputLogits.AsSpan(0, Network.OutputCount).CopyTo(logits);
        }
        finally
        {
            _singleRow.Return(ws);
        }
    }

    /// <summary>Predicts many raw rows (row-major, a multiple of <see cref="FeatureCount"/> values) into <paramref name="outputs"/> (rows × <see cref="OutputCount"/>).</summary>
    public void PredictBatch(ReadOnlySpan<float> rows, Span<float> outputs)
    {
        if (rows.Length % FeatureCount != 0)
            throw new ArgumentException($"{rows.Length} values do not make whole rows of {FeatureCount} features.", nameof(rows));
        int count = rows.Length / FeatureCount;
        CheckOutputs(outputs.Length, count);
        var ws = _batch.Rent();
        try
        {
            for (int start = 0; start < count; start += _chunkRows)
            {
                int n = ForwardChunk(ws, rows, start, count);
                WriteOutputs(ws, rows.Slice(start * FeatureCount, n * FeatureCount), start, n, outputs.Slice(start * OutputCount, n * OutputCount));
            }
        }
        finally
        {
            _batch.Return(ws);
        }
    }

    /// <summary>
    /// Predictions for every row of <paramref name="data"/>, rows × <see cref="OutputCount"/>. When both the data and the model
    /// name their features, columns are matched by name (in any order, as a pandas user expects); a feature the data lacks, or a
    /// column the model does not know, is refused naming it, as scikit-learn does. Data without names is read by position.
    /// </summary>
    public float[] PredictBatch(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var outputs = new float[data.Rows * OutputCount];
        PredictBatch(FeaturesInModelOrder(data), outputs);
        return outputs;
    }

    /// <summary>The predicted class index of one raw row (argmax of the probabilities; ties go to the lower index).</summary>
    public int PredictClass(ReadOnlySpan<float> features)
    {
        if (!IsClassifier) throw new InvalidOperationException("A regression model predicts values, not classes; use Predict.");
        Span<float> probabilities = stackalloc float[OutputCount];
        Predict(features, probabilities);
        return ArgMax(probabilities);
    }

    /// <summary>One row's prediction as an object: outputs, and for classifiers the class, its label and its probability.</summary>
    public Prediction PredictRow(ReadOnlySpan<float> features)
    {
        var outputs = new float[OutputCount];
        Predict(features, outputs);
        if (!IsClassifier) return new Prediction(outputs, -1, null, float.NaN);
        int c = ArgMax(outputs);
        return new Prediction(outputs, c, ClassNames![c], outputs[c]);
    }

    /// <summary>
    /// The activations of layer <paramref name="layer"/> (0 = first hidden layer; the last index is the output layer before any
    /// class mapping, and before <see cref="TargetScaler"/> maps it to the targets' units) for raw rows: rows × units, row-major. Use it to plot what each hidden unit responds to.
    /// </summary>
    public float[] LayerActivations(int layer, ReadOnlySpan<float> rows)
    {
        if ((uint)layer >= (uint)Network.Layers.Count)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"The network has layers 0..{Network.Layers.Count - 1}.");
        if (rows.Length % FeatureCount != 0)
            throw new ArgumentException($"{rows.Length} values do not make whole rows of {FeatureCount} features.", nameof(rows));
        int count = rows.Length / FeatureCount, units = Network.Layers[layer].Units;
        var result = new float[count * units];
        var ws = _batch.Rent();
        try
        {
            for (int start = 0; start < count; start += _chunkRows)
            {
                int n = ForwardChunk(ws, rows, start, count);
                ws.A[layer].AsSpan(0, n * units).CopyTo(result.AsSpan(start * units));
            }
        }
        finally
        {
            _batch.Return(ws);
        }
        return result;
    }

    /// <summary>Accuracy, log-loss, confusion matrix, per-class and averaged precision/recall/F1 (and AUC for two classes) on labelled data.</summary>
    public ClassificationMetrics EvaluateClassification(Dataset data)
    {
        if (!IsClassifier) throw new InvalidOperationException("This is a regression model; use EvaluateRegression.");
        CheckSameClasses(data);
        float[] probabilities = PredictBatch(data);
        var truth = new int[data.Rows];
        for (int i = 0; i < truth.Length; i++) truth[i] = (int)data.Labels[i];
        return ClassificationMetrics.Compute(truth, probabilities, OutputCount, ClassNames, data.Weights);
    }

    /// <summary>MSE, RMSE, MAE and R² on labelled data.</summary>
    public RegressionMetrics EvaluateRegression(Dataset data)
    {
        if (IsClassifier) throw new InvalidOperationException("This is a classification model; use EvaluateClassification.");
        if (data.LabelWidth != OutputCount)
            throw new ArgumentException($"The data has {data.LabelWidth} targets per row; the model predicts {OutputCount}.", nameof(data));
        return RegressionMetrics.Compute(data.Labels, PredictBatch(data), OutputCount);
    }

    /// <summary>Saves the model to <paramref name="path"/> (written to a temporary file, then renamed, so no half-written file is ever left).</summary>
    public void Save(string path) => ModelFile.Save(this, path);

    /// <summary>Writes the model as an ONNX file for other runtimes (atomically, like <see cref="Save"/>); see <see cref="Serialization.Onnx.OnnxExporter"/>.</summary>
    public void SaveOnnx(string path) => Serialization.Onnx.OnnxExporter.Save(this, path);

    /// <summary>Loads a model saved by <see cref="Save"/>; a damaged or foreign file raises <see cref="ModelFormatException"/>.</summary>
    public static NeuralNetworkModel Load(string path) => ModelFile.Load(path);

    internal static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    /// <summary>
    /// <paramref name="data"/>'s features with the model's columns in the model's order: the data's own array when the names agree
    /// or either side has none, else a copy gathered by name. The one place a data set's columns are matched to the model's.
    /// </summary>
    private float[] FeaturesInModelOrder(Dataset data)
    {
        if (IsPositional(data.FeatureNames) || IsPositional(FeatureNames) || data.FeatureNames.SequenceEqual(FeatureNames, StringComparer.Ordinal))
        {
            if (data.Columns != FeatureCount)
                throw new ArgumentException($"The data has {data.Columns} feature columns; the model expects {FeatureCount} ({string.Join(", ", FeatureNames)}).", nameof(data));
            return data.Features;
        }
        var column = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int j = 0; j < data.Columns; j++)
            if (!column.TryAdd(data.FeatureNames[j], j))
                throw new ArgumentException($"The data names two feature columns '{data.FeatureNames[j]}' (columns {column[data.FeatureNames[j]]} and {j}); columns are matched to the model's by name.", nameof(data));
        var missing = FeatureNames.Where(name => !column.ContainsKey(name)).ToList();
        var unknown = data.FeatureNames.Except(FeatureNames, StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || unknown.Count > 0)
        {
            var problems = new List<string>();
            if (missing.Count > 0) problems.Add($"missing {Quoted(missing)}");
            if (unknown.Count > 0) problems.Add($"{Quoted(unknown)} {(unknown.Count == 1 ? "is" : "are")} not among the model's features (leave {(unknown.Count == 1 ? "it" : "them")} out)");
            throw new ArgumentException($"The data's feature columns do not match the model's: {string.Join("; ", problems)}. The model reads {Quoted(FeatureNames)}, matched by name in any order.", nameof(data));
        }
        // The same names in another order: each row's model column j comes from the data's column source[j].
        int[] source = FeatureNames.Select(name => column[name]).ToArray();
        var features = new float[data.Rows * FeatureCount];
        for (int r = 0; r < data.Rows; r++)
        {
            ReadOnlySpan<float> from = data.Row(r);
            Span<float> to = features.AsSpan(r * FeatureCount, FeatureCount);
            for (int j = 0; j < source.Length; j++) to[j] = from[source[j]];
        }
        return features;

        static string Quoted(IEnumerable<string> names) => string.Join(", ", names.Select(name => $"'{name}'"));
    }

    /// <summary>
    /// Whether <paramref name="names"/> are the stand-ins given where no names exist, which say nothing about the columns:
    /// f0, f1, … (a data set or model built without names) or Column0, Column1, … (<see cref="CsvLoader"/> on a file without a header).
    /// </summary>
    private static bool IsPositional(IReadOnlyList<string> names)
    {
        for (int j = 0; j < names.Count; j++)
            if (names[j] != $"f{j}" && names[j] != $"Column{j}") return false;
        return true;
    }

    private void CheckSameClasses(Dataset data)
    {
        if (data.ClassNames is null || !data.ClassNames.SequenceEqual(ClassNames!))
            throw new ArgumentException($"The data's classes ({(data.ClassNames is null ? "none" : string.Join(", ", data.ClassNames))}) differ from the model's ({string.Join(", ", ClassNames!)}); load test data with the model's class names.", nameof(data));
    }

    private void CheckRow(ReadOnlySpan<float> features, int row)
    {
        if (features.Length != FeatureCount)
            throw new ArgumentException($"Row {row} has {features.Length} features; the model expects {FeatureCount} ({string.Join(", ", FeatureNames)}).", nameof(features));
        // A NaN or infinity makes the sum non-finite, so one vectorised sum clears the common case; only a non-finite sum
        // (a bad value, or a harmless overflow) needs the element-wise search.
        if (float.IsFinite(System.Numerics.Tensors.TensorPrimitives.Sum(features))) return;
        for (int j = 0; j < features.Length; j++)
            if (!float.IsFinite(features[j]))
                throw new ArgumentException($"Row {row}, feature '{FeatureNames[j]}' is {features[j]}; the model needs finite values.", nameof(features));
    }

    private void CheckOutputs(int length, int rows)
    {
        if (length < rows * OutputCount)
            throw new ArgumentException($"The output buffer holds {length} values; {rows} row(s) need {rows * OutputCount}.", "outputs");
    }

    /// <summary>Checks, scales and runs the chunk of rows starting at <paramref name="start"/> through the network; returns its row count.</summary>
    private int ForwardChunk(Workspace ws, ReadOnlySpan<float> rows, int start, int count)
    {
        int n = Math.Min(_chunkRows, count - start);
        ReadOnlySpan<float> chunk = rows.Slice(start * FeatureCount, n * FeatureCount);
        if (Scaler is null)
        {
            Network.Forward(ws, chunk, n, _threads);
            // A NaN or infinite input makes every pre-activation of its row in the first layer non-finite (x·w is ±∞ or NaN
            // for any weight, and a sum with one such term stays so), so checking Z, which is in cache, clears the chunk
            // without a second pass over the inputs from memory; only a non-finite Z needs the row-by-row search.
            if (!float.IsFinite(System.Numerics.Tensors.TensorPrimitives.Sum(ws.Z[0].AsSpan(0, n * Network.Layers[0].Units))))
                CheckRows(chunk, start, n);
        }
        else
        {
            CheckRows(chunk, start, n);
            LoadInput(ws, chunk, n);
            Network.Forward(ws, n, _threads);
        }
        CheckOutputsFinite(ws, chunk, start, n);
        return n;
    }

    /// <summary>
    /// Refuses a row of finite features that drove the network past float's range: 3e38 standardised is ∞, and ∞ − ∞ further on
    /// is NaN, which must never be handed out (nor a class label beside it). The outputs are in cache and few, so one sum clears
    /// the chunk; only a non-finite sum (a bad output, or a harmless overflow of the sum) needs the row-by-row search.
    /// </summary>
    private void CheckOutputsFinite(Workspace ws, ReadOnlySpan<float> rows, int start, int n)
    {
        int width = Network.OutputCount;
        if (float.IsFinite(System.Numerics.Tensors.TensorPrimitives.Sum(ws.Output.AsSpan(0, n * width)))) return;
        for (int r = 0; r < n; r++)
        {
            ReadOnlySpan<float> output = ws.Output.AsSpan(r * width, width);
            foreach (float value in output)
                if (!float.IsFinite(value)) throw Overflowed(rows.Slice(r * FeatureCount, FeatureCount), start + r, value);
        }
    }

    /// <summary>The error for a finite row whose output is <paramref name="output"/>, naming the feature furthest outside the training data.</summary>
    private ArgumentException Overflowed(ReadOnlySpan<float> row, int index, float output)
    {
        var scaled = row.ToArray();
        Scaler?.Transform(row, scaled);
        int worst = System.Numerics.Tensors.TensorPrimitives.IndexOfMaxMagnitude(scaled);
        return new ArgumentException(
            $"Row {index}: its features are finite, but feature '{FeatureNames[worst]}' = {row[worst]}{(Scaler is null ? "" : $" (scaled {scaled[worst]})")} " +
            $"is so far outside the training data that the network's output overflowed to {output}; the model cannot answer for it.", "features");
    }

    private void CheckRows(ReadOnlySpan<float> chunk, int start, int n)
    {
        for (int r = 0; r < n; r++) CheckRow(chunk.Slice(r * FeatureCount, FeatureCount), start + r);
    }

    private void LoadInput(Workspace ws, ReadOnlySpan<float> rows, int count)
    {
        Span<float> input = ws.Input.AsSpan(0, count * FeatureCount);
        if (Scaler is null) rows.CopyTo(input);
        else Scaler.TransformRows(rows, input);
    }

    /// <summary>
    /// The outputs of <paramref name="rows"/> rows (the raw ones in <paramref name="inputs"/>, the first being row
    /// <paramref name="start"/>): class probabilities, or targets mapped back to their units, which a finite network output far
    /// outside the training data can still overflow, so they are checked as the network's outputs were.
    /// </summary>
    private void WriteOutputs(Workspace ws, ReadOnlySpan<float> inputs, int start, int rows, Span<float> outputs)
    {
        ReadOnlySpan<float> net = ws.Output.AsSpan(0, rows * Network.OutputCount);
        if (TargetScaler is not null)
        {
            Span<float> values = outputs[..net.Length];
            TargetScaler.InverseTransformRows(net, values);
            if (float.IsFinite(System.Numerics.Tensors.TensorPrimitives.Sum(values))) return;
            for (int r = 0; r < rows; r++)
                foreach (float value in values.Slice(r * OutputCount, OutputCount))
                    if (!float.IsFinite(value)) throw Overflowed(inputs.Slice(r * FeatureCount, FeatureCount), start + r, value);
            return;
        }
        if (Task != TaskKind.BinaryClassification)
        {
            net.CopyTo(outputs);
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            outputs[2 * r] = 1f - net[r];
            outputs[2 * r + 1] = net[r];
        }
    }
}

/// <summary>One row's prediction: the outputs and, for classifiers, the winning class.</summary>
/// <param name="Outputs">Class probabilities (classification) or targets (regression).</param>
/// <param name="ClassIndex">The predicted class, or −1 for regression.</param>
/// <param name="Label">The predicted class's original label, or null for regression.</param>
/// <param name="Probability">The predicted class's probability, or NaN for regression.</param>
public sealed record Prediction(float[] Outputs, int ClassIndex, string? Label, float Probability);

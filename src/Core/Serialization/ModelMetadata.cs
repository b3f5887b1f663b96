using System.Text.Json;
using System.Text.Json.Serialization;
using MLNetNN.Activations;
using MLNetNN.Data;
using MLNetNN.Layers;
using MLNetNN.Models;
using MLNetNN.Networks;
using MLNetNN.Training;

namespace MLNetNN.Serialization;

/// <summary>
/// The JSON part of a model file (everything but the weights), and the rules a model must follow to be written or read:
/// the reader applies them to what it finds, the writer to what it is given, so a file that was written always reads back.
/// </summary>
internal sealed class ModelMetadata
{
    public NeuralNetworkOptions? Options { get; set; }
    public int InputCount { get; set; }
    /// <summary>An image input's shape (format version 3 on); null for a flat input of <see cref="InputCount"/> values.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LayerShape? InputShape { get; set; }
    public LayerRecord?[]? Layers { get; set; }
    public string?[]? ClassNames { get; set; }
    public string?[]? FeatureNames { get; set; }
    public ScalerRecord? Scaler { get; set; }
    /// <summary>Regression models trained on scaled targets (format version 2 on); null otherwise.</summary>
    public ScalerRecord? TargetScaler { get; set; }
    public HistoryRecord?[]? History { get; set; }

    /// <summary>The format version the metadata came from, or are written in (the lowest that holds the model; see <see cref="Of"/>).</summary>
    [JsonIgnore]
    public uint Version { get; set; } = ModelFile.FormatVersion;

    /// <summary>
    /// Enums are written and read as their names only: a number or a comma-separated list (which the standard converter accepts)
    /// could name a value the enum does not define.
    /// </summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        Converters = { new EnumNames() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>
    /// The metadata of <paramref name="model"/>, for the lowest format version that holds it: version 2 for a network of dense
    /// layers on a flat input declared by <see cref="NeuralNetworkOptions.HiddenLayers"/> (so earlier MLNetNN versions still read
    /// it), version 3 otherwise. Histories keep no timings, so two runs with the same seed give the same bytes.
    /// </summary>
    public static ModelMetadata Of(NeuralNetworkModel model)
    {
        var network = model.Network;
        uint version = model.Options.Layers is null && model.Options.InputShape is null && !network.InputShape.IsImage
            && network.Layers.All(l => l.Kind == LayerKind.Dense) ? 2u : ModelFile.FormatVersion;
        return new()
        {
            Version = version,
            Options = model.Options,
            InputCount = network.InputCount,
            InputShape = network.InputShape.IsImage ? network.InputShape : null,
            Layers = network.Specs().Select(s => LayerRecord.Of(s, version)).ToArray(),
            ClassNames = model.ClassNames?.ToArray(),
            FeatureNames = model.FeatureNames.ToArray(),
            Scaler = model.Scaler is null ? null : new ScalerRecord(model.Scaler.Kind, model.Scaler.Offset.ToArray(), model.Scaler.Scale.ToArray()),
            TargetScaler = model.TargetScaler is null ? null : new ScalerRecord(model.TargetScaler.Kind, model.TargetScaler.Offset.ToArray(), model.TargetScaler.Scale.ToArray()),
            History = model.History.Select(e => new HistoryRecord(e.Epoch, e.MaxEpochs, e.TrainLoss, e.ValidationLoss, e.TrainMetric, e.ValidationMetric, e.MetricName, e.LearningRate)).ToArray(),
        };
    }

    /// <summary>
    /// The number of floats the architecture needs (its parameters, then its layers' state), once every field has been checked;
    /// the network is not built, so a hostile architecture costs nothing. Counts are checked in 64 bits: a 32-bit count wraps
    /// (65,535 inputs × 65,536 units is 2³², i.e. 0).
    /// </summary>
    /// <exception cref="InvalidDataException">A field is missing, out of range, or contradicts another.</exception>
    public long CheckedParameterCount()
    {
        var options = Options ?? throw Problem("the metadata has no Options.");
        if (Layers is null || Layers.Length == 0) throw Problem("the metadata has no Layers.");
        if (Version == 1)
        {
            // Version 1 predates target scaling: its models predict their network's outputs, and their options say so once read.
            if (TargetScaler is not null) throw Problem("a version-1 file has no TargetScaler; target scalers came with version 2.");
            if (options.TargetScaling is null) Options = options = options with { TargetScaling = ScalingKind.None };
        }
        if (Version < 3 && InputShape is not null) throw Problem($"a version-{Version} file has no InputShape; image inputs came with version 3.");
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw Problem($"the options are invalid: {e.Message}");
        }
        if (InputCount < 1) throw Problem($"InputCount is {InputCount}; a network has at least one input.");
        if (InputShape is { } shape && shape.Size != InputCount) throw Problem($"the InputShape {shape} holds {shape.Size} values; InputCount is {InputCount}.");
        var specs = new LayerSpec[Layers.Length];
        for (int l = 0; l < Layers.Length; l++)
            specs[l] = (Layers[l] ?? throw Problem($"layer {l + 1} is null.")).Spec(l, Version);
        int parameters, state;
        try
        {
            _ = NeuralNetwork.CreateLayers(NetworkInputShape, specs, out parameters, out state);
        }
        catch (ArgumentException e)
        {
            throw Problem($"the layers cannot be built: {e.Message}");
        }
        CheckLayersAgainstOptions(options, specs);
        CheckNames(options.Task, specs[^1].Units);
        CheckTargetScaler(options, specs[^1].Units);
        CheckClassWeights(options);
        if (History is not null)
            for (int i = 0; i < History.Length; i++)
                if (History[i]?.MetricName is null) throw Problem($"History[{i}] is null or has no metric name.");
        return (long)parameters + state;
    }

    /// <summary>The shape of one example: <see cref="InputShape"/>, or a flat vector of <see cref="InputCount"/> values.</summary>
    private LayerShape NetworkInputShape => InputShape ?? LayerShape.Flat(InputCount);

    /// <summary>
    /// The layers must be the ones the options describe, as the trainers build them: the hidden layers the options list, with
    /// their activation, then the output layer of the task (a multiclass network with an identity output would return
    /// "probabilities" that do not sum to one).
    /// </summary>
    private static void CheckLayersAgainstOptions(NeuralNetworkOptions options, LayerSpec[] layers)
    {
        var hidden = options.EffectiveHiddenLayers;
        bool same = layers.Length == hidden.Count + 1;
        // α is left out: a leaky ReLU's default α is written out by the network, while the options may leave it unset.
        for (int l = 0; same && l < hidden.Count; l++) same = (layers[l] with { Alpha = null }) == (hidden[l] with { Alpha = null });
        if (!same)
            throw Problem($"the layers ({string.Join(", ", layers[..^1].Select(l => l.ToString()))}, then the output layer) are not those the options describe " +
                $"({(options.Layers is null ? $"hidden layers [{string.Join(", ", options.HiddenLayers)}] of {options.HiddenActivation}" : LayerText.Format(options.Layers))}, then the output layer).");
        if (layers[^1].Kind != LayerKind.Dense) throw Problem($"the output layer is a {layers[^1].Kind} layer; the task's output layer is dense.");
        var output = layers[^1].Activation;
        var expected = options.Task switch
        {
            // The perceptron (PerceptronTrainer) marks its step output with a step "hidden" activation and no hidden layer.
            TaskKind.BinaryClassification => options.HiddenActivation == ActivationKind.Step ? ActivationKind.Step : ActivationKind.Sigmoid,
            TaskKind.MulticlassClassification => ActivationKind.Softmax,
            _ => options.RegressionOutputActivation ?? ActivationKind.Identity,
        };
        if (output != expected) throw Problem($"the output activation is {output}; a {options.Task} model with these options has {expected}.");
    }

    private void CheckNames(TaskKind task, int outputs)
    {
        if (task == TaskKind.Regression)
        {
            if (ClassNames is not null) throw Problem("a regression model has no class names.");
        }
        else
        {
            if (ClassNames is null) throw Problem($"a {task} model needs its class names.");
            int classes = task == TaskKind.BinaryClassification ? 2 : outputs;
            if (ClassNames.Length != classes || classes < 2)
                throw Problem($"{ClassNames.Length} class names for a {task} model with {outputs} outputs.");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < ClassNames.Length; i++)
            {
                if (string.IsNullOrEmpty(ClassNames[i])) throw Problem($"class name {i} is {(ClassNames[i] is null ? "null" : "empty")}.");
                if (!seen.Add(ClassNames[i]!)) throw Problem($"the class name '{ClassNames[i]}' appears twice.");
            }
        }
        if (FeatureNames is not null)
        {
            if (FeatureNames.Length != InputCount) throw Problem($"{FeatureNames.Length} feature names for {InputCount} inputs.");
            int missing = Array.IndexOf(FeatureNames, null);
            if (missing >= 0) throw Problem($"feature name {missing} is null.");
        }
        if (Scaler is not null && (Scaler.Offset?.Length != InputCount || Scaler.Scale?.Length != InputCount))
            throw Problem($"the scaler has {Scaler.Offset?.Length ?? 0} offsets and {Scaler.Scale?.Length ?? 0} scales for {InputCount} inputs.");
    }

    /// <summary>
    /// A target scaler exactly when the options scale the targets, of the kind they name, with a finite offset and a positive scale
    /// with a finite reciprocal per output (the model maps outputs back by dividing by it).
    /// </summary>
    private void CheckTargetScaler(NeuralNetworkOptions options, int outputs)
    {
        var scaling = options.EffectiveTargetScaling;
        if (scaling == ScalingKind.None)
        {
            if (TargetScaler is not null) throw Problem($"the file holds a TargetScaler, but the options of this {options.Task} model scale no targets.");
            return;
        }
        var record = TargetScaler ?? throw Problem($"the options scale the targets ({scaling}), but the file holds no TargetScaler.");
        var kind = scaling == ScalingKind.Standardize ? ScalerKind.Standardization : ScalerKind.MinMax;
        if (record.Kind != kind) throw Problem($"the TargetScaler is {record.Kind}; the options scale the targets by {scaling}.");
        if (record.Offset?.Length != outputs || record.Scale?.Length != outputs)
            throw Problem($"the TargetScaler has {record.Offset?.Length ?? 0} offsets and {record.Scale?.Length ?? 0} scales for {outputs} outputs.");
        for (int j = 0; j < outputs; j++)
        {
            if (!float.IsFinite(record.Offset[j])) throw Problem($"the TargetScaler's offset {j} is {record.Offset[j]}; expected a finite number.");
            if (!(record.Scale[j] > 0f) || !float.IsFinite(record.Scale[j]) || !float.IsFinite(1f / record.Scale[j]))
                throw Problem($"the TargetScaler's scale {j} is {record.Scale[j]}; expected a positive number with a finite reciprocal.");
        }
    }

    /// <summary>A class-weight map names only the model's classes (the options' own rules checked the weights).</summary>
    private void CheckClassWeights(NeuralNetworkOptions options)
    {
        if (options.ClassWeights is null) return;
        foreach (string name in options.ClassWeights.Keys)
            if (Array.IndexOf(ClassNames!, name) < 0) throw Problem($"ClassWeights names the class '{name}', which the model does not have.");
    }

    /// <summary>The target scaler these metadata describe, or null.</summary>
    public FeatureScaler? BuildTargetScaler() => TargetScaler is { } s ? new FeatureScaler(s.Kind, s.Offset!, s.Scale!) : null;

    /// <summary>The scaler these metadata describe, or null.</summary>
    /// <exception cref="ArgumentException">An offset or scale is not finite.</exception>
    public FeatureScaler? BuildScaler() => Scaler is { } s ? new FeatureScaler(s.Kind, s.Offset!, s.Scale!) : null;

    /// <summary>The model these metadata describe, around <paramref name="network"/> (built by <see cref="BuildNetwork"/>) and the scalers.</summary>
    public NeuralNetworkModel Model(NeuralNetwork network, FeatureScaler? scaler, FeatureScaler? targetScaler)
    {
        var history = History?.Select(h => new EpochRecord(h!.Epoch, h.MaxEpochs, h.TrainLoss, h.ValidationLoss, h.TrainMetric, h.ValidationMetric,
            h.MetricName!, h.LearningRate, h.Duration, h.Elapsed)).ToArray();
        return new NeuralNetworkModel(network, Options!, ClassNames!, FeatureNames!, scaler, history, targetScaler);
    }

    /// <summary>The architecture, for building the network (after <see cref="CheckedParameterCount"/>).</summary>
    public NeuralNetwork BuildNetwork() => new(NetworkInputShape, Layers!.Select((l, i) => l!.Spec(i, Version)).ToArray());

    private static InvalidDataException Problem(string problem) => new(problem);

    /// <summary>
    /// One layer as stored. Up to version 2 every layer is dense (Units, Activation, Alpha). From version 3 a layer names its
    /// <see cref="Kind"/> and carries only its kind's fields: dense its Units, Activation and Alpha, dropout its Rate, batch
    /// normalisation its Momentum and Epsilon, flatten nothing, convolution its Units (filters), Activation, Alpha, Size (kernel),
    /// Stride and Padding, max pooling its Size, Stride and Padding.
    /// </summary>
    internal sealed record LayerRecord
    {
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public LayerKind? Kind { get; init; }
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? Units { get; init; }
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ActivationKind? Activation { get; init; }
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public float? Alpha { get; init; }
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public float? Rate { get; init; }
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public float? Momentum { get; init; }
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public float? Epsilon { get; init; }
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? Size { get; init; }
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? Stride { get; init; }
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Numerics.Padding? Padding { get; init; }

        /// <summary>The record of <paramref name="spec"/> in a file of <paramref name="version"/> (which names no kind before version 3).</summary>
        public static LayerRecord Of(LayerSpec spec, uint version) => spec.Kind switch
        {
            LayerKind.Dense => new() { Kind = version >= 3 ? spec.Kind : null, Units = spec.Units, Activation = spec.Activation, Alpha = spec.Alpha },
            LayerKind.Dropout => new() { Kind = spec.Kind, Rate = spec.Rate },
            LayerKind.BatchNormalization => new() { Kind = spec.Kind, Momentum = spec.Momentum, Epsilon = spec.Epsilon },
            LayerKind.Convolution => new()
            {
                Kind = spec.Kind, Units = spec.Units, Activation = spec.Activation, Alpha = spec.Alpha, Size = spec.Size, Stride = spec.Stride, Padding = spec.Padding,
            },
            LayerKind.MaxPooling => new() { Kind = spec.Kind, Size = spec.Size, Stride = spec.Stride, Padding = spec.Padding },
            _ => new() { Kind = spec.Kind },
        };

        /// <summary>The layer this record describes, layer <paramref name="index"/> of a file of <paramref name="version"/>; its settings' ranges are checked when it is built.</summary>
        public LayerSpec Spec(int index, uint version)
        {
            var kind = Kind ?? LayerKind.Dense;
            if (version < 3 && Kind is not null) throw Problem($"layer {index + 1} names a Kind; a version-{version} file holds dense layers only (layer kinds came with version 3).");
            bool dense = kind is LayerKind.Dense or LayerKind.Convolution;
            if (dense != (Units is not null) || dense != (Activation is not null) || (!dense && Alpha is not null))
                throw Problem($"layer {index + 1} ({kind}) {(dense ? "needs Units and Activation" : "has no Units, Activation or Alpha")}.");
            bool window = kind is LayerKind.Convolution or LayerKind.MaxPooling;
            if (window != (Size is not null) || window != (Stride is not null) || window != (Padding is not null))
                throw Problem($"layer {index + 1} ({kind}) {(window ? "needs a Size, a Stride and a Padding" : "has no Size, Stride or Padding")}.");
            if ((kind == LayerKind.Dropout) != (Rate is not null))
                throw Problem($"layer {index + 1} ({kind}) {(kind == LayerKind.Dropout ? "needs a Rate" : "has no Rate")}.");
            bool normalization = kind == LayerKind.BatchNormalization;
            if (normalization != (Momentum is not null) || normalization != (Epsilon is not null))
                throw Problem($"layer {index + 1} ({kind}) {(normalization ? "needs a Momentum and an Epsilon" : "has no Momentum or Epsilon")}.");
            return kind switch
            {
                LayerKind.Dense => LayerSpec.Dense(Units!.Value, Activation!.Value, Alpha),
                LayerKind.Dropout => LayerSpec.Dropout(Rate!.Value),
                LayerKind.BatchNormalization => LayerSpec.BatchNormalization(Momentum!.Value, Epsilon!.Value),
                LayerKind.Convolution => LayerSpec.Convolution(Units!.Value, Size!.Value, Stride!.Value, Padding!.Value, Activation!.Value, Alpha),
                LayerKind.MaxPooling => LayerSpec.MaxPooling(Size!.Value, Stride!.Value, Padding!.Value),
                _ => new LayerSpec(0, ActivationKind.Identity) { Kind = kind },
            };
        }
    }

    internal sealed record ScalerRecord(ScalerKind Kind, float[]? Offset, float[]? Scale);

    /// <summary>An epoch of the history as stored: no timings, since they differ from run to run (a history read back has them null, unknown).</summary>
    internal sealed record HistoryRecord(int Epoch, int MaxEpochs, double TrainLoss, double? ValidationLoss, double TrainMetric, double? ValidationMetric, string? MetricName, float LearningRate)
    {
        /// <summary>Read from files written before timings were dropped (still format version 1); never written.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public TimeSpan? Duration { get; init; }

        /// <summary>As <see cref="Duration"/>.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public TimeSpan? Elapsed { get; init; }
    }

    /// <summary>Every enum as the name of one of its values, and nothing else.</summary>
    private sealed class EnumNames : JsonConverterFactory
    {
        public override bool CanConvert(Type type) => type.IsEnum;

        public override JsonConverter CreateConverter(Type type, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(Names<>).MakeGenericType(type))!;

        private sealed class Names<T> : JsonConverter<T> where T : struct, Enum
        {
            public override T Read(ref Utf8JsonReader reader, Type type, JsonSerializerOptions options)
            {
                string? name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                if (name is not null && Array.IndexOf(Enum.GetNames<T>(), name) >= 0) return Enum.Parse<T>(name);
                throw new JsonException($"{(name is null ? $"a {reader.TokenType}" : $"'{name}'")} is not a {typeof(T).Name} (expected one of {string.Join(", ", Enum.GetNames<T>())}).");
            }

            public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
                writer.WriteStringValue(Enum.GetName(value) ?? throw new JsonException($"{value} is not a {typeof(T).Name}."));
        }
    }
}

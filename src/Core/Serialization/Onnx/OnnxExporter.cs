using System.Globalization;
using System.Text.Json;
using MLNetNN.IO;
using MLNetNN.Layers;
using MLNetNN.Models;
using MLNetNN.Training;

namespace MLNetNN.Serialization.Onnx;

/// <summary>
/// Writes a trained <see cref="NeuralNetworkModel"/> as an ONNX model (see docs/onnx.md) that computes what the model's
/// <c>Predict</c> computes on raw rows: the scaler, every layer and its activation, and the task's outputs.
/// </summary>
/// <remarks>
/// The graph takes <see cref="InputName"/>, float [N, features], with N free. Classifiers give <see cref="ProbabilitiesOutput"/>
/// [N, classes], <see cref="PredictedClassOutput"/> (int64 [N], ties to the lower index as the engine) and
/// <see cref="PredictedLabelOutput"/> (the class names, string [N]); binary models also give <see cref="ProbabilityOutput"/>
/// [N, 1], the probability of the second class. Regression models give <see cref="ValueOutput"/> [N, targets] in the targets'
/// units. Unlike the engine, the graph cannot refuse a NaN or infinite feature: its outputs for such a row are not numbers.
/// </remarks>
public static class OnnxExporter
{
    /// <summary>The ONNX operator set (default domain) the graph is written against.</summary>
    public const int Opset = 17;

    /// <summary>The ONNX IR version of the file: 8, the one that goes with operator set 17.</summary>
    public const int IrVersion = 8;

    /// <summary>The input: raw (unscaled) features, float [N, features].</summary>
    public const string InputName = "features";

    /// <summary>Binary models: the probability of the second class (<c>ClassNames[1]</c>), float [N, 1].</summary>
    public const string ProbabilityOutput = "probability";

    /// <summary>Classifiers: the probability of each class, float [N, classes].</summary>
    public const string ProbabilitiesOutput = "probabilities";

    /// <summary>Classifiers: the index of the most probable class, int64 [N].</summary>
    public const string PredictedClassOutput = "predicted_class";

    /// <summary>Classifiers: the name of the most probable class, string [N].</summary>
    public const string PredictedLabelOutput = "predicted_label";

    /// <summary>Regression models: the predicted targets in their own units, float [N, targets].</summary>
    public const string ValueOutput = "value";

    /// <summary>The symbolic batch dimension of the input and outputs.</summary>
    public const string BatchDimension = "N";

    /// <summary>Metadata key: the features in input order, a JSON array of strings.</summary>
    public const string FeatureNamesKey = "feature_names";

    /// <summary>Metadata key: the class names in output order, a JSON array of strings (classifiers only).</summary>
    public const string ClassNamesKey = "class_names";

    /// <summary>Metadata key: the <see cref="TaskKind"/> name.</summary>
    public const string TaskKey = "task";

    /// <summary>Metadata key: the layers as in the model summary, e.g. <c>4-16(ReLU)-3(Softmax)</c>.</summary>
    public const string ArchitectureKey = "architecture";

    /// <summary>Metadata key: the feature scaling folded into the graph (<c>Standardization</c>, <c>MinMax</c> or <c>None</c>).</summary>
    public const string ScalerKey = "scaler";

    /// <summary>Metadata key (regression models with a target scaler): the target scaling folded into the graph (<c>Standardization</c> or <c>MinMax</c>).</summary>
    public const string TargetScalerKey = "target_scaler";

    private const string Producer = "MLNetNN";

    /// <summary>
    /// Writes <paramref name="model"/> as an ONNX file at <paramref name="path"/> through <see cref="AtomicFile"/>, so no
    /// half-written file is ever left.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist.</exception>
    /// <exception cref="NotSupportedException">The model uses something the exporter cannot express in ONNX (named in the message).</exception>
    public static void Save(NeuralNetworkModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var bytes = Serialize(model);
        AtomicFile.Write(path, bytes.CopyTo, "the ONNX model");
    }

    /// <summary>Writes <paramref name="model"/> as an ONNX model to <paramref name="stream"/>.</summary>
    /// <exception cref="NotSupportedException">The model uses something the exporter cannot express in ONNX (named in the message).</exception>
    public static void Write(NeuralNetworkModel model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        Serialize(model).CopyTo(stream);
    }

    private static ProtobufWriter Serialize(NeuralNetworkModel model)
    {
        // The whole model is built before anything is written, so a refusal leaves the stream or file untouched.
        var writer = new ProtobufWriter();
        Build(model).WriteTo(writer);
        return writer;
    }

    /// <summary>
    /// Writes <paramref name="model"/> as a graph for a host that runs one row at a time and takes its column names from the
    /// graph (ML.NET's <c>OnnxTransformer</c>): the input is named by <paramref name="layout"/> and holds one row, and the
    /// layout's outputs are added to the usual ones.
    /// </summary>
    internal static void WriteRowGraph(NeuralNetworkModel model, OnnxRowLayout layout, Stream stream)
    {
        var writer = new ProtobufWriter();
        Build(model, layout).WriteTo(writer);
        writer.CopyTo(stream);
    }

    internal static OnnxModel Build(NeuralNetworkModel model, OnnxRowLayout? row = null)
    {
        var graph = new OnnxGraphBuilder();
        string inputName = row?.InputName ?? InputName;
        string x = inputName;
        string logits = "";
        if (model.Scaler is { } scaler)
        {
            // The engine's (x − offset) · scale, with the same two float operations in the same order.
            string shifted = graph.Node("Sub", [x, graph.Constant("scaler.offset", scaler.Offset.ToArray(), scaler.Columns)], "scaler.shifted");
            x = graph.Node("Mul", [shifted, graph.Constant("scaler.scale", scaler.Scale.ToArray(), scaler.Columns)], "scaled_features");
        }

        var network = model.Network;
        // Images are NCHW in the graph, as ONNX's image operators take them; the engine stores them channels last (NHWC).
        if (network.InputShape.IsImage)
        {
            var shape = network.InputShape;
            string nhwc = graph.Node("Reshape", [x, graph.Constant("input.shape", [-1L, shape.Height, shape.Width, shape.Channels])], "input.nhwc");
            x = graph.Node("Transpose", [nhwc], "input.nchw", new OnnxAttribute("perm", Ints: [0, 3, 1, 2]));
        }
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            string name = $"layer{l + 1}";
            bool last = l == network.Layers.Count - 1;
            string output = last ? NetworkOutputName(model.Task) : $"{name}.a";
            switch (layer)
            {
                case DenseLayer:
                    // Gemm computes X·W + b with W stored inputs × units, exactly the engine's layout, so no transpose is needed.
                    string z = graph.Node("Gemm", [x,
                        graph.Constant($"{name}.W", network.Weights(l).ToArray(), layer.Inputs, layer.Units),
                        graph.Constant($"{name}.b", network.Biases(l).ToArray(), layer.Units)], $"{name}.z");
                    if (last) logits = z;
                    x = OnnxActivations.Append(graph, layer.Activation.Kind, layer.Activation.Alpha, z, output);
                    break;
                case DropoutLayer:
                    // Inference keeps every value: dropout is the identity.
                    x = graph.Node("Identity", [x], output);
                    break;
                case BatchNormalizationLayer normalization:
                    // ONNX's inference-mode BatchNormalization: (x − mean) / √(var + ε) · scale + B per channel (axis 1).
                    int channels = normalization.Channels;
                    var parameters = network.Biases(l);
                    var state = network.LayerState(l);
                    x = graph.Node("BatchNormalization", [x,
                        graph.Constant($"{name}.gamma", parameters[..channels].ToArray(), channels),
                        graph.Constant($"{name}.beta", parameters[channels..].ToArray(), channels),
                        graph.Constant($"{name}.running_mean", state[..channels].ToArray(), channels),
                        graph.Constant($"{name}.running_var", state[channels..].ToArray(), channels)], output,
                        new OnnxAttribute("epsilon", Float: normalization.Epsilon));
                    break;
                case ConvolutionLayer convolution:
                {
                    // ONNX's Conv takes W as filters × channels × kernel rows × kernel columns; the engine stores it (ky, kx, c) × filters.
                    var g = convolution.Geometry;
                    var stored = network.Weights(l);
                    var weights = new float[stored.Length];
                    for (int p = 0; p < g.PatchLength; p++)
                    {
                        int c = p % g.Channels, kx = p / g.Channels % g.WindowWidth, ky = p / g.Channels / g.WindowWidth;
                        for (int f = 0; f < convolution.Filters; f++)
                            weights[((f * g.Channels + c) * g.WindowHeight + ky) * g.WindowWidth + kx] = stored[p * convolution.Filters + f];
                    }
                    string convolved = graph.Node("Conv", [x,
                        graph.Constant($"{name}.W", weights, convolution.Filters, g.Channels, g.WindowHeight, g.WindowWidth),
                        graph.Constant($"{name}.b", network.Biases(l).ToArray(), convolution.Filters)], $"{name}.z", WindowAttributes(g));
                    x = OnnxActivations.Append(graph, layer.Activation.Kind, layer.Activation.Alpha, convolved, output);
                    break;
                }
                case MaxPoolingLayer pooling:
                    // ONNX's MaxPool never takes a padded position, as the engine's does not.
                    x = graph.Node("MaxPool", [x], output, WindowAttributes(pooling.Geometry));
                    break;
                case FlattenLayer when layer.InputShape.IsImage:
                    // Back to channels last first, so the flat values come in the engine's order.
                    string channelsLast = graph.Node("Transpose", [x], $"{name}.nhwc", new OnnxAttribute("perm", Ints: [0, 2, 3, 1]));
                    x = graph.Node("Flatten", [channelsLast], output, new OnnxAttribute("axis", Int: 1));
                    break;
                case FlattenLayer:
                    x = graph.Node("Identity", [x], output);
                    break;
                default:
                    throw new NotSupportedException($"Layer {l + 1} is a {layer.Kind} layer, which the ONNX exporter cannot write yet.");
            }
        }

        var outputs = model.Task switch
        {
            TaskKind.BinaryClassification => BinaryHead(graph, model, x),
            TaskKind.MulticlassClassification => ClassHead(graph, model, x),
            _ => RegressionHead(graph, model, x),
        };
        if (row is not null) outputs = [.. outputs, .. row.Append(graph, model, logits)];
        var input = new OnnxValueInfo(inputName, OnnxDataType.Float, [row is null ? BatchDimension : 1, model.FeatureCount],
            $"Raw features, one row per example, in this order: {string.Join(", ", model.FeatureNames)}.");
        var onnxGraph = new OnnxGraph("MLNetNN_" + model.Task, $"{model.Task} network {Architecture(model)}.", graph.Nodes, graph.Initializers, [input], outputs);
        string version = typeof(OnnxExporter).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        return new OnnxModel(IrVersion, Opset, Producer, version, $"An MLNetNN {model.Task} model; see docs/onnx.md.", onnxGraph, Metadata(model));
    }

    /// <summary>A window's side, strides and explicit padding (top, left, bottom, right), as Conv and MaxPool take them.</summary>
    private static OnnxAttribute[] WindowAttributes(Numerics.WindowGeometry g) =>
    [
        new("kernel_shape", Ints: [g.WindowHeight, g.WindowWidth]),
        new("strides", Ints: [g.StrideY, g.StrideX]),
        new("pads", Ints: [g.PadTop, g.PadLeft, g.PadBottom, g.PadRight]),
    ];

    /// <summary>Binary and multiclass networks end in the class probabilities; a regression network's output is the targets.</summary>
    private static string NetworkOutputName(TaskKind task) => task switch
    {
        TaskKind.BinaryClassification => ProbabilityOutput,
        TaskKind.MulticlassClassification => ProbabilitiesOutput,
        _ => "network_output",
    };

    /// <summary>
    /// The sigmoid unit is P(second class); as the engine does, P(first class) is 1 − p, and the two make the
    /// [N, 2] probabilities the class decision and label come from.
    /// </summary>
    private static OnnxValueInfo[] BinaryHead(OnnxGraphBuilder graph, NeuralNetworkModel model, string probability)
    {
        string complement = graph.Node("Sub", [graph.Constant("one", [1f]), probability], "probability.complement");
        string probabilities = graph.Node("Concat", [complement, probability], ProbabilitiesOutput, new OnnxAttribute("axis", Int: 1));
        return
        [
            new OnnxValueInfo(ProbabilityOutput, OnnxDataType.Float, [BatchDimension, 1], $"Probability of class '{model.ClassNames![1]}'."),
            .. ClassHead(graph, model, probabilities),
        ];
    }

    private static OnnxValueInfo[] ClassHead(OnnxGraphBuilder graph, NeuralNetworkModel model, string probabilities)
    {
        var classes = model.ClassNames!;
        // ArgMax keeps the first of equal maxima (select_last_index = 0), as the engine's ArgMax does.
        string predicted = graph.Node("ArgMax", [probabilities], PredictedClassOutput,
            new OnnxAttribute("axis", Int: 1), new OnnxAttribute("keepdims", Int: 0), new OnnxAttribute("select_last_index", Int: 0));
        graph.Node("Gather", [graph.Constant(ClassNamesKey, classes.ToArray()), predicted], PredictedLabelOutput, new OnnxAttribute("axis", Int: 0));
        return
        [
            new OnnxValueInfo(ProbabilitiesOutput, OnnxDataType.Float, [BatchDimension, classes.Count], $"Probability of each class: {string.Join(", ", classes)}."),
            new OnnxValueInfo(PredictedClassOutput, OnnxDataType.Int64, [BatchDimension], "Index of the most probable class."),
            new OnnxValueInfo(PredictedLabelOutput, OnnxDataType.String, [BatchDimension], "Name of the most probable class."),
        ];
    }

    /// <summary>
    /// The targets in their own units: with a target scaler, the network's outputs mapped back as the engine maps them
    /// (<c>y' / scale + offset</c>, the same two float operations in the same order); without one, the outputs themselves.
    /// </summary>
    private static OnnxValueInfo[] RegressionHead(OnnxGraphBuilder graph, NeuralNetworkModel model, string networkOutput)
    {
        if (model.TargetScaler is { } targets)
        {
            string unscaled = graph.Node("Div", [networkOutput, graph.Constant("target_scaler.scale", targets.Scale.ToArray(), targets.Columns)], "target_scaler.unscaled");
            graph.Node("Add", [unscaled, graph.Constant("target_scaler.offset", targets.Offset.ToArray(), targets.Columns)], ValueOutput);
        }
        else
        {
            graph.Node("Identity", [networkOutput], ValueOutput);
        }
        return [new OnnxValueInfo(ValueOutput, OnnxDataType.Float, [BatchDimension, model.OutputCount], "Predicted targets.")];
    }

    private static List<KeyValuePair<string, string>> Metadata(NeuralNetworkModel model)
    {
        var metadata = new List<KeyValuePair<string, string>>
        {
            new(TaskKey, model.Task.ToString()),
            new(FeatureNamesKey, JsonSerializer.Serialize(model.FeatureNames)),
            new(ArchitectureKey, Architecture(model)),
            new(ScalerKey, model.Scaler?.Kind.ToString() ?? "None"),
        };
        if (model.TargetScaler is not null) metadata.Add(new(TargetScalerKey, model.TargetScaler.Kind.ToString()));
        if (model.ClassNames is not null) metadata.Add(new(ClassNamesKey, JsonSerializer.Serialize(model.ClassNames)));
        return metadata;
    }

    /// <summary>
    /// Dense layers' widths and activations, other layers in their text form (<c>4-16(ReLU)-dropout0.5-3(Softmax)</c>); in the
    /// invariant culture, so a file's metadata does not depend on where it was written.
    /// </summary>
    private static string Architecture(NeuralNetworkModel model) => string.Join("-", model.Network.Layers
        .Select(l => l.Kind != LayerKind.Dense ? l.ToSpec().ToString() : string.Create(CultureInfo.InvariantCulture, $"{l.Units}({l.Activation})"))
        .Prepend(model.Network.InputShape.ToString()));
}

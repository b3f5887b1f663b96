using MLNetNN.Models;
using MLNetNN.Training;

namespace MLNetNN.Serialization.Onnx;

/// <summary>
/// The input name and extra outputs of a graph for a host that runs one row at a time and takes its column names and types
/// from the graph, as ML.NET's <c>OnnxTransformer</c> does (a vector column per output; it cannot read scalar outputs).
/// The extra outputs hold one row's values, each a one-dimensional tensor: <see cref="Score"/> is the logit [1] (binary), the
/// probabilities [C] (multiclass) or the target [1] (regression); <see cref="ClassIndex"/> (multiclass) is the most probable
/// class's index as a float [1], NaN for a row whose scores are NaN.
/// </summary>
/// <param name="InputName">The graph's input, [1, F] raw features.</param>
/// <param name="Score">The score output's name.</param>
/// <param name="ClassIndex">The multiclass class index output's name.</param>
internal sealed record OnnxRowLayout(string InputName, string Score, string ClassIndex)
{
    /// <summary>Adds the row outputs after the network (whose last pre-activation is <paramref name="logits"/>) and returns them.</summary>
    /// <exception cref="ArgumentException">A name given here is already a value of the graph.</exception>
    /// <exception cref="NotSupportedException">A regression network with more than one target (the score is one number).</exception>
    public OnnxValueInfo[] Append(OnnxGraphBuilder graph, NeuralNetworkModel model, string logits)
    {
        var taken = graph.Nodes.SelectMany(n => n.Outputs).Concat(graph.Initializers.Select(t => t.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (string name in new[] { InputName, Score, ClassIndex })
        {
            // The row outputs' own intermediate values are named row.*, which the adapter's names avoid.
            if (taken.Contains(name) || name is "row.one" or "row.classes" or "row.index" or "row.sum" or "row.missing" or "row.nan")
                throw new ArgumentException($"'{name}' cannot name a value of the row graph: the graph already uses it (its own values are listed in docs/onnx.md).");
        }
        if (InputName == Score || InputName == ClassIndex || Score == ClassIndex)
            throw new ArgumentException($"The row graph's input and outputs need distinct names: '{InputName}', '{Score}', '{ClassIndex}'.");
        switch (model.Task)
        {
            case TaskKind.BinaryClassification:
                graph.Node("Reshape", [logits, graph.Constant("row.one", [1L])], Score);
                return [new OnnxValueInfo(Score, OnnxDataType.Float, [1], "The row's logit.")];
            case TaskKind.MulticlassClassification:
            {
                var classes = model.ClassNames!;
                graph.Node("Reshape", [OnnxExporter.ProbabilitiesOutput, graph.Constant("row.classes", [(long)classes.Count])], Score);
                // A row with a NaN feature has NaN probabilities; its class is then NaN, not ArgMax's pick.
                string index = graph.Node("Cast", [OnnxExporter.PredictedClassOutput], "row.index", new OnnxAttribute("to", Int: (long)OnnxDataType.Float));
                string sum = graph.Node("ReduceSum", [OnnxExporter.ProbabilitiesOutput], "row.sum", new OnnxAttribute("keepdims", Int: 0));
                string missing = graph.Node("IsNaN", [sum], "row.missing");
                graph.Node("Where", [missing, graph.Constant("row.nan", [float.NaN], 1), index], ClassIndex);
                return
                [
                    new OnnxValueInfo(Score, OnnxDataType.Float, [classes.Count], $"The row's probability of each class: {string.Join(", ", classes)}."),
                    new OnnxValueInfo(ClassIndex, OnnxDataType.Float, [1], "The row's most probable class (its index), NaN if its scores are."),
                ];
            }
            default:
                if (model.OutputCount != 1)
                    throw new NotSupportedException($"A row graph's score is one number; this regression network predicts {model.OutputCount} targets.");
                graph.Node("Reshape", [OnnxExporter.ValueOutput, graph.Constant("row.one", [1L])], Score);
                return [new OnnxValueInfo(Score, OnnxDataType.Float, [1], "The row's predicted target.")];
        }
    }
}

using System.Text.Json;
using MLNetNN.Activations;
using MLNetNN.Data;
using MLNetNN.Serialization.Onnx;
using MLNetNN.Training;

namespace MLNetNN.Onnx.Tests;

/// <summary>The file's structure: wire encoding, IR and opset versions, graph, names, shapes, metadata, and the file handling.</summary>
public class OnnxFormatTests
{
    [Fact]
    public void TheWriterEncodesAsTheProtobufSpecExamples()
    {
        // The encoding guide's examples: int 150 in field 1, "testing" in field 2, and that message embedded as field 3.
        var w = new ProtobufWriter();
        w.WriteInt64(1, 150);
        Assert.Equal(Convert.FromHexString("089601"), w.Written.ToArray());

        w = new ProtobufWriter();
        w.WriteString(2, "testing");
        Assert.Equal(Convert.FromHexString("120774657374696E67"), w.Written.ToArray());

        w = new ProtobufWriter();
        w.WriteMessage(3, m => m.WriteInt64(1, 150));
        Assert.Equal(Convert.FromHexString("1A03089601"), w.Written.ToArray());

        // A negative int64 takes ten bytes (two's complement, no zigzag); packed int64s are varints behind one length.
        w = new ProtobufWriter();
        w.WriteInt64(1, -1);
        Assert.Equal(Convert.FromHexString("08FFFFFFFFFFFFFFFFFF01"), w.Written.ToArray());

        w = new ProtobufWriter();
        w.WritePackedInt64s(4, [3, 270, 86942]);
        Assert.Equal(Convert.FromHexString("2206038E029EA705"), w.Written.ToArray());

        // Floats: fixed32 little-endian, alone (wire type 5) or packed.
        w = new ProtobufWriter();
        w.WriteFloat(2, 1f);
        w.WritePackedFloats(4, [1f, -2f]);
        Assert.Equal(Convert.FromHexString("150000803F22080000803F000000C0"), w.Written.ToArray());
    }

    [Fact]
    public void TheFileReadsBackAsTheStatedModel()
    {
        var data = TestData.Load("iris");
        var model = OnnxExportTests.Train(data, TaskKind.MulticlassClassification, ActivationKind.LeakyReLU);
        using var stream = new MemoryStream();
        OnnxExporter.Write(model, stream);
        var file = new ProtobufReader(stream.ToArray());

        // ModelProto: ir_version 1, producer 2/3, graph 7, opset_import 8 (version 2), metadata_props 14.
        Assert.Equal(OnnxExporter.IrVersion, file.Int(1));
        Assert.Equal("MLNetNN", file.TextOf(2));
        var opset = file.Message(8);
        Assert.Empty(opset.Messages(1));
        Assert.Equal(17, opset.Int(2));
        Assert.Equal(OnnxExporter.Opset, opset.Int(2));

        // GraphProto: node 1 (op_type 4, inputs 1, outputs 2), initializer 5, input 11, output 12.
        var graph = file.Message(7);
        var nodes = graph.Messages(1).ToList();
        Assert.Equal(["Sub", "Mul", "Gemm", "LeakyRelu", "Gemm", "LeakyRelu", "Gemm", "Softmax", "ArgMax", "Gather"], nodes.Select(n => n.TextOf(4)));
        Assert.Equal([OnnxExporter.InputName, "scaler.offset"], nodes[0].Texts(1));
        var alpha = nodes[3].Message(5);
        Assert.Equal("alpha", alpha.TextOf(1));
        Assert.Equal(0.1f, alpha.Fields().Single(f => f.Field == 2).Value);

        // TensorProto: dims 1, data_type 2, float_data 4, name 8 — the weights exactly as the engine holds them.
        var w1 = graph.Messages(5).Single(t => t.TextOf(8) == "layer1.W");
        Assert.Equal([4L, 16L], w1.PackedInts(1));
        Assert.Equal(1, w1.Int(2));
        Assert.Equal(model.Network.Weights(0).ToArray(), w1.PackedFloats(4));

        // The input: ValueInfoProto name 1, type 2 → tensor_type 1 → elem_type 1, shape 2 → dims [dim_param "N", dim_value 4].
        var input = graph.Message(11);
        Assert.Equal(OnnxExporter.InputName, input.TextOf(1));
        var tensorType = input.Message(2).Message(1);
        Assert.Equal(1, tensorType.Int(1));
        var dims = tensorType.Message(2).Messages(1).ToList();
        Assert.Equal("N", dims[0].TextOf(2));
        Assert.Equal(4, dims[1].Int(1));

        Assert.Equal([OnnxExporter.ProbabilitiesOutput, OnnxExporter.PredictedClassOutput, OnnxExporter.PredictedLabelOutput],
            graph.Messages(12).Select(o => o.TextOf(1)));
        var metadata = file.Messages(14).ToDictionary(e => e.TextOf(1), e => e.TextOf(2));
        Assert.Equal("MulticlassClassification", metadata[OnnxExporter.TaskKey]);
    }

    [Theory]
    [InlineData(TaskKind.BinaryClassification, new[] { "probability", "probabilities", "predicted_class", "predicted_label" })]
    [InlineData(TaskKind.MulticlassClassification, new[] { "probabilities", "predicted_class", "predicted_label" })]
    [InlineData(TaskKind.Regression, new[] { "value" })]
    public void OnnxRuntimeSeesTheNamedInputAndOutputsWithAFreeBatchDimension(TaskKind task, string[] outputs)
    {
        var (data, classes) = task switch
        {
            TaskKind.BinaryClassification => (TestData.Load("breast_cancer"), 2),
            TaskKind.MulticlassClassification => (TestData.Load("digits"), 10),
            _ => (TestData.Load("friedman1"), 0),
        };
        var model = OnnxExportTests.Train(data, task, ActivationKind.ReLU);
        using var onnx = OnnxRunner.Export(model);

        var input = Assert.Single(onnx.Session.InputMetadata);
        Assert.Equal(OnnxExporter.InputName, input.Key);
        Assert.Equal(typeof(float), input.Value.ElementType);
        Assert.Equal([-1, data.Columns], input.Value.Dimensions);
        Assert.Equal("N", input.Value.SymbolicDimensions[0]);

        Assert.Equal(outputs, onnx.Session.OutputMetadata.Keys);
        foreach (var (name, output) in onnx.Session.OutputMetadata)
        {
            Assert.Equal(-1, output.Dimensions[0]);
            Assert.Equal("N", output.SymbolicDimensions[0]);
            int[] expected = name switch
            {
                "probability" => [-1, 1],
                "probabilities" => [-1, classes],
                "value" => [-1, 1],
                _ => [-1],
            };
            Assert.Equal(expected, output.Dimensions);
            Assert.Equal(name switch { "predicted_class" => typeof(long), "predicted_label" => typeof(string), _ => typeof(float) }, output.ElementType);
        }
    }

    [Fact]
    public void MetadataCarriesFeatureAndClassNamesEvenAwkwardOnes()
    {
        // Names with commas, quotes and non-ASCII text, which a joined list would garble.
        var iris = TestData.Load("iris");
        string[] features = ["sepal, length", "sepal \"width\"", "pétale longueur", "花弁の幅"];
        string[] classes = ["setosa, Iris", "\"versicolor\"", "virginica ✓"];
        var data = new Dataset(iris.Features, iris.Rows, iris.Columns, iris.Labels, featureNames: features, classNames: classes);
        var model = OnnxExportTests.Train(data, TaskKind.MulticlassClassification, ActivationKind.Tanh);
        using var onnx = OnnxRunner.Export(model);

        var metadata = onnx.Session.ModelMetadata;
        Assert.Equal("MLNetNN", metadata.ProducerName);
        var props = metadata.CustomMetadataMap;
        Assert.Equal(features, JsonSerializer.Deserialize<string[]>(props[OnnxExporter.FeatureNamesKey]));
        Assert.Equal(classes, JsonSerializer.Deserialize<string[]>(props[OnnxExporter.ClassNamesKey]));
        Assert.Equal("MulticlassClassification", props[OnnxExporter.TaskKey]);
        Assert.Equal("Standardization", props[OnnxExporter.ScalerKey]);
        Assert.Equal("4-16(Tanh)-8(Tanh)-3(Softmax)", props[OnnxExporter.ArchitectureKey]);

        var labels = (string[])onnx.Run(data.Features, data.Rows)[OnnxExporter.PredictedLabelOutput];
        for (int r = 0; r < data.Rows; r++) Assert.Equal(model.PredictRow(data.Row(r)).Label, labels[r]);
        Assert.Equal(3, labels.Distinct().Count());
    }

    [Fact]
    public void MetadataDoesNotDependOnTheCulture()
    {
        var model = OnnxExportTests.Train(TestData.Load("iris"), TaskKind.MulticlassClassification, ActivationKind.LeakyReLU);
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            // German writes 0.1 as "0,1".
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            using var onnx = OnnxRunner.Export(model);
            Assert.Equal("4-16(LeakyReLU(α=0.1))-8(LeakyReLU(α=0.1))-3(Softmax)", onnx.Session.ModelMetadata.CustomMetadataMap[OnnxExporter.ArchitectureKey]);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void ANonFiniteFeatureGivesNaNWhereTheEngineRefuses()
    {
        // The documented difference: a graph cannot raise an error, so the row's outputs are NaN; the other rows are unaffected.
        var data = TestData.Load("friedman1");
        var model = OnnxExportTests.Train(data, TaskKind.Regression, ActivationKind.ReLU);
        var rows = TestData.Rows(data, 0, 2);
        rows[3] = float.NaN;
        Assert.Throws<ArgumentException>(() => model.PredictBatch(rows, new float[2]));
        using var onnx = OnnxRunner.Export(model);
        var values = (float[])onnx.Run(rows, 2)[OnnxExporter.ValueOutput];
        Assert.True(float.IsNaN(values[0]));
        var second = new float[1];
        model.Predict(data.Row(1), second);
        Assert.Equal(second[0], values[1], 1e-5f);
    }

    [Fact]
    public void RegressionMetadataHasNoClassNames()
    {
        var model = OnnxExportTests.Train(TestData.Load("friedman1"), TaskKind.Regression, ActivationKind.ReLU);
        using var onnx = OnnxRunner.Export(model);
        Assert.False(onnx.Session.ModelMetadata.CustomMetadataMap.ContainsKey(OnnxExporter.ClassNamesKey));
        Assert.Equal("Regression", onnx.Session.ModelMetadata.CustomMetadataMap[OnnxExporter.TaskKey]);
    }

    [Fact]
    public void AnActivationWithoutAnOnnxFormIsRefusedByName()
    {
        var e = Assert.Throws<NotSupportedException>(() =>
            OnnxActivations.Append(new OnnxGraphBuilder(), (ActivationKind)99, 0f, "z", "a"));
        Assert.Contains("99", e.Message);
        Assert.Contains("no ONNX export", e.Message);
    }

    [Fact]
    public void SavingReplacesAFileWholeAndLeavesNoTemporaryFile()
    {
        var model = OnnxExportTests.Train(TestData.Load("iris"), TaskKind.MulticlassClassification, ActivationKind.ReLU);
        string folder = Directory.CreateTempSubdirectory("onnx-save").FullName;
        try
        {
            string path = Path.Combine(folder, "iris.onnx");
            File.WriteAllText(path, "an older file");
            model.SaveOnnx(path);
            using var stream = new MemoryStream();
            OnnxExporter.Write(model, stream);
            Assert.Equal(stream.ToArray(), File.ReadAllBytes(path));
            Assert.Equal(["iris.onnx"], Directory.GetFiles(folder).Select(Path.GetFileName));
            using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(path);
            Assert.Equal(3, session.OutputMetadata.Count);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void SavingIntoAMissingFolderNamesItAndWritesNothing()
    {
        var model = OnnxExportTests.Train(TestData.Load("iris"), TaskKind.MulticlassClassification, ActivationKind.ReLU);
        string folder = Path.Combine(Path.GetTempPath(), "onnx-missing-" + Guid.NewGuid().ToString("N"));
        var e = Assert.Throws<DirectoryNotFoundException>(() => model.SaveOnnx(Path.Combine(folder, "m.onnx")));
        Assert.Contains(folder, e.Message);
        Assert.False(Directory.Exists(folder));
    }
}

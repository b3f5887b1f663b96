using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetNN.MLNet.Tests;

/// <summary>
/// Plain <c>ml.Model.Save</c> / <c>ml.Model.Load</c> of pipelines with a network: the loaded pipeline is ML.NET's own
/// transformers (the network as an OnnxTransformer), here and in an application without MLNetNN, with the same columns,
/// scores within 1e-5, and working <c>Evaluate</c> and <c>PredictionEngine</c> (in both).
/// </summary>
public sealed class PlainSaveTests : IDisposable
{
    private const float Tolerance = 1e-5f;
    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetnn-plain-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (MLContext Ml, IDataView Data, ITransformer Model) Binary()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.BreastCancer(ml);
        var model = ml.Transforms.NormalizeMinMax("Features")
            .Append(ml.BinaryClassification.Trainers.NeuralNetwork(hiddenLayers: [8], epochs: 10, batchSize: 32))
            .Append(ml.Transforms.CopyColumns("Margin", "Score"))
            .Fit(data);
        return (ml, data, model);
    }

    private static (MLContext Ml, IDataView Data, ITransformer Model) Multiclass()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Iris(ml);
        var model = ml.Transforms.Conversion.MapValueToKey("Label", nameof(IrisRow.Species))
            .Append(ml.Transforms.Concatenate("Features", nameof(IrisRow.SepalLength), nameof(IrisRow.SepalWidth), nameof(IrisRow.PetalLength), nameof(IrisRow.PetalWidth)))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.MulticlassClassification.Trainers.NeuralNetwork(hiddenLayers: [16, 8], epochs: 30, batchSize: 16, learningRate: 0.01f))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedSpecies", "PredictedLabel"))
            .Fit(data);
        return (ml, data, model);
    }

    private static (MLContext Ml, IDataView Data, ITransformer Model) Regression()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(TestData.NonLinearRegression(300, 1));
        var model = ml.Transforms.NormalizeMeanVariance("Features")
            .Append(ml.Regression.Trainers.NeuralNetwork(hiddenLayers: [16], epochs: 20))
            .Append(ml.Transforms.CopyColumns("Prediction", "Score"))
            .Fit(data);
        return (ml, data, model);
    }

    private ITransformer SaveAndLoad(MLContext ml, ITransformer model, DataViewSchema schema, string name, out DataViewSchema? loadedSchema)
    {
        string path = Path.Combine(_folder, name);
        ml.Model.Save(model, schema, path);
        return new MLContext().Model.Load(path, out loadedSchema);
    }

    [Fact]
    public void Binary_pipeline_loads_as_mlnets_own_transformers_with_scores_within_1e5_and_evaluates()
    {
        var (ml, data, model) = Binary();
        var loaded = SaveAndLoad(ml, model, data.Schema, "cancer.zip", out var schema);
        Assert.Equal(data.Schema.Select(c => c.Name), schema!.Select(c => c.Name));
        AssertOnlyMLNet(loaded);

        var expected = model.Transform(data);
        var actual = loaded.Transform(data);
        foreach (string column in new[] { "Score", "Probability", "Margin" })
        {
            Assert.Equal(NumberDataViewType.Single, actual.Schema[column].Type);
            AssertClose(expected.GetColumn<float>(column), actual.GetColumn<float>(column));
        }
        Assert.Equal(BooleanDataViewType.Instance, actual.Schema["PredictedLabel"].Type);
        Assert.Equal(expected.GetColumn<bool>("PredictedLabel"), actual.GetColumn<bool>("PredictedLabel"));

        var want = ml.BinaryClassification.Evaluate(expected);
        var got = ml.BinaryClassification.Evaluate(actual);
        Assert.Equal(want.Accuracy, got.Accuracy);
        Assert.Equal(want.AreaUnderRocCurve, got.AreaUnderRocCurve, 1e-6);
        Assert.Equal(want.LogLoss, got.LogLoss, 1e-5);

        var row = ml.Data.CreateEnumerable<CancerRow>(data, reuseRowObject: false).First();
        var original = ml.Model.CreatePredictionEngine<CancerRow, BinaryPrediction>(model).Predict(row);
        var fromFile = ml.Model.CreatePredictionEngine<CancerRow, BinaryPrediction>(loaded).Predict(row);
        Assert.Equal(original.PredictedLabel, fromFile.PredictedLabel);
        Assert.Equal(original.Score, fromFile.Score, Tolerance);
        Assert.Equal(original.Probability, fromFile.Probability, Tolerance);
    }

    [Fact]
    public void Multiclass_pipeline_keeps_key_values_so_map_key_to_value_evaluate_and_prediction_engine_work()
    {
        var (ml, data, model) = Multiclass();
        var loaded = SaveAndLoad(ml, model, data.Schema, "iris.zip", out _);
        AssertOnlyMLNet(loaded);

        var expected = model.Transform(data);
        var actual = loaded.Transform(data);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3), actual.Schema["Score"].Type);
        Assert.Equal(new KeyDataViewType(typeof(uint), 3), actual.Schema["PredictedLabel"].Type);
        var want = expected.GetColumn<float[]>("Score").ToArray();
        var got = actual.GetColumn<float[]>("Score").ToArray();
        for (int i = 0; i < want.Length; i++) AssertClose(want[i], got[i]);
        Assert.Equal(expected.GetColumn<uint>("PredictedLabel"), actual.GetColumn<uint>("PredictedLabel"));
        Assert.Equal(expected.GetColumn<string>("PredictedSpecies"), actual.GetColumn<string>("PredictedSpecies"));
        VBuffer<ReadOnlyMemory<char>> keys = default;
        actual.Schema["PredictedLabel"].GetKeyValues(ref keys);
        Assert.Equal(["setosa", "versicolor", "virginica"], keys.DenseValues().Select(k => k.ToString()));

        var wanted = ml.MulticlassClassification.Evaluate(expected);
        var metrics = ml.MulticlassClassification.Evaluate(actual);
        Assert.Equal(wanted.MacroAccuracy, metrics.MacroAccuracy);
        Assert.Equal(wanted.LogLoss, metrics.LogLoss, 1e-5);

        var engine = ml.Model.CreatePredictionEngine<IrisRow, SpeciesPrediction>(loaded);
        Assert.Equal("virginica", engine.Predict(new IrisRow { SepalLength = 7.7f, SepalWidth = 3f, PetalLength = 6.1f, PetalWidth = 2.3f }).PredictedSpecies);
    }

    [Fact]
    public void Regression_pipeline_round_trips_through_a_stream_and_evaluates()
    {
        var (ml, data, model) = Regression();
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var loaded = new MLContext().Model.Load(stream, out _);
        AssertOnlyMLNet(loaded);

        var expected = model.Transform(data);
        var actual = loaded.Transform(data);
        Assert.Equal(NumberDataViewType.Single, actual.Schema["Score"].Type);
        AssertClose(expected.GetColumn<float>("Score"), actual.GetColumn<float>("Score"));
        AssertClose(expected.GetColumn<float>("Prediction"), actual.GetColumn<float>("Prediction"));
        Assert.Equal(ml.Regression.Evaluate(expected).RootMeanSquaredError, ml.Regression.Evaluate(actual).RootMeanSquaredError, 1e-5);
        var row = new RegressionRow { Features = [0.5f, -1f, 1.5f] };
        Assert.Equal(ml.Model.CreatePredictionEngine<RegressionRow, RegressionPrediction>(model).Predict(row).Score,
            ml.Model.CreatePredictionEngine<RegressionRow, RegressionPrediction>(loaded).Predict(row).Score, Tolerance);
    }

    [Fact]
    public void A_network_alone_saved_plainly_scores_rows_with_a_missing_feature_as_nan_as_the_network_does()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Iris(ml);
        var network = ((IEnumerable<ITransformer>)TestData.IrisPipeline(ml, ml.MulticlassClassification.Trainers.NeuralNetwork(hiddenLayers: [8], epochs: 5)).Fit(data))
            .SelectMany(t => t as IEnumerable<ITransformer> ?? [t]).OfType<NeuralNetworkTransformer>().Single();
        var rows = ml.Data.LoadFromEnumerable(new[] { new FeatureRow { Features = [0.1f, float.NaN, 0.3f, 0.4f] }, new FeatureRow { Features = [1f, 0f, -1f, 2f] } });
        var loaded = SaveAndLoad(ml, network, rows.Schema, "alone.zip", out _);
        var expected = network.Transform(rows);
        var actual = loaded.Transform(rows);
        Assert.Equal(expected.GetColumn<uint>("PredictedLabel"), actual.GetColumn<uint>("PredictedLabel"));
        Assert.Equal(0u, actual.GetColumn<uint>("PredictedLabel").First());
        Assert.All(actual.GetColumn<float[]>("Score").First(), v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void Saving_over_an_existing_model_file_replaces_it_with_a_loadable_one()
    {
        // The refusal of the former adapter emptied an existing file (ML.NET's Save(path) truncates it first); now the save succeeds.
        var (ml, data, model) = Binary();
        string path = Path.Combine(_folder, "model.zip");
        ml.Model.Save(ml.Transforms.NormalizeMinMax("Features").Fit(data), data.Schema, path);
        ml.Model.Save(model, data.Schema, path);
        var loaded = ml.Model.Load(path, out _);
        AssertClose(model.Transform(data).GetColumn<float>("Probability"), loaded.Transform(data).GetColumn<float>("Probability"));
    }

    [Theory]
    [InlineData("probabilities")]
    [InlineData("layer1.W")]
    [InlineData("predicted_class")]
    public void A_feature_column_named_like_a_value_of_the_graph_saves_plainly_over_an_existing_model_file(string featureColumn)
    {
        // The graph cannot name its input like one of its own values, and a refusal came too late: ML.NET's Save(path) had
        // already emptied the file, losing the model that was there.
        var ml = new MLContext(seed: 1);
        var data = TestData.Iris(ml);
        var model = ml.Transforms.Conversion.MapValueToKey("Label", nameof(IrisRow.Species))
            .Append(ml.Transforms.Concatenate(featureColumn, nameof(IrisRow.SepalLength), nameof(IrisRow.SepalWidth), nameof(IrisRow.PetalLength), nameof(IrisRow.PetalWidth)))
            .Append(ml.MulticlassClassification.Trainers.NeuralNetwork(featureColumnName: featureColumn, hiddenLayers: [4], epochs: 2))
            .Fit(data);
        string path = Path.Combine(_folder, "model.zip");
        ml.Model.Save(ml.Transforms.Concatenate("Features", nameof(IrisRow.SepalLength)).Fit(data), data.Schema, path);
        ml.Model.Save(model, data.Schema, path);
        var loaded = new MLContext().Model.Load(path, out _);
        var expected = model.Transform(data);
        var actual = loaded.Transform(data);
        // The same visible columns (the feature column kept, no helper column left), though not in the same order.
        Assert.Equal(Visible(expected), Visible(actual));
        Assert.Equal(expected.GetColumn<uint>("PredictedLabel"), actual.GetColumn<uint>("PredictedLabel"));
        AssertClose(expected.GetColumn<float[]>("Score").SelectMany(v => v), actual.GetColumn<float[]>("Score").SelectMany(v => v));
    }

    [Theory]
    [InlineData("binary")]
    [InlineData("multiclass")]
    [InlineData("regression")]
    public void An_application_with_only_mlnets_packages_loads_the_file_scores_within_1e5_evaluates_and_predicts_row_by_row(string task)
    {
        var (ml, data, model) = task switch { "binary" => Binary(), "multiclass" => Multiclass(), _ => Regression() };
        string modelPath = Path.Combine(_folder, task + ".zip"), dataPath = Path.Combine(_folder, task + ".idv");
        ml.Model.Save(model, data.Schema, modelPath);
        using (var stream = File.Create(dataPath)) ml.Data.SaveAsBinary(data, stream);

        var expected = model.Transform(data);
        // The columns printed from the transformed data, the standard columns a PredictionEngine gives, the evaluator's figures.
        string[] columns, standard;
        Dictionary<string, double> metrics;
        switch (task)
        {
            case "binary":
                columns = standard = ["Score", "Probability", "PredictedLabel"];
                var b = ml.BinaryClassification.Evaluate(expected);
                metrics = new() { ["Accuracy"] = b.Accuracy, ["AreaUnderRocCurve"] = b.AreaUnderRocCurve, ["LogLoss"] = b.LogLoss };
                break;
            case "multiclass":
                (columns, standard) = (["Score", "PredictedLabel", "PredictedSpecies"], ["Score", "PredictedLabel"]);
                var m = ml.MulticlassClassification.Evaluate(expected);
                metrics = new() { ["MacroAccuracy"] = m.MacroAccuracy, ["MicroAccuracy"] = m.MicroAccuracy, ["LogLoss"] = m.LogLoss };
                break;
            default:
                (columns, standard) = (["Score", "Prediction"], ["Score"]);
                var r = ml.Regression.Evaluate(expected);
                metrics = new() { ["RootMeanSquaredError"] = r.RootMeanSquaredError, ["RSquared"] = r.RSquared };
                break;
        }
        var lines = RunPlainLoad(modelPath, dataPath, task, columns);

        // The transformed data's columns, then the evaluator's figures, then a PredictionEngine's standard columns row by row.
        AssertRowsMatch(expected, columns, lines.Where(l => !l.StartsWith("evaluate: ") && !l.StartsWith("engine: ")).ToArray());
        var evaluated = Assert.Single(lines, l => l.StartsWith("evaluate: "))["evaluate: ".Length..].Split(' ')
            .Select(p => p.Split('=')).ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
        Assert.Equal(metrics.Keys.Order(), evaluated.Keys.Order());
        foreach (var (name, value) in metrics) Assert.True(Math.Abs(value - evaluated[name]) <= Tolerance, $"{name}: {value:R} here, {evaluated[name]:R} in the plain application");
        AssertRowsMatch(expected, standard, lines.Where(l => l.StartsWith("engine: ")).Select(l => l["engine: ".Length..]).ToArray());
    }

    /// <summary>Each line holds <paramref name="columns"/>' values of one row of <paramref name="expected"/>, as the plain application prints them.</summary>
    private static void AssertRowsMatch(IDataView expected, string[] columns, string[] lines)
    {
        using var cursor = expected.GetRowCursor(columns.Select(c => expected.Schema[c]));
        int row = 0;
        while (cursor.MoveNext())
        {
            Assert.True(row < lines.Length, $"the plain application printed {lines.Length} rows; the pipeline has more");
            string[] fields = lines[row++].Split(" | ");
            Assert.Equal(columns.Length, fields.Length);
            for (int c = 0; c < columns.Length; c++)
            {
                var column = expected.Schema[columns[c]];
                switch (column.Type)
                {
                    case VectorDataViewType:
                        VBuffer<float> vector = default;
                        cursor.GetGetter<VBuffer<float>>(column)(ref vector);
                        AssertClose(vector.DenseValues().ToArray(), fields[c].Split(' ').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray());
                        break;
                    case NumberDataViewType:
                        float value = 0;
                        cursor.GetGetter<float>(column)(ref value);
                        Assert.Equal(value, float.Parse(fields[c], CultureInfo.InvariantCulture), Tolerance);
                        break;
                    case BooleanDataViewType:
                        bool flag = false;
                        cursor.GetGetter<bool>(column)(ref flag);
                        Assert.Equal(flag.ToString(), fields[c]);
                        break;
                    case KeyDataViewType:
                        uint key = 0;
                        cursor.GetGetter<uint>(column)(ref key);
                        Assert.Equal(key.ToString(CultureInfo.InvariantCulture), fields[c]);
                        break;
                    default:
                        ReadOnlyMemory<char> text = default;
                        cursor.GetGetter<ReadOnlyMemory<char>>(column)(ref text);
                        Assert.Equal(text.ToString(), fields[c]);
                        break;
                }
            }
        }
        Assert.Equal(lines.Length, row);
    }

    [Fact]
    public void Convert_to_onnx_refuses_a_pipeline_with_a_network_naming_the_routes_that_work_and_writes_nothing()
    {
        var (ml, data, model) = Multiclass();
        using var stream = new MemoryStream();
        var e = Assert.Throws<NotSupportedException>(() => ml.Model.ConvertToOnnx(model, data, stream));
        Assert.Contains("model.SaveOnnx", e.Message);
        Assert.Contains("ml.Model.Save", e.Message);
        Assert.Equal(0, stream.Length);
        // The network alone, called by the converter itself rather than through a chain, is refused too.
        var network = ((IEnumerable<ITransformer>)model).OfType<NeuralNetworkTransformer>().Single();
        var features = ((IEnumerable<ITransformer>)model).TakeWhile(t => t != network).Aggregate(data, (view, t) => t.Transform(view));
        Assert.Throws<NotSupportedException>(() => ml.Model.ConvertToOnnx(network, features, stream));
        Assert.Equal(0, stream.Length);
        // A pipeline without the network still converts.
        ml.Model.ConvertToOnnx(ml.Transforms.NormalizeMinMax("SepalLength").Fit(data), data, stream);
        Assert.True(stream.Length > 0);
    }

    /// <summary>Every transformer of the loaded pipeline, nested chains opened, is one of ML.NET's own.</summary>
    private static void AssertOnlyMLNet(ITransformer model)
    {
        IEnumerable<ITransformer> Flatten(ITransformer t) => t is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : [t];
        var types = Flatten(model).Select(t => t.GetType()).ToArray();
        Assert.All(types, t => Assert.StartsWith("Microsoft.ML", t.Assembly.GetName().Name));
        Assert.Contains(types, t => t.Name == "OnnxTransformer");
    }

    private static IEnumerable<(string, DataViewType)> Visible(IDataView data) => data.Schema.Where(c => !c.IsHidden).Select(c => (c.Name, c.Type)).OrderBy(c => c.Name, StringComparer.Ordinal);

    private static void AssertClose(IEnumerable<float> expected, IEnumerable<float> actual)
    {
        float[] want = expected.ToArray(), got = actual.ToArray();
        Assert.Equal(want.Length, got.Length);
        for (int i = 0; i < want.Length; i++)
            Assert.True(float.IsNaN(want[i]) ? float.IsNaN(got[i]) : Math.Abs(want[i] - got[i]) <= Tolerance, $"value {i}: {want[i]:R} vs {got[i]:R}");
    }

    private static string[] RunPlainLoad(string modelPath, string dataPath, string task, string[] columns)
    {
        // The application runs with its own dependency list, which names ML.NET's packages and nothing of MLNetNN; it also
        // fails if any MLNetNN assembly was loaded.
        string folder = AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                "exec", "--runtimeconfig", Path.Combine(folder, "MLNetNN.MLNet.PlainLoad.runtimeconfig.json"),
                "--depsfile", Path.Combine(folder, "MLNetNN.MLNet.PlainLoad.deps.json"),
                Path.Combine(folder, "MLNetNN.MLNet.PlainLoad.dll"), modelPath, dataPath, task,
            },
        };
        foreach (string column in columns) start.ArgumentList.Add(column);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), "the plain ML.NET application did not finish in 2 minutes");
        Assert.True(process.ExitCode == 0, $"the plain ML.NET application failed ({process.ExitCode}): {stderr}");
        return stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private sealed class SpeciesPrediction
    {
        public string PredictedSpecies { get; set; } = "";
    }

    private sealed class FeatureRow
    {
        [VectorType(4)] public float[] Features { get; set; } = [];
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetNN.MLNet.Tests;

/// <summary>Single-row prediction, threads, output columns and their annotations, and rows with missing features.</summary>
public sealed class PredictionTests
{
    private static (MLContext Ml, IDataView Data, ITransformer Model) IrisModel()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Iris(ml);
        var model = TestData.IrisPipeline(ml, ml.MulticlassClassification.Trainers.NeuralNetwork(hiddenLayers: [16], epochs: 40, batchSize: 16, learningRate: 0.01f)).Fit(data);
        return (ml, data, model);
    }

    [Fact]
    public void Prediction_engine_agrees_with_batch_transform_on_every_row()
    {
        var (ml, data, model) = IrisModel();
        var batch = ml.Data.CreateEnumerable<IrisPrediction>(model.Transform(data), reuseRowObject: false).ToArray();
        var engine = ml.Model.CreatePredictionEngine<IrisRow, IrisPrediction>(model);
        var rows = ml.Data.CreateEnumerable<IrisRow>(data, reuseRowObject: false).ToArray();
        for (int i = 0; i < rows.Length; i++)
        {
            var single = engine.Predict(rows[i]);
            Assert.Equal(batch[i].PredictedLabel, single.PredictedLabel);
            Assert.Equal(batch[i].Score, single.Score);
        }
    }

    [Fact]
    public void Binary_prediction_engine_gives_score_probability_and_label_consistently()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.BreastCancer(ml);
        var model = ml.Transforms.NormalizeMeanVariance("Features").Append(ml.BinaryClassification.Trainers.NeuralNetwork(hiddenLayers: [16], epochs: 20, batchSize: 32)).Fit(data);
        var batch = ml.Data.CreateEnumerable<BinaryPrediction>(model.Transform(data), reuseRowObject: false).ToArray();
        var engine = ml.Model.CreatePredictionEngine<CancerRow, BinaryPrediction>(model);
        var rows = ml.Data.CreateEnumerable<CancerRow>(data, reuseRowObject: false).ToArray();
        for (int i = 0; i < rows.Length; i++)
        {
            var p = engine.Predict(rows[i]);
            Assert.Equal(batch[i].Score, p.Score);
            Assert.Equal(batch[i].Probability, p.Probability);
            Assert.Equal(p.Score > 0, p.PredictedLabel);
            Assert.Equal(1 / (1 + MathF.Exp(-p.Score)), p.Probability, 1e-5f);
        }
    }

    [Fact]
    public void Pooled_prediction_from_eight_threads_matches_the_single_threaded_results()
    {
        var (ml, data, model) = IrisModel();
        var rows = ml.Data.CreateEnumerable<IrisRow>(data, reuseRowObject: false).ToArray();
        var engine = ml.Model.CreatePredictionEngine<IrisRow, IrisPrediction>(model);
        var expected = rows.Select(r => engine.Predict(r)).ToArray();
        var pool = new PooledPredictionEngine<IrisRow, IrisPrediction>(ml.Model, model);
        var results = new IrisPrediction[8][];
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            results[t] = new IrisPrediction[rows.Length];
            for (int repeat = 0; repeat < 20; repeat++)
                for (int i = 0; i < rows.Length; i++)
                {
                    int k = (i * 7 + t * 13 + repeat) % rows.Length;
                    results[t][k] = pool.Predict(rows[k]);
                }
        });
        foreach (var thread in results)
            for (int i = 0; i < rows.Length; i++)
            {
                Assert.Equal(expected[i].Score, thread[i].Score);
                Assert.Equal(expected[i].PredictedLabel, thread[i].PredictedLabel);
            }
    }

    [Fact]
    public void Parallel_cursors_over_the_transformed_data_give_the_same_scores()
    {
        var (ml, data, model) = IrisModel();
        var scored = model.Transform(ml.Data.Cache(data));
        var serial = scored.GetColumn<float[]>("Score").ToArray();
        var column = scored.Schema["Score"];
        var cursors = scored.GetRowCursorSet([column, scored.Schema[nameof(IrisRow.SepalLength)]], 4);
        var found = new System.Collections.Concurrent.ConcurrentBag<(float Sepal, float[] Score)>();
        Parallel.ForEach(cursors, cursor =>
        {
            using (cursor)
            {
                var score = cursor.GetGetter<VBuffer<float>>(column);
                var sepal = cursor.GetGetter<float>(cursor.Schema[nameof(IrisRow.SepalLength)]);
                VBuffer<float> s = default;
                float x = 0;
                while (cursor.MoveNext())
                {
                    score(ref s);
                    sepal(ref x);
                    found.Add((x, s.DenseValues().ToArray()));
                }
            }
        });
        Assert.Equal(serial.Length, found.Count);
        var expected = serial.Select(s => string.Join(",", s)).Order();
        Assert.Equal(expected, found.Select(f => string.Join(",", f.Score)).Order());
    }

    [Fact]
    public void Output_columns_have_the_types_and_annotations_of_mlnets_own_scorers()
    {
        var (ml, data, model) = IrisModel();
        var chain = ((IEnumerable<ITransformer>)model).ToArray();
        var network = (NeuralNetworkTransformer)chain[3];
        var schema = network.GetOutputSchema(chain.Take(3).Aggregate(data.Schema, (s, t) => t.GetOutputSchema(s)));
        var predicted = schema["PredictedLabel"];
        var score = schema["Score"];
        Assert.Equal(new KeyDataViewType(typeof(uint), 3), predicted.Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3), score.Type);
        Assert.Equal("MulticlassClassification", Text(score.Annotations, "ScoreColumnKind"));
        Assert.Equal("Score", Text(score.Annotations, "ScoreValueKind"));
        Assert.Equal("PredictedLabel", Text(predicted.Annotations, "ScoreValueKind"));
        uint setId = 0;
        score.Annotations.GetValue("ScoreColumnSetId", ref setId);
        Assert.Equal(1u, setId);
        VBuffer<ReadOnlyMemory<char>> names = default;
        score.GetSlotNames(ref names);
        Assert.Equal(["setosa", "versicolor", "virginica"], names.DenseValues().Select(n => n.ToString()));
        predicted.GetKeyValues(ref names);
        Assert.Equal(["setosa", "versicolor", "virginica"], names.DenseValues().Select(n => n.ToString()));

        var binary = new MLContext(seed: 1).BinaryClassification.Trainers.NeuralNetwork(hiddenLayers: [4], epochs: 2).Fit(ml.Data.LoadFromEnumerable(TestData.LinearBlobs(50, 1)));
        var binarySchema = binary.GetOutputSchema(ml.Data.LoadFromEnumerable(TestData.LinearBlobs(1, 1)).Schema);
        Assert.Equal(["Features", "Label", "PredictedLabel", "Score", "Probability"], binarySchema.Select(c => c.Name));
        Assert.Equal(BooleanDataViewType.Instance, binarySchema["PredictedLabel"].Type);
        Assert.True(binarySchema["Probability"].IsNormalized());
        Assert.Equal("Probability", Text(binarySchema["Probability"].Annotations, "ScoreValueKind"));
    }

    [Fact]
    public void A_row_with_a_missing_feature_is_scored_as_nan_and_the_evaluator_still_runs()
    {
        var ml = new MLContext(seed: 1);
        var model = ml.Regression.Trainers.NeuralNetwork(hiddenLayers: [8], epochs: 5).Fit(ml.Data.LoadFromEnumerable(TestData.NonLinearRegression(100, 1)));
        var rows = TestData.NonLinearRegression(10, 2);
        rows[3].Features[1] = float.NaN;
        var scores = model.Transform(ml.Data.LoadFromEnumerable(rows)).GetColumn<float>("Score").ToArray();
        Assert.True(float.IsNaN(scores[3]));
        Assert.All(scores.Where((_, i) => i != 3), s => Assert.True(float.IsFinite(s)));
    }

    private static string Text(DataViewSchema.Annotations annotations, string name)
    {
        ReadOnlyMemory<char> value = default;
        annotations.GetValue(name, ref value);
        return value.ToString();
    }
}

using MLNetNN.Data;
using MLNetNN.Models;
using MLNetNN.Training;
using Xunit;

namespace MLNetNN.Tests.Networks;

/// <summary>A data set that names its features is read by name: reordered columns are matched, missing or unknown ones refused.</summary>
public class FeatureNameMatchingTests
{
    private static readonly Lazy<NeuralNetworkModel> Iris = new(() => Trainers.MulticlassClassification(new NeuralNetworkOptions
    {
        HiddenLayers = [16], Epochs = 50, Seed = 4, LearningRate = 0.01f,
    }).Fit(TestData.Iris()).Model);

    /// <summary>iris.csv with its columns in the order given (by name; the label is always Species).</summary>
    private static Dataset IrisWithColumns(params string[] columns)
    {
        var lines = File.ReadAllLines(TestData.PathOf("iris.csv"));
        var header = lines[0].Split(',');
        int[] order = columns.Select(c => Array.IndexOf(header, c)).ToArray();
        var text = string.Join("\n", lines.Select(line =>
        {
            var fields = line.Split(',');
            return string.Join(",", order.Select(i => fields[i]));
        }));
        return CsvLoader.Load(new StringReader(text), "iris-reordered.csv", "Species", LabelKind.Classification);
    }

    [Fact]
    public void AReorderedTestSetScoresAsTheOriginal()
    {
        var model = Iris.Value;
        var original = TestData.Iris();
        var reordered = IrisWithColumns("PetalWidth", "Species", "SepalWidth", "PetalLength", "SepalLength");
        Assert.Equal(["PetalWidth", "SepalWidth", "PetalLength", "SepalLength"], reordered.FeatureNames);
        Assert.Equal(model.PredictBatch(original), model.PredictBatch(reordered));
        Assert.Equal(model.EvaluateClassification(original).Accuracy, model.EvaluateClassification(reordered).Accuracy);
    }

    [Fact]
    public void AMissingColumnIsRefusedByName()
    {
        var model = Iris.Value;
        var data = IrisWithColumns("SepalLength", "SepalWidth", "PetalLength", "Species");
        var error = Assert.Throws<ArgumentException>(() => model.EvaluateClassification(data));
        Assert.Contains("missing 'PetalWidth'", error.Message);
        Assert.Throws<ArgumentException>(() => model.PredictBatch(data));
    }

    [Fact]
    public void AColumnTheModelDoesNotKnowIsRefusedByName()
    {
        // As scikit-learn does: a column the model was not trained on may be a mistake (an id, a leaked target), so it is named.
        var model = Iris.Value;
        var original = TestData.Iris();
        var features = new float[original.Rows * 5];
        for (int r = 0; r < original.Rows; r++)
        {
            original.Row(r).CopyTo(features.AsSpan(r * 5));
            features[r * 5 + 4] = r;
        }
        var data = new Dataset(features, original.Rows, 5, original.Labels, featureNames: [.. original.FeatureNames, "Id"], classNames: original.ClassNames);
        var error = Assert.Throws<ArgumentException>(() => model.EvaluateClassification(data));
        Assert.Contains("'Id'", error.Message);
        Assert.Contains("SepalLength", error.Message); // and says what the model reads
    }

    [Fact]
    public void RenamedColumnsAreRefusedNamingBothSides()
    {
        var model = Iris.Value;
        var original = TestData.Iris();
        var data = new Dataset(original.Features, original.Rows, 4, original.Labels, featureNames: ["sepal_length", "SepalWidth", "PetalLength", "PetalWidth"], classNames: original.ClassNames);
        var error = Assert.Throws<ArgumentException>(() => model.PredictBatch(data));
        Assert.Contains("missing 'SepalLength'", error.Message);
        Assert.Contains("'sepal_length'", error.Message);
    }

    [Fact]
    public void DataWithoutNamesIsReadByPosition()
    {
        // Arrays built in code (names f0, f1, …) and headerless CSV files (Column0, …) carry no names to match.
        var model = Iris.Value;
        var original = TestData.Iris();
        var unnamed = new Dataset(original.Features, original.Rows, 4, original.Labels, classNames: original.ClassNames);
        Assert.Equal(model.PredictBatch(original), model.PredictBatch(unnamed));
        var text = string.Join("\n", File.ReadAllLines(TestData.PathOf("iris.csv")).Skip(1));
        var headerless = CsvLoader.Load(new StringReader(text), "iris-headerless.csv", "Column4", LabelKind.Classification, new CsvReadOptions { HasHeader = false });
        Assert.Equal(model.PredictBatch(original), model.PredictBatch(headerless));
        var tooNarrow = new Dataset(new float[original.Rows * 3], original.Rows, 3, original.Labels, classNames: original.ClassNames);
        Assert.Contains("expects 4", Assert.Throws<ArgumentException>(() => model.EvaluateClassification(tooNarrow)).Message);
    }
}

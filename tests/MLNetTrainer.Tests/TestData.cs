using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetNN.MLNet.Tests;

/// <summary>The real data sets (examples/data, copied beside the tests) as ML.NET loads them, and small generated ones.</summary>
internal static class TestData
{
    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "data", file);

    public static IDataView Iris(MLContext ml) => ml.Data.LoadFromTextFile<IrisRow>(PathOf("iris.csv"), separatorChar: ',', hasHeader: true);

    public static IDataView BreastCancer(MLContext ml) => ml.Data.LoadFromTextFile<CancerRow>(PathOf("breast_cancer.csv"), separatorChar: ',', hasHeader: true);

    /// <summary>The Iris pipeline of the issue: key label, concatenated and normalised features, the network, labels back to text.</summary>
    public static IEstimator<ITransformer> IrisPipeline(MLContext ml, IEstimator<ITransformer> trainer) =>
        ml.Transforms.Conversion.MapValueToKey("Label", nameof(IrisRow.Species))
            .Append(ml.Transforms.Concatenate("Features", nameof(IrisRow.SepalLength), nameof(IrisRow.SepalWidth), nameof(IrisRow.PetalLength), nameof(IrisRow.PetalWidth)))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(trainer)
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

    /// <summary>scikit-learn's make_moons: two interleaved half circles with Gaussian noise (no line separates them).</summary>
    public static List<PointRow> TwoMoons(int rows, double noise, int seed)
    {
        var random = new Random(seed);
        var result = new List<PointRow>(rows);
        for (int i = 0; i < rows; i++)
        {
            bool upper = i % 2 == 0;
            double t = Math.PI * random.NextDouble();
            double x = (upper ? Math.Cos(t) : 1 - Math.Cos(t)) + noise * Gaussian(random);
            double y = (upper ? Math.Sin(t) : 0.5 - Math.Sin(t)) + noise * Gaussian(random);
            result.Add(new PointRow { Features = [(float)x, (float)y], Label = !upper });
        }
        return result;
    }

    /// <summary>Two Gaussian blobs a line separates well (a linear model's home ground).</summary>
    public static List<PointRow> LinearBlobs(int rows, int seed)
    {
        var random = new Random(seed);
        var result = new List<PointRow>(rows);
        for (int i = 0; i < rows; i++)
        {
            bool positive = i % 2 == 0;
            float shift = positive ? 1f : -1f;
            result.Add(new PointRow { Features = [shift + (float)Gaussian(random), shift + (float)Gaussian(random)], Label = positive });
        }
        return result;
    }

    /// <summary>A non-linear regression: y = sin(2x₀)·x₁ + x₂² + noise, with x uniform in [−2, 2]³.</summary>
    public static List<RegressionRow> NonLinearRegression(int rows, int seed)
    {
        var random = new Random(seed);
        var result = new List<RegressionRow>(rows);
        for (int i = 0; i < rows; i++)
        {
            float a = U(random), b = U(random), c = U(random);
            result.Add(new RegressionRow { Features = [a, b, c], Label = MathF.Sin(2 * a) * b + c * c + 0.1f * (float)Gaussian(random) });
        }
        return result;
    }

    private static float U(Random random) => (float)(random.NextDouble() * 4 - 2);

    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

public sealed class IrisRow
{
    [LoadColumn(0)] public float SepalLength { get; set; }
    [LoadColumn(1)] public float SepalWidth { get; set; }
    [LoadColumn(2)] public float PetalLength { get; set; }
    [LoadColumn(3)] public float PetalWidth { get; set; }
    [LoadColumn(4)] public string Species { get; set; } = "";
}

public sealed class IrisPrediction
{
    public float[] Score { get; set; } = [];
    public string PredictedLabel { get; set; } = "";
}

public sealed class CancerRow
{
    [LoadColumn(0, 29), VectorType(30)] public float[] Features { get; set; } = [];
    [LoadColumn(30)] public bool Label { get; set; }
}

public sealed class BinaryPrediction
{
    public bool PredictedLabel { get; set; }
    public float Score { get; set; }
    public float Probability { get; set; }
}

public sealed class PointRow
{
    [VectorType(2)] public float[] Features { get; set; } = [];
    public bool Label { get; set; }
}

public sealed class RegressionRow
{
    [VectorType(3)] public float[] Features { get; set; } = [];
    public float Label { get; set; }
}

public sealed class RegressionPrediction
{
    public float Score { get; set; }
}

/// <summary>Reports synchronously on the training thread (Progress&lt;T&gt; posts to the thread pool).</summary>
internal sealed class SynchronousProgress(Action<MLNetNN.Training.EpochRecord> report) : IProgress<MLNetNN.Training.EpochRecord>
{
    public void Report(MLNetNN.Training.EpochRecord value) => report(value);
}

/// <summary>Six features, the first three informative and the last three noise, for permutation feature importance.</summary>
public sealed class SixFeatureRow
{
    [VectorType(6)] public float[] Features { get; set; } = [];
    public float Label { get; set; }
}

using MLNetNN.Data;

namespace MLNetNN.Lecture;

/// <summary>The data sets of the examples: Iris (embedded in this assembly) and the generated two-dimensional and sine data.</summary>
public static class LectureData
{
    /// <summary>The 150 Iris flowers with their four measurements and species (setosa, versicolor, virginica).</summary>
    public static Dataset Iris()
    {
        using var stream = typeof(LectureData).Assembly.GetManifestResourceStream("iris.csv")
            ?? throw new InvalidOperationException("iris.csv is not embedded in the Lecture assembly; check the project file.");
        using var reader = new StreamReader(stream);
        return CsvLoader.Load(reader, "iris.csv (embedded)", "Species", LabelKind.Classification);
    }

    /// <summary>
    /// Iris reduced to the single neuron's problem: sepal length and sepal width, label 1 for setosa and 0 for the other two
    /// species (class names "other", "setosa").
    /// </summary>
    public static Dataset IrisSetosaVersusRest()
    {
        var iris = Iris();
        int setosa = iris.ClassNames!.ToList().IndexOf("setosa");
        var features = new float[iris.Rows * 2];
        var labels = new float[iris.Rows];
        for (int i = 0; i < iris.Rows; i++)
        {
            features[2 * i] = iris.Row(i)[0];
            features[2 * i + 1] = iris.Row(i)[1];
            labels[i] = iris.Labels[i] == setosa ? 1f : 0f;
        }
        return new Dataset(features, iris.Rows, 2, labels, featureNames: [iris.FeatureNames[0], iris.FeatureNames[1]], classNames: ["other", "setosa"]);
    }

    /// <summary>
    /// Points drawn uniformly from the unit square, class 1 inside the circle of radius <paramref name="radius"/> around
    /// (0.5, 0.5) and class 0 outside: no straight line separates them, but a few lines around the disc do.
    /// </summary>
    public static Dataset Disc(int rows, int seed, double radius = 0.3)
    {
        var random = new Random(seed);
        var features = new float[rows * 2];
        var labels = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            float x = (float)random.NextDouble(), y = (float)random.NextDouble();
            features[2 * i] = x;
            features[2 * i + 1] = y;
            labels[i] = (x - 0.5) * (x - 0.5) + (y - 0.5) * (y - 0.5) < radius * radius ? 1f : 0f;
        }
        return new Dataset(features, rows, 2, labels, featureNames: ["x1", "x2"], classNames: ["outside", "inside"]);
    }

    /// <summary><c>y = sin(2πx) + ε</c> with x uniform in [0, 1] and ε normal with standard deviation <paramref name="noise"/>.</summary>
    public static Dataset NoisySine(int rows, double noise, int seed)
    {
        var random = new Random(seed);
        var x = new float[rows];
        var y = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            x[i] = (float)random.NextDouble();
            // Box–Muller: the base library has no normal sampler.
            double gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            y[i] = (float)(Math.Sin(2 * Math.PI * x[i]) + noise * gaussian);
        }
        return new Dataset(x, rows, 1, y, featureNames: ["x"]);
    }
}

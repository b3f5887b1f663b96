using MLNetNN.Data;

namespace MLNetNN.Tests;

/// <summary>The data sets the tests use: the three real CSV files shipped in examples/data, and small generated ones.</summary>
internal static class TestData
{
    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "data", file);

    public static Dataset Iris() => CsvLoader.Load(PathOf("iris.csv"), "Species", LabelKind.Classification);

    public static Dataset BreastCancer() => CsvLoader.Load(PathOf("breast_cancer.csv"), "Label", LabelKind.Classification);

    public static Dataset Digits() => CsvLoader.Load(PathOf("digits.csv"), "Label", LabelKind.Classification);

    /// <summary>XOR's four points, each repeated so mini-batches have something to shuffle.</summary>
    public static Dataset Xor(int repeats = 1)
    {
        float[][] points = [[0, 0], [0, 1], [1, 0], [1, 1]];
        float[] labels = [0, 1, 1, 0];
        var x = new List<float>();
        var y = new List<float>();
        for (int r = 0; r < repeats; r++)
            for (int i = 0; i < 4; i++) { x.AddRange(points[i]); y.Add(labels[i]); }
        return new Dataset(x.ToArray(), 4 * repeats, 2, y.ToArray(), classNames: ["0", "1"]);
    }

    /// <summary>scikit-learn's make_moons: two interleaved half circles with Gaussian noise.</summary>
    public static Dataset TwoMoons(int rows, double noise, int seed)
    {
        var random = new Random(seed);
        var x = new float[rows * 2];
        var y = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            bool upper = i % 2 == 0;
            double t = Math.PI * random.NextDouble();
            double px = upper ? Math.Cos(t) : 1 - Math.Cos(t);
            double py = upper ? Math.Sin(t) : 0.5 - Math.Sin(t);
            x[2 * i] = (float)(px + noise * Gaussian(random));
            x[2 * i + 1] = (float)(py + noise * Gaussian(random));
            y[i] = upper ? 0 : 1;
        }
        return new Dataset(x, rows, 2, y, classNames: ["upper", "lower"]);
    }

    /// <summary>The lecture's exercise: y = sin(2πx) + noise for x uniform in [0, 1].</summary>
    public static Dataset NoisySine(int rows, double noise, int seed)
    {
        var random = new Random(seed);
        var x = new float[rows];
        var y = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            x[i] = (float)random.NextDouble();
            y[i] = (float)(Math.Sin(2 * Math.PI * x[i]) + noise * Gaussian(random));
        }
        return new Dataset(x, rows, 1, y);
    }

    /// <summary>
    /// Rows like flattened images: a blank margin before and after (of random width; one row in twenty blank throughout), and
    /// inside it half the values zero, the rest in [−1, 1).
    /// </summary>
    public static float[] ImageLikeRows(Random random, int count, int inputs)
    {
        var rows = new float[count * inputs];
        for (int r = 0; r < count; r++)
        {
            if (random.Next(20) == 0) continue;
            int first = random.Next(inputs / 3), last = inputs - 1 - random.Next(inputs / 3);
            for (int p = first; p <= last; p++) rows[r * inputs + p] = random.Next(2) == 0 ? 0f : 2f * random.NextSingle() - 1f;
        }
        return rows;
    }

    public static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

using System.Globalization;
using MLNetNN.Activations;
using MLNetNN.Data;
using MLNetNN.Metrics;
using MLNetNN.Optimizers;
using MLNetNN.Plotting;
using MLNetNN.Training;

namespace MLNetNN.Lecture;

/// <summary>
/// Example 5: Fashion-MNIST (Zalando's drop-in replacement for MNIST: 60,000 training and 10,000 test images of 28×28 grey
/// pixels, 10 kinds of clothing) with a 784-100-10 network: sigmoid hidden units, softmax output, Adam, batches of 100,
/// 30 epochs. Train and test accuracy after every epoch show where the network starts to overfit.
/// </summary>
public static class FashionMnist
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package puts the files.</summary>
    public const string DebianDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>How to get the data when it is missing.</summary>
    public const string InstallHint =
        "Install it with `sudo apt-get install dataset-fashion-mnist` (Debian/Ubuntu; it puts the files in " + DebianDirectory + "), " +
        "or download the four *-ubyte.gz files from https://github.com/zalandoresearch/fashion-mnist and pass their folder with --data DIR.";

    /// <summary>The ten classes, in label order.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Hidden units of the network.</summary>
    public const int HiddenUnits = 100;

    /// <summary>
    /// The four files' paths in <paramref name="directory"/> (default: <see cref="DebianDirectory"/>), gzip-compressed or not,
    /// or null when any is missing.
    /// </summary>
    public static FashionMnistFiles? Locate(string? directory = null)
    {
        directory ??= DebianDirectory;
        string? Find(string name) =>
            new[] { name + ".gz", name }.Select(n => Path.Combine(directory, n)).FirstOrDefault(File.Exists);
        var files = new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" }.Select(Find).ToArray();
        return files.Any(f => f is null) ? null : new FashionMnistFiles(files[0]!, files[1]!, files[2]!, files[3]!);
    }

    /// <summary>Trains and evaluates; <paramref name="trainRows"/> and <paramref name="testRows"/> take the first rows only (for quick runs).</summary>
    /// <param name="files">The data files (see <see cref="Locate"/>).</param>
    /// <param name="epochs">Passes over the training images.</param>
    /// <param name="trainRows">Training images to use; null for all 60,000.</param>
    /// <param name="testRows">Test images to use; null for all 10,000.</param>
    /// <param name="seed">Seed of the initial weights and the shuffling.</param>
    /// <param name="progress">Receives every epoch's figures as it ends.</param>
    public static FashionMnistResult Run(FashionMnistFiles files, int epochs = 30, int? trainRows = null, int? testRows = null, int seed = 1,
        IProgress<EpochRecord>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        var (train, test) = Load(files, trainRows, testRows);
        var run = Trainers.MulticlassClassification(new NeuralNetworkOptions
        {
            HiddenLayers = [HiddenUnits], HiddenActivation = ActivationKind.Sigmoid, Optimizer = OptimizerKind.Adam,
            LearningRate = 1e-3f, BatchSize = 100, Epochs = epochs, Seed = seed,
            // Pixels are already in [0, 1]; every epoch runs, and the final weights are kept, so the curves show overfitting as it happens.
            Scaling = ScalingKind.None, Convergence = ConvergenceCriterion.None, RestoreBestWeights = false,
            // Train accuracy after each epoch on all training images, as the lecture plots it (not the running figure).
            MeasureTrainingSetAfterEpoch = true,
        }).Fit(train, test, progress);
        var metrics = run.Model.EvaluateClassification(test);
        return new FashionMnistResult(train.Rows, test.Rows, $"784-{HiddenUnits}-10, sigmoid hidden, softmax output, Adam, batch 100", run, metrics,
            [Accuracy(run, "Fashion-MNIST, 784-100-10", "fashion-accuracy.svg"), Confusion(metrics, "fashion-confusion.svg"), EpochTimes(run, "fashion-epoch-time.svg")]);
    }

    /// <summary>The four files' training and test sets, the first <paramref name="trainRows"/> and <paramref name="testRows"/> rows of each (all when null).</summary>
    internal static (Dataset Train, Dataset Test) Load(FashionMnistFiles files, int? trainRows, int? testRows) =>
        (First(IdxReader.LoadDataset(files.TrainImages, files.TrainLabels, classNames: ClassNames), trainRows),
         First(IdxReader.LoadDataset(files.TestImages, files.TestLabels, classNames: ClassNames), testRows));

    private static Dataset First(Dataset data, int? rows) =>
        rows is int n && n < data.Rows ? data.Subset(Enumerable.Range(0, n).ToArray()) : data;

    /// <summary>Train and test accuracy after each epoch.</summary>
    internal static LectureFigure Accuracy(TrainingResult run, string title, string file)
    {
        var chart = new LineChart { Title = title, XLabel = "epoch", YLabel = "accuracy", Width = 720, Height = 480,
            Legend = LegendPosition.BottomRight };
        chart.Lines.Add(new LineSeries("train", Drawing.Epochs(run.History), run.History.Select(h => h.TrainMetric).ToArray()) { Marker = MarkerShape.Circle });
        chart.Lines.Add(new LineSeries("test", Drawing.Epochs(run.History), run.History.Select(h => h.ValidationMetric ?? double.NaN).ToArray()) { Marker = MarkerShape.Square });
        return new LectureFigure(file, "train and test accuracy after each epoch", chart.ToSvg());
    }

    /// <summary>The test confusion matrix as a heat map.</summary>
    internal static LectureFigure Confusion(ClassificationMetrics metrics, string file)
    {
        var counts = metrics.ConfusionMatrix.Counts;
        var map = HeatMap.FromMatrix(counts, metrics.ClassNames, metrics.ClassNames);
        map.Title = "Confusion matrix on the test images";
        map.XLabel = "predicted";
        map.YLabel = "actual";
        map.ShowValues = true;
        map.ValueFormat = "0";
        map.ColorMap = ColorMap.Blues;
        map.ColorBarLabel = "images";
        map.Width = 760;
        map.Height = 640;
        return new LectureFigure(file, "test confusion matrix (rows actual, columns predicted)", map.ToSvg());
    }

    /// <summary>Wall-clock seconds of each epoch.</summary>
    internal static LectureFigure EpochTimes(TrainingResult run, string file)
    {
        var chart = new LineChart { Title = "Time per epoch", XLabel = "epoch", YLabel = "seconds", Legend = LegendPosition.None };
        var seconds = run.History.Select(h => h.Duration!.Value.TotalSeconds).ToArray();
        chart.YRange = new AxisRange(0, Math.Max(0.1, seconds.Max() * 1.15));
        chart.Lines.Add(new LineSeries("seconds", Drawing.Epochs(run.History), seconds) { Marker = MarkerShape.Circle });
        return new LectureFigure(file, "wall-clock seconds per epoch (training plus the test pass)", chart.ToSvg());
    }
}

/// <summary>Paths of the four Fashion-MNIST files.</summary>
/// <param name="TrainImages">train-images-idx3-ubyte(.gz)</param>
/// <param name="TrainLabels">train-labels-idx1-ubyte(.gz)</param>
/// <param name="TestImages">t10k-images-idx3-ubyte(.gz)</param>
/// <param name="TestLabels">t10k-labels-idx1-ubyte(.gz)</param>
public sealed record FashionMnistFiles(string TrainImages, string TrainLabels, string TestImages, string TestLabels);

/// <summary>Per-epoch accuracies, the final test metrics and the timings.</summary>
public sealed class FashionMnistResult : ExampleResult
{
    internal FashionMnistResult(int trainRows, int testRows, string network, TrainingResult run, ClassificationMetrics test, IReadOnlyList<LectureFigure> figures)
    {
        Network = network;
        TrainRows = trainRows;
        TestRows = testRows;
        Run = run;
        Test = test;
        Figures = figures;
    }

    /// <summary>The network and its training, in words.</summary>
    public string Network { get; }

    /// <summary>Training images used.</summary>
    public int TrainRows { get; }

    /// <summary>Test images used.</summary>
    public int TestRows { get; }

    /// <summary>The training run; its history holds train and test accuracy, both measured after each epoch.</summary>
    public TrainingResult Run { get; }

    /// <summary>The final network's metrics on the test images, confusion matrix included.</summary>
    public ClassificationMetrics Test { get; }

    /// <summary>Mean wall-clock time of an epoch.</summary>
    public TimeSpan MeanEpochTime => TimeSpan.FromTicks((long)Run.History.Average(h => h.Duration!.Value.Ticks));

    /// <inheritdoc/>
    public override IReadOnlyList<LectureFigure> Figures { get; }

    /// <inheritdoc/>
    public override void WriteReport(TextWriter writer)
    {
        var c = CultureInfo.InvariantCulture;
        writer.WriteLine(string.Format(c, "Fashion-MNIST: {0} training and {1} test images; {2}.", TrainRows, TestRows, Network));
        writer.WriteLine("epoch   train acc   test acc   seconds");
        foreach (var h in Run.History)
            writer.WriteLine(string.Format(c, "{0,5}   {1,9:F4}   {2,8:F4}   {3,7:F2}", h.Epoch, h.TrainMetric, h.ValidationMetric, h.Duration!.Value.TotalSeconds));
        var best = Run.History.MaxBy(h => h.ValidationMetric ?? 0)!;
        writer.WriteLine(string.Format(c, "Final test accuracy {0:P2} (best {1:P2} after epoch {2}); {3:F2} s per epoch on average, {4:F0} s in all, on {5} cores.",
            Test.Accuracy, best.ValidationMetric, best.Epoch, MeanEpochTime.TotalSeconds, Run.Elapsed.TotalSeconds, Environment.ProcessorCount));
        writer.WriteLine("Test confusion matrix (rows actual, columns predicted):");
        writer.WriteLine(Test.ConfusionMatrix.ToString());
    }
}

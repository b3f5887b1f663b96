using System.Diagnostics;
using System.Globalization;
using MLNetNN.Lecture;
using MLNetNN.ModelSelection;
using MLNetNN.Training;

// The lecture's experiments, one subcommand each. See examples/README.md.
return LectureProgram.Run(args);

/// <summary>Parses the command line, runs one example, prints its numbers and saves its figures.</summary>
internal static class LectureProgram
{
    private const string Usage = """
        Usage: dotnet run --project examples/Lecture -- <example> [--out DIR]
          activations   1. activation functions and their derivatives on [-5, 5]
          neuron        2. a sigmoid neuron (gradient descent) and a perceptron on Iris, setosa against the rest
          nonlinear     3. 4 sigmoid hidden units on data no line separates: curves, decision regions, hidden units
          sine          4. regression of sin(2πx) from 100 noisy points with 32 sigmoid hidden units
          fashion       5. Fashion-MNIST, 784-100-10, 30 epochs   [--data DIR] [--epochs N] [--train-rows N] [--test-rows N]
          gridsearch    6. hidden units × L2 × learning rate, 5-fold cross-validation, table and heat maps
          fashion-cnn   7. Fashion-MNIST, two convolution + pooling blocks, dense 128, dropout, 12 epochs   [same options as fashion]
        --out DIR       where the SVG figures go (default: ./figures)
        """;

    public static int Run(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        Dictionary<string, string> options;
        try
        {
            options = ParseOptions(args.AsSpan(1));
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}\n{Usage}");
            return 2;
        }
        string output = options.GetValueOrDefault("out", "figures");
        var clock = Stopwatch.StartNew();
        ExampleResult? result;
        try
        {
            result = args[0] switch
            {
                "activations" => ActivationFunctions.Run(),
                "neuron" => SingleNeuron.Run(),
                "nonlinear" => NonLinearClassification.Run(),
                "sine" => SineRegression.Run(),
                "fashion" => RunFashion(options, convolutional: false),
                "fashion-cnn" => RunFashion(options, convolutional: true),
                "gridsearch" => ModelSelectionGrid.Run(progress: new GridProgress(ModelSelectionGrid.Combinations)),
                _ => throw new ArgumentException($"Unknown example '{args[0]}'."),
            };
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException or InvalidDataException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            if (e is ArgumentException) Console.Error.WriteLine(Usage);
            return 2;
        }
        if (result is null) return 0;   // nothing to do, and the example has said why

        result.WriteReport(Console.Out);
        Console.WriteLine();
        var paths = result.SaveFigures(output);
        for (int i = 0; i < paths.Count; i++)
            Console.WriteLine($"Wrote {Path.GetFullPath(paths[i])}: {result.Figures[i].Caption}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Done in {clock.Elapsed.TotalSeconds:F1} s."));
        return 0;
    }

    private static FashionMnistResult? RunFashion(Dictionary<string, string> options, bool convolutional)
    {
        string directory = options.GetValueOrDefault("data", FashionMnist.DebianDirectory);
        if (FashionMnist.Locate(directory) is not { } files)
        {
            Console.WriteLine($"Fashion-MNIST was not found in {directory}.");
            Console.WriteLine(FashionMnist.InstallHint);
            return null;
        }
        int epochs = Integer(options, "epochs") ?? (convolutional ? 12 : 30);
        Console.WriteLine($"Loading Fashion-MNIST from {Path.GetDirectoryName(files.TrainImages)} and training for {epochs} epochs…");
        return convolutional
            ? FashionMnistCnn.Run(files, epochs, Integer(options, "train-rows"), Integer(options, "test-rows"), progress: new ConsoleEpochProgress())
            : FashionMnist.Run(files, epochs, Integer(options, "train-rows"), Integer(options, "test-rows"), progress: new ConsoleEpochProgress());
    }

    private static int? Integer(Dictionary<string, string> options, string name)
    {
        if (!options.TryGetValue(name, out string? text)) return null;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < 1)
            throw new ArgumentException($"--{name} needs a positive whole number; got '{text}'.");
        return value;
    }

    /// <summary>"--name value" pairs; every option takes a value.</summary>
    private static Dictionary<string, string> ParseOptions(ReadOnlySpan<string> args)
    {
        string[] known = ["out", "data", "epochs", "train-rows", "test-rows"];
        var options = new Dictionary<string, string>();
        for (int i = 0; i < args.Length; i += 2)
        {
            string name = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : throw new ArgumentException($"Expected an option such as --out, got '{args[i]}'.");
            if (!known.Contains(name)) throw new ArgumentException($"Unknown option '--{name}'.");
            if (i + 1 >= args.Length) throw new ArgumentException($"--{name} needs a value.");
            options[name] = args[i + 1];
        }
        return options;
    }

    /// <summary>Prints each epoch as it ends; <see cref="Progress{T}"/> would post to the thread pool and could reorder lines.</summary>
    private sealed class ConsoleEpochProgress : IProgress<EpochRecord>
    {
        public void Report(EpochRecord value) => Console.WriteLine(value);
    }

    /// <summary>One line per scored combination, so a long search shows it is moving.</summary>
    private sealed class GridProgress(int total) : IProgress<GridSearchEntry>
    {
        private int _done;

        public void Report(GridSearchEntry value) =>
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{++_done,2}/{total}] {value.Description}: {value.CrossValidation.Mean:F3}"));
    }
}

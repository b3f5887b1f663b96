using System.Globalization;
using MLNetNN;
using MLNetNN.Activations;
using MLNetNN.Data;
using MLNetNN.Layers;
using MLNetNN.Networks;
using MLNetNN.Serialization;
using MLNetNN.Serialization.Onnx;
using MLNetNN.Training;

// Usage: dotnet run --project examples/Quickstart [-- <file.csv> <label column> [options]]
//   --task binary|multiclass|regression   (default: multiclass for text labels, binary for two classes)
//   --hidden 64,32   --activation relu   --epochs 200   --lr 0.001   --batch 32   --seed 1   --out model.nn
//   --layers dense128,dropout0.5,bn,dense64   (layers of several kinds instead of --hidden; see MLNetNN.Networks.LayerText)
//   --input-shape 28x28x1   (an image's height x width x channels, for layers that need one)
//   (every option left out takes the library's default, from MLNetNN.Training.Defaults)
//   --onnx model.onnx   (also writes the model as ONNX, for ONNX Runtime and other ONNX tools; see docs/onnx.md)
//   --target-scaling standardize|minmax|none   (regression; default standardize)
//   --class-weight balanced|name=weight,...    (classification; default none)
// Without a file it trains on the embedded Iris data (label column Species).
return Quickstart.Run(args);

internal static class Quickstart
{
    public static int Run(string[] args)
    {
        try
        {
            var settings = Settings.Parse(args);
            var (all, source) = Load(settings);
            Console.WriteLine($"Data: {source}: {all.Rows} rows, {all.Columns} features ({string.Join(", ", all.FeatureNames.Take(6))}{(all.Columns > 6 ? ", …" : "")})");
            var task = settings.Task ?? (all.ClassNames is null ? TaskKind.Regression : all.ClassCount == 2 ? TaskKind.BinaryClassification : TaskKind.MulticlassClassification);
            if (all.ClassNames is not null) Console.WriteLine($"Classes: {string.Join(", ", all.ClassNames)}");

            var (train, test) = DataSplit.TrainTestSplit(all, 0.25, settings.Seed, stratify: task != TaskKind.Regression);
            Console.WriteLine($"Split: {train.Rows} training rows, {test.Rows} held-out rows.\n");
            var trainer = new NeuralNetworkTrainer(settings.Options(task));
            using var cancel = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); Console.WriteLine("Stopping after this batch…"); };
            var result = trainer.Fit(train, progress: new ConsoleProgress(), cancellationToken: cancel.Token);
            Console.WriteLine($"\n{result.StopReason}: {result.Message}\n");
            if (result.StoppedWhileImproving)
                Console.WriteLine($"warning: training had not converged when the epoch limit stopped it; try --epochs {2 * settings.Epochs}.\n");

            Console.WriteLine("Model:");
            Console.WriteLine(result.Model.Summary());
            Console.WriteLine($"Held-out metrics ({test.Rows} rows never seen in training):");
            Console.WriteLine(task == TaskKind.Regression ? result.Model.EvaluateRegression(test) : result.Model.EvaluateClassification(test));

            result.Model.Save(settings.Output);
            var reloaded = ModelFile.Load(settings.Output);
            var row = test.Row(0).ToArray();
            var prediction = reloaded.PredictRow(row);
            Console.WriteLine($"\nSaved to {Path.GetFullPath(settings.Output)}; reloaded, it predicts the first held-out row as " +
                (prediction.Label is null ? string.Join(", ", prediction.Outputs.Select(v => v.ToString("G4", CultureInfo.InvariantCulture)))
                    : $"'{prediction.Label}' (p = {prediction.Probability:F3})") + ".");
            if (settings.Onnx is not null)
            {
                result.Model.SaveOnnx(settings.Onnx);
                Console.WriteLine($"Wrote the ONNX model to {Path.GetFullPath(settings.Onnx)} (input '{OnnxExporter.InputName}'; opset {OnnxExporter.Opset}).");
            }
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException or TrainingDivergedException or ModelFormatException or NotSupportedException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static (Dataset Data, string Source) Load(Settings settings)
    {
        if (settings.File is null)
        {
            using var stream = typeof(Quickstart).Assembly.GetManifestResourceStream("iris.csv")!;
            using var reader = new StreamReader(stream);
            return (CsvLoader.Load(reader, "iris.csv (embedded)", "Species", LabelKind.Classification), "iris.csv (embedded)");
        }
        var kind = settings.Task == TaskKind.Regression ? LabelKind.Regression : LabelKind.Classification;
        return (CsvLoader.Load(settings.File, settings.Label!, kind), settings.File);
    }

    private sealed class ConsoleProgress : IProgress<EpochRecord>
    {
        public void Report(EpochRecord value)
        {
            // Every epoch for short runs, every tenth for long ones, so the console stays readable.
            if (value.MaxEpochs <= 50 || value.Epoch % 10 == 0 || value.Epoch == 1) Console.WriteLine(value);
        }
    }

    /// <summary>The command line: a CSV file and its label column (or neither), and the options; whatever is left out takes <see cref="Defaults"/>.</summary>
    internal sealed record Settings(string? File, string? Label, TaskKind? Task, int[] Hidden, ActivationKind Activation, int Epochs,
        float LearningRate, int BatchSize, int Seed, string Output, string? Onnx, ScalingKind? TargetScaling,
        bool BalancedClassWeights, IReadOnlyDictionary<string, float>? ClassWeights)
    {
        /// <summary>Hidden layers of several kinds (<c>--layers</c>), which replace <see cref="Hidden"/>; null when not given.</summary>
        public IReadOnlyList<LayerSpec>? Layers { get; init; }

        /// <summary>An image input's shape (<c>--input-shape</c>); null for a flat input.</summary>
        public LayerShape? InputShape { get; init; }

        /// <summary>The engine's options for <paramref name="task"/>: the library's defaults with what the command line set.</summary>
        public NeuralNetworkOptions Options(TaskKind task) => new()
        {
            Task = task, HiddenLayers = Hidden, Layers = Layers, InputShape = InputShape, HiddenActivation = Activation, Epochs = Epochs, LearningRate = LearningRate,
            BatchSize = BatchSize, Seed = Seed, TargetScaling = task == TaskKind.Regression ? TargetScaling : null,
            BalancedClassWeights = BalancedClassWeights, ClassWeights = ClassWeights,
        };

        /// <summary>Reads the command line; a bad value or an unknown option is an <see cref="ArgumentException"/> naming it.</summary>
        public static Settings Parse(string[] args)
        {
            var positional = new List<string>();
            var named = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (int i = 0; i < args.Length; i++)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal)) { positional.Add(args[i]); continue; }
                if (i + 1 >= args.Length) throw new ArgumentException($"Option {args[i]} needs a value.");
                named[args[i][2..]] = args[++i];
            }
            if (positional.Count is 1 or > 2) throw new ArgumentException("Give a CSV file and its label column, or nothing to use the embedded Iris data.");
            string Get(string key, string fallback) => named.Remove(key, out var v) ? v : fallback;
            var c = CultureInfo.InvariantCulture;
            var settings = new Settings(
                positional.ElementAtOrDefault(0), positional.ElementAtOrDefault(1),
                named.Remove("task", out var t) ? t.ToLowerInvariant() switch
                {
                    "binary" => TaskKind.BinaryClassification, "multiclass" => TaskKind.MulticlassClassification, "regression" => TaskKind.Regression,
                    _ => throw new ArgumentException($"--task {t}: use binary, multiclass or regression."),
                } : null,
                named.Remove("hidden", out var hidden) ? hidden.Split(',').Select(s => Number<int>("hidden", s)).ToArray() : [.. Defaults.HiddenLayers],
                !named.Remove("activation", out var activationName) ? Defaults.HiddenActivation
                    : Enum.TryParse<ActivationKind>(activationName, ignoreCase: true, out var activation) ? activation
                    : throw new ArgumentException($"--activation: use one of {string.Join(", ", Enum.GetNames<ActivationKind>())}."),
                named.Remove("epochs", out var epochs) ? Number<int>("epochs", epochs) : Defaults.Epochs,
                named.Remove("lr", out var rate) ? Number<float>("lr", rate) : Defaults.LearningRate,
                named.Remove("batch", out var batch) ? Number<int>("batch", batch) : Defaults.BatchSize,
                Number<int>("seed", Get("seed", "1")), Get("out", "model.nn"), named.Remove("onnx", out var onnx) ? onnx : null,
                named.Remove("target-scaling", out var scaling)
                    ? Enum.TryParse<ScalingKind>(scaling, ignoreCase: true, out var kind) && Enum.IsDefined(kind) ? kind
                        : throw new ArgumentException($"--target-scaling {scaling}: use standardize, minmax or none.")
                    : null,
                named.TryGetValue("class-weight", out var balanced) && balanced.Equals("balanced", StringComparison.OrdinalIgnoreCase) && named.Remove("class-weight"),
                named.Remove("class-weight", out var weights) ? ClassWeightMap(weights) : null);
            if (named.Remove("layers", out var layers))
            {
                if (args.Contains("--hidden")) throw new ArgumentException("--layers replaces --hidden; give one of them.");
                try
                {
                    settings = settings with { Layers = LayerText.Parse(layers, settings.Activation) };
                }
                catch (FormatException e)
                {
                    throw new ArgumentException($"--layers: {e.Message}", e);
                }
            }
            if (named.Remove("input-shape", out var shape))
            {
                try
                {
                    settings = settings with { InputShape = LayerShape.Parse(shape) };
                }
                catch (FormatException e)
                {
                    throw new ArgumentException($"--input-shape: {e.Message}", e);
                }
            }
            if (named.Count > 0) throw new ArgumentException($"Unknown option(s): {string.Join(", ", named.Keys.Select(k => "--" + k))}.");
            return settings;
        }

        /// <summary><c>name=weight,name=weight</c> as a map; a class name may not hold '=' or ','.</summary>
        private static Dictionary<string, float> ClassWeightMap(string text) => text.Split(',').Select(pair =>
        {
            int at = pair.LastIndexOf('=');
            if (at <= 0) throw new ArgumentException($"--class-weight {text}: use balanced, or name=weight pairs separated by commas.");
            return (Name: pair[..at], Weight: Number<float>("class-weight", pair[(at + 1)..]));
        }).ToDictionary(p => p.Name, p => p.Weight, StringComparer.Ordinal);

        private static T Number<T>(string option, string text) where T : IParsable<T> =>
            T.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value : throw new ArgumentException($"--{option} {text}: expected a number.");
    }
}

// The ML.NET streaming benchmark of issue 15: the adapter's epoch through an IDataView that streams beside the engine's epoch on
// the same rows in memory, measured in one invocation, with the ratio against the issue's target. See README.md beside this file.
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetNN.Data;
using MLNetNN.MLNet;
using MLNetNN.MLNet.Bench;
using MLNetNN.Training;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var settings = Settings.Parse(args);
if (settings is null) return 2;

Console.WriteLine($"MLNetNN ML.NET streaming benchmark   {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine($"machine : {Environment.ProcessorCount} cores, .NET {Environment.Version}, Microsoft.ML {typeof(MLContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]}");
Console.WriteLine($"load    : {LoadAverage()} (1/5/15-minute load average at start)");
var clock = Stopwatch.StartNew();
var rows = new SyntheticRows(settings.Rows, settings.Features, seed: 7);
Console.WriteLine($"data    : {rows.Rows:N0} rows × {rows.Columns} features, binary label, generated in {clock.Elapsed.TotalSeconds:F1} s");
Console.WriteLine($"network : {rows.Columns}-{string.Join("-", Defaults.HiddenLayers)}-1, {Defaults.HiddenActivation}, {Defaults.Optimizer}, batch {Defaults.BatchSize}, " +
    $"threads {(settings.Threads?.ToString() ?? $"default ({Environment.ProcessorCount})")}, {settings.Epochs} epochs a run, {settings.Rounds} round(s) taking turns");
Console.WriteLine($"epochs  : the median of epochs 2..{settings.Epochs} of every round (epoch 1 includes warm-up); 'fit' is the whole Fit per epoch, passes before the first epoch included;");
Console.WriteLine("          'CPU' is the processor time of all the process's threads per epoch (median of the rounds), which a busy machine stretches less than the wall clock");
Console.WriteLine();

var ml = new MLContext(seed: 1);
string? binaryPath = null;
var views = new List<(string Name, string What, IDataView View)>();
foreach (string name in settings.Views)
{
    switch (name)
    {
        case "stream":
            views.Add((name, "custom IDataView over the rows: cannot shuffle, no row count", new StreamingRowsView(rows)));
            break;
        case "enumerable":
            var definition = SchemaDefinition.Create(typeof(BenchRow));
            definition[nameof(BenchRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, rows.Columns);
            views.Add((name, "ml.Data.LoadFromEnumerable over rows made as they are read", ml.Data.LoadFromEnumerable(BenchRow.Lazily(rows), definition)));
            break;
        case "binary":
            binaryPath = Path.Combine(Path.GetTempPath(), $"mlnetnn-bench-{Environment.ProcessId}.idv");
            clock.Restart();
            using (var file = File.Create(binaryPath)) ml.Data.SaveAsBinary(new StreamingRowsView(rows), file);
            Console.WriteLine($"binary  : wrote {new FileInfo(binaryPath).Length / 1e6:F0} MB to {binaryPath} in {clock.Elapsed.TotalSeconds:F1} s");
            views.Add((name, "ml.Data.LoadFromBinary of an .idv file (ML.NET's own format, read from disk)", ml.Data.LoadFromBinary(binaryPath)));
            break;
        case "cached":
            views.Add((name, "ml.Data.Cache over the custom view (filled by the first pass)", ml.Data.Cache(new StreamingRowsView(rows))));
            break;
    }
}

var engine = new List<Run>();
var adapter = views.ToDictionary(v => v.Name, _ => new List<Run>());
try
{
    for (int round = 0; round < settings.Rounds; round++)
    {
        engine.Add(Measure(() => EngineInMemory(rows, settings), settings));
        foreach (var (name, _, view) in views)
            adapter[name].Add(Measure(() => Adapter(ml, view, settings), settings));
    }
}
finally
{
    if (binaryPath is not null) File.Delete(binaryPath);
}

double engineEpoch = Median(engine.SelectMany(r => r.Steady));
Console.WriteLine($"{"path",-11} {"epoch s",8} {"rows/s",12} {"× engine",9} {"fit s/epoch",12} {"CPU s/epoch",12} {"× engine",9} {"MB alloc/epoch",15}  what");
Print("engine", engineEpoch, engine, "the engine's Fit(Dataset) on the rows in memory (standardised copy, shuffled each epoch)");
foreach (var (name, what, _) in views) Print(name, engineEpoch, adapter[name], what);
Console.WriteLine();
Console.WriteLine($"target  : the adapter's epoch ≤ 1.5 × the engine's in-memory epoch ({1.5 * engineEpoch:F3} s here)");
foreach (var (name, _, _) in views)
{
    double ratio = Median(adapter[name].SelectMany(r => r.Steady)) / engineEpoch;
    Console.WriteLine($"          {name,-11} {ratio:F2}× {(ratio <= 1.5 ? "met" : "missed")}");
}
Console.WriteLine($"load    : {LoadAverage()} (at end)");
return 0;

void Print(string name, double engineEpoch, List<Run> runs, string what)
{
    double cpu = Median(runs.Select(r => r.CpuSecondsPerEpoch)), engineCpu = Median(engine.Select(r => r.CpuSecondsPerEpoch));
    double epoch = Median(runs.SelectMany(r => r.Steady));
    double fit = Median(runs.Select(r => r.FitSeconds / settings.Epochs));
    double allocated = Median(runs.Select(r => r.AllocatedBytesPerEpoch)) / 1e6;
    Console.WriteLine($"{name,-11} {epoch,8:F3} {rows.Rows / epoch,12:N0} {epoch / engineEpoch,8:F2}× {fit,12:F3} {cpu,12:F3} {cpu / engineCpu,8:F2}× {allocated,15:F1}  {what}");
}

static Run Measure(Action fit, Settings settings)
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    Recorder.Current = new Recorder();
    var clock = Stopwatch.StartNew();
    fit();
    double seconds = clock.Elapsed.TotalSeconds;
    var recorder = Recorder.Current;
    return new Run([.. recorder.Epochs.Skip(1)], seconds, recorder.AllocatedBytesPerEpoch, recorder.CpuSecondsPerEpoch);
}

static void EngineInMemory(SyntheticRows rows, Settings settings)
{
    // The engine's own Dataset keeps its arrays; its Fit standardises a copy, as it would for any caller.
    var data = new Dataset(rows.Features, rows.Rows, rows.Columns, rows.Labels, classNames: ["False", "True"]);
    var trainer = new NeuralNetworkTrainer(new NeuralNetworkOptions
    {
        Task = TaskKind.BinaryClassification,
        Epochs = settings.Epochs,
        Convergence = ConvergenceCriterion.None,
        Seed = 1,
        Threads = settings.Threads,
    });
    trainer.Fit(data, progress: Recorder.Current);
}

static void Adapter(MLContext ml, IDataView view, Settings settings)
{
    var trainer = ml.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkBinaryTrainer.Options
    {
        Epochs = settings.Epochs,
        Convergence = ConvergenceCriterion.None,
        Seed = 1,
        NumberOfThreads = settings.Threads,
        Progress = Recorder.Current,
    });
    trainer.Fit(view);
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

/// <summary>One training run: its epoch times after the first, the whole Fit's time, and the bytes allocated per epoch.</summary>
sealed record Run(double[] Steady, double FitSeconds, double AllocatedBytesPerEpoch, double CpuSecondsPerEpoch);

/// <summary>Records each epoch as the trainer reports it (synchronously, on the training thread), with the process's allocations.</summary>
sealed class Recorder : IProgress<EpochRecord>
{
    public static Recorder Current { get; set; } = new();

    public List<double> Epochs { get; } = [];

    private long _allocatedAtEpoch1 = -1, _allocatedAtLast;
    private TimeSpan _cpuAtEpoch1, _cpuAtLast;

    /// <summary>Bytes allocated by the process between the end of epoch 1 and the end of the last epoch, per epoch.</summary>
    public double AllocatedBytesPerEpoch => Epochs.Count > 1 ? (double)(_allocatedAtLast - _allocatedAtEpoch1) / (Epochs.Count - 1) : double.NaN;

    /// <summary>Processor time of every thread of the process between the end of epoch 1 and the end of the last epoch, per epoch.</summary>
    public double CpuSecondsPerEpoch => Epochs.Count > 1 ? (_cpuAtLast - _cpuAtEpoch1).TotalSeconds / (Epochs.Count - 1) : double.NaN;

    public void Report(EpochRecord value)
    {
        Epochs.Add(value.Duration!.Value.TotalSeconds);
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        if (_allocatedAtEpoch1 < 0) (_allocatedAtEpoch1, _cpuAtEpoch1) = (allocated, cpu);
        (_allocatedAtLast, _cpuAtLast) = (allocated, cpu);
    }
}

/// <summary>Command line: --rows N, --features N, --epochs N, --rounds N, --threads N, --views stream,enumerable,binary,cached.</summary>
sealed record Settings(int Rows, int Features, int Epochs, int Rounds, int? Threads, string[] Views)
{
    private static readonly string[] AllViews = ["stream", "enumerable", "binary", "cached"];

    public static Settings? Parse(string[] args)
    {
        int rows = 1_000_000, features = 50, epochs = 3, rounds = 2;
        int? threads = null;
        string[] views = ["stream", "enumerable"];
        const string usage = "usage: MLNetNN.MLNet.Bench [--rows N] [--features N] [--epochs N] [--rounds N] [--threads N] [--views stream,enumerable,binary,cached]";
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rows": rows = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--features": features = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--epochs": epochs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--views": views = args[++i].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries); break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}\n{usage}");
                    return null;
            }
        }
        if (views.FirstOrDefault(v => !AllViews.Contains(v)) is { } unknown) { Console.Error.WriteLine($"unknown view {unknown}: one of {string.Join(", ", AllViews)}\n{usage}"); return null; }
        if (epochs < 2) { Console.Error.WriteLine("--epochs must be at least 2 (epoch 1 is warm-up)"); return null; }
        if (rows < 1000 || features < 1 || rounds < 1) { Console.Error.WriteLine($"--rows must be at least 1000, --features and --rounds at least 1\n{usage}"); return null; }
        return new Settings(rows, features, epochs, rounds, threads, views);
    }
}

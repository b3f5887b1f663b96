// The model-quality benchmark of issue 13 (item 6): MLNetNN with its library defaults, and with any settings named on the command
// line, beside scikit-learn's MLP (its defaults, Adam with max_iter 1000, L-BFGS) on the same shuffled 5-fold splits of the
// same data sets, all in this one invocation, with a verdict per set against the issue's targets. See README.md beside this file.
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using MLNetNN.Data;
using MLNetNN.Models;
using MLNetNN.Training;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var settings = Settings.Parse(args);
if (settings is null) return 2;

Console.WriteLine($"MLNetNN model-quality benchmark   {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine($"machine : {Environment.ProcessorCount} cores, {Machine.CpuName()}, .NET {Environment.Version}; load {Machine.LoadAverage()} (1/5/15-minute average at start)");
Console.WriteLine($"folds   : {settings.Folds} shuffled folds, seed 0, made by scikit-learn (StratifiedKFold for classification, KFold for regression) and used by every column");
Console.WriteLine(settings.Seeds == 1 ? "seeds   : 1 (scikit-learn random_state=0, MLNetNN Seed = 0)"
    : $"seeds   : {settings.Seeds}: every fold trained with random_state / Seed 0..{settings.Seeds - 1}, its score the mean over them");
Console.WriteLine("MLNetNN : defaults = new NeuralNetworkOptions { Task = <the set's task>, Seed = <seed> }, nothing else set; features standardised by the trainer on each training fold");
foreach (var alternative in settings.Alternatives)
    Console.WriteLine($"          {alternative.Label} = the defaults with {alternative.Spec}");

// Compile the training path before anything is timed, so the first fold of the first set does not carry the JIT.
Quality.WarmUp();

var peer = new PeerRunner();
var outcomes = new List<SetOutcome>();
bool peerHeaderPrinted = false;
foreach (var set in settings.Sets)
{
    Dataset data;
    try
    {
        data = CsvLoader.Load(set.Path, set.LabelColumn, set.IsRegression ? LabelKind.Regression : LabelKind.Classification);
    }
    catch (Exception e) when (e is IOException or CsvFormatException or ArgumentException)
    {
        Console.Error.WriteLine($"{set.Name}: cannot load {set.Path}: {e.Message}");
        return 1;
    }
    var peerResult = peer.Run(set, settings, out var cachedAt);
    if (peerResult is JsonElement p && !peerHeaderPrinted)
    {
        Console.WriteLine($"sklearn : {p.GetProperty("sklearn").GetString()} (numpy {p.GetProperty("numpy").GetString()}), BLAS {p.GetProperty("blas").GetString()}; every model random_state = the seed");
        peerHeaderPrinted = true;
    }
    var folds = Quality.Folds(peerResult, data, settings.Folds, set, out string foldSource);
    var rows = new List<Row>();
    if (peerResult is JsonElement j)
        foreach (var model in j.GetProperty("models").EnumerateObject())
            rows.Add(Row.FromPeer(model.Name, model.Value));
    var task = set.IsRegression ? TaskKind.Regression : data.ClassCount == 2 ? TaskKind.BinaryClassification : TaskKind.MulticlassClassification;
    rows.Add(Quality.RunOurs("MLNetNN defaults", seed => new NeuralNetworkOptions { Task = task, Seed = seed }, data, folds, settings.Seeds));
    foreach (var alternative in settings.Alternatives)
        rows.Add(Quality.RunOurs(alternative.Label, seed => alternative.Apply(new NeuralNetworkOptions { Task = task, Seed = seed }), data, folds, settings.Seeds));
    var outcome = new SetOutcome(set, data, foldSource + (cachedAt is DateTime at ? $"; scikit-learn's figures cached {at:yyyy-MM-dd HH:mm} UTC" : ""), rows);
    Report.PrintSet(outcome);
    outcomes.Add(outcome);
}
Report.PrintSummary(outcomes, settings);
Console.WriteLine($"load    : {Machine.LoadAverage()} (at end)");
return 0;

/// <summary>A data set: a CSV with a header row, its label column and whether the label is a number to regress.</summary>
sealed record DataSetSpec(string Name, string Path, string LabelColumn, bool IsRegression)
{
    /// <summary>The five sets of issue 13, in examples/data.</summary>
    public static readonly (string Name, string Label, bool Regression)[] BuiltIn =
    [
        ("iris", "Species", false), ("breast_cancer", "Label", false), ("digits", "Label", false),
        ("friedman1", "Target", true), ("friedman2", "Target", true),
    ];
}

/// <summary>One named alternative to MLNetNN's defaults: <c>Name=Value</c> pairs applied to <see cref="NeuralNetworkOptions"/> by property name.</summary>
sealed record Alternative(string Label, string Spec, IReadOnlyList<(PropertyInfo Property, object? Value)> Assignments)
{
    /// <summary>Properties the benchmark sets per data set, which an alternative may not override.</summary>
    private static readonly string[] Reserved = [nameof(NeuralNetworkOptions.Task)];

    /// <summary>
    /// Parses <c>"Optimizer=Lbfgs,HiddenLayers=64/32,Epochs=500"</c>: property names as in <see cref="NeuralNetworkOptions"/> (any case),
    /// enum members by name, lists of numbers separated by '/', <c>null</c> for an unset nullable setting. An optional
    /// <c>"label:"</c> prefix names the column. Throws <see cref="FormatException"/> naming the pair it cannot apply.
    /// </summary>
    public static Alternative Parse(string text)
    {
        string label = "MLNetNN " + text, spec = text;
        int colon = text.IndexOf(':');
        if (colon > 0 && colon < text.IndexOf('='))
        {
            label = "MLNetNN " + text[..colon].Trim();
            spec = text[(colon + 1)..].Trim();
        }
        var assignments = new List<(PropertyInfo, object?)>();
        var writable = typeof(NeuralNetworkOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && !Reserved.Contains(p.Name)).ToArray();
        foreach (string pair in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0)
                throw new FormatException($"--mlnetnn \"{text}\": '{pair}' is not Name=Value.");
            var property = writable.FirstOrDefault(p => string.Equals(p.Name, parts[0], StringComparison.OrdinalIgnoreCase))
                ?? throw new FormatException($"--mlnetnn \"{text}\": NeuralNetworkOptions has no setting '{parts[0]}' that can be set here; it has {string.Join(", ", writable.Select(p => p.Name).Order())}.");
            assignments.Add((property, ParseValue(property, parts[1], text)));
        }
        if (assignments.Count == 0) throw new FormatException($"--mlnetnn \"{text}\": no Name=Value pair.");
        var alternative = new Alternative(label, spec, assignments);
        // Check the ranges now (the options name the first bad one), before any data set is read.
        try
        {
            alternative.Apply(new NeuralNetworkOptions()).Validate();
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"--mlnetnn \"{text}\": {e.Message.Split('\n')[0]}", e);
        }
        return alternative;
    }

    /// <summary>A copy of <paramref name="options"/> with this alternative's settings.</summary>
    public NeuralNetworkOptions Apply(NeuralNetworkOptions options)
    {
        var copy = options with { };
        // Reflection can set init-only properties; the copy is not shared until it is returned.
        foreach (var (property, value) in Assignments) property.SetValue(copy, value);
        return copy;
    }

    private static object? ParseValue(PropertyInfo property, string text, string spec)
    {
        var type = property.PropertyType;
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null && (text.Length == 0 || text.Equals("null", StringComparison.OrdinalIgnoreCase))) return null;
        type = underlying ?? type;
        try
        {
            if (type.IsEnum)
            {
                return Enum.GetNames(type).FirstOrDefault(n => n.Equals(text, StringComparison.OrdinalIgnoreCase)) is string name
                    ? Enum.Parse(type, name)
                    : throw new FormatException($"--mlnetnn \"{spec}\": {property.Name}={text}: {type.Name} has {string.Join(", ", Enum.GetNames(type))}.");
            }
            if (type == typeof(int)) return int.Parse(text, CultureInfo.InvariantCulture);
            if (type == typeof(float)) return float.Parse(text, CultureInfo.InvariantCulture);
            if (type == typeof(double)) return double.Parse(text, CultureInfo.InvariantCulture);
            if (type == typeof(bool)) return bool.Parse(text);
            if (type == typeof(IReadOnlyList<int>))
                return text.Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u => int.Parse(u, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (Exception e) when (e is FormatException or OverflowException && !e.Message.StartsWith("--mlnetnn", StringComparison.Ordinal))
        {
            string expected = type == typeof(IReadOnlyList<int>) ? "list of unit counts separated by '/' (e.g. 64/32)" : type.Name;
            throw new FormatException($"--mlnetnn \"{spec}\": {property.Name}={text}: not a valid {expected}.", e);
        }
        throw new FormatException($"--mlnetnn \"{spec}\": {property.Name} is a {type.Name}, which the benchmark cannot parse from the command line.");
    }
}

/// <summary>Command line: --sets a,b, --csv FILE:LABEL:classification|regression, --mlnetnn SPEC, --sklearn models|none, --refresh-sklearn, --folds N, --seeds N, --data DIR.</summary>
sealed record Settings(IReadOnlyList<DataSetSpec> Sets, IReadOnlyList<Alternative> Alternatives, string SklearnModels, int Folds, int Seeds, bool RefreshSklearn)
{
    private const string Usage =
        "usage: MLNetNN.QualityBench [--sets iris,breast_cancer,digits,friedman1,friedman2] [--csv FILE:LABEL:classification|regression]...\n" +
        "                            [--mlnetnn \"[label:]Name=Value,Name=Value\"]... [--sklearn defaults,adam,lbfgs|none] [--refresh-sklearn] [--folds 5] [--seeds 1] [--data DIR]";

    public static Settings? Parse(string[] args)
    {
        string[]? setNames = null;
        var extra = new List<DataSetSpec>();
        var alternatives = new List<Alternative>();
        string sklearn = "defaults,adam,lbfgs", data = FindData();
        int folds = 5, seeds = 1;
        bool refresh = false;
        try
        {
            for (int i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value.");
                switch (args[i])
                {
                    case "--sets": setNames = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                    case "--csv": extra.Add(ParseCsv(Next())); break;
                    case "--mlnetnn": alternatives.Add(Alternative.Parse(Next())); break;
                    case "--sklearn": sklearn = Next(); break;
                    case "--refresh-sklearn": refresh = true; break;
                    case "--folds": folds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--seeds": seeds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--data": data = Next(); break;
                    default: throw new FormatException($"unknown option {args[i]}");
                }
            }
            if (folds < 2) throw new FormatException("--folds must be at least 2.");
            if (seeds < 1) throw new FormatException("--seeds must be at least 1.");
            var sets = new List<DataSetSpec>();
            // Given only --csv, run only those sets: a held-out check should not re-run the five.
            foreach (string name in setNames ?? (extra.Count > 0 ? [] : DataSetSpec.BuiltIn.Select(b => b.Name).ToArray()))
            {
                var builtIn = DataSetSpec.BuiltIn.FirstOrDefault(b => b.Name == name);
                if (builtIn.Name is null) throw new FormatException($"no built-in set '{name}'; they are {string.Join(", ", DataSetSpec.BuiltIn.Select(b => b.Name))} (use --csv for others).");
                sets.Add(new DataSetSpec(name, Path.Combine(data, name + ".csv"), builtIn.Label, builtIn.Regression));
            }
            sets.AddRange(extra);
            return new Settings(sets, alternatives, sklearn, folds, seeds, refresh);
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"{e.Message}\n{Usage}");
            return null;
        }
    }

    private static DataSetSpec ParseCsv(string text)
    {
        // FILE:LABEL:TASK, split from the right so a path may hold colons.
        int second = text.LastIndexOf(':');
        int first = second > 0 ? text.LastIndexOf(':', second - 1) : -1;
        string task = second >= 0 ? text[(second + 1)..] : "";
        if (first <= 0 || task is not ("classification" or "regression"))
            throw new FormatException($"--csv {text}: expected FILE:LABEL:classification or FILE:LABEL:regression.");
        string path = text[..first];
        return new DataSetSpec(Path.GetFileNameWithoutExtension(path), path, text[(first + 1)..second], task == "regression");
    }

    /// <summary>examples/data of the repository this program was built in (or run from).</summary>
    private static string FindData()
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "examples", "data", "iris.csv"))) return Path.Combine(dir.FullName, "examples", "data");
        return Path.Combine("examples", "data");
    }
}

/// <summary>One column of a set's table: a trainer's fold scores, fit times, iterations and how many folds it left unconverged.</summary>
sealed class Row
{
    public required string Who;
    /// <summary>One per fold: the mean over the seeds.</summary>
    public required double[] Scores;
    /// <summary>The rest: one per fit (fold × seed).</summary>
    public required double[] FitSeconds;
    public required int[] Iterations;
    /// <summary>Folds the iteration limit stopped before they converged (scikit-learn: a ConvergenceWarning; MLNetNN: <see cref="TrainingResult.StoppedWhileImproving"/>).</summary>
    public int Unconverged;
    /// <summary>MLNetNN: folds whose training diverged (scored with the last good weights the exception carries).</summary>
    public int Diverged;
    public bool IsOurs => Who.StartsWith("MLNetNN", StringComparison.Ordinal);
    public double Mean => Scores.Average();
    /// <summary>Population standard deviation over folds, as scikit-learn's cross_val_score(...).std().</summary>
    public double Spread => Math.Sqrt(Scores.Average(s => (s - Mean) * (s - Mean)));

    public static readonly Dictionary<string, string> PeerNames = new()
    {
        ["defaults"] = "sklearn defaults",
        ["adam"] = "sklearn adam, max_iter 1000",
        ["lbfgs"] = "sklearn lbfgs",
    };

    public static Row FromPeer(string model, JsonElement j) => new()
    {
        Who = PeerNames.GetValueOrDefault(model, "sklearn " + model),
        Scores = j.GetProperty("scores").EnumerateArray().Select(e => e.GetDouble()).ToArray(),
        FitSeconds = j.GetProperty("fit_seconds").EnumerateArray().Select(e => e.GetDouble()).ToArray(),
        Iterations = j.GetProperty("iterations").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
        Unconverged = j.GetProperty("convergence_warnings").GetInt32(),
    };
}

sealed record SetOutcome(DataSetSpec Set, Dataset Data, string FoldSource, List<Row> Rows)
{
    public bool IsRegression => Set.IsRegression;
    public Row? Peer(string model) => Rows.FirstOrDefault(r => r.Who == Row.PeerNames[model]);
}

static class Quality
{
    /// <summary>
    /// Trains and scores the options for seeds 0..<paramref name="seeds"/>−1 on every fold; a fold's score is the mean over the
    /// seeds. Fit time covers what a user's Fit call does (scaling included).
    /// </summary>
    public static Row RunOurs(string who, Func<int, NeuralNetworkOptions> options, Dataset data, IReadOnlyList<(int[] Train, int[] Test)> folds, int seeds)
    {
        Console.Error.WriteLine($"[MLNetNN] {who}");
        var trainers = Enumerable.Range(0, seeds).Select(seed => new NeuralNetworkTrainer(options(seed))).ToArray();
        var row = new Row { Who = who, Scores = new double[folds.Count], FitSeconds = new double[folds.Count * seeds], Iterations = new int[folds.Count * seeds] };
        for (int f = 0; f < folds.Count; f++)
        {
            var train = data.Subset(folds[f].Train);
            var test = data.Subset(folds[f].Test);
            for (int s = 0; s < seeds; s++)
            {
                var clock = Stopwatch.StartNew();
                TrainingResult result;
                try
                {
                    result = trainers[s].Fit(train);
                }
                catch (TrainingDivergedException e)
                {
                    result = e.Result;
                    row.Diverged++;
                }
                row.FitSeconds[f * seeds + s] = clock.Elapsed.TotalSeconds;
                row.Iterations[f * seeds + s] = result.EpochsCompleted;
                if (result.StoppedWhileImproving) row.Unconverged++;
                row.Scores[f] += Score(result.Model, test) / seeds;
            }
        }
        return row;
    }

    private static double Score(NeuralNetworkModel model, Dataset test) =>
        model.IsClassifier ? model.EvaluateClassification(test).Accuracy : model.EvaluateRegression(test).R2;

    /// <summary>
    /// The folds scikit-learn made (test rows per fold; training rows are the rest), checked to partition the rows; without
    /// the peer, MLNetNN's own shuffled (stratified for classification) k-fold split, which differs from scikit-learn's.
    /// </summary>
    public static IReadOnlyList<(int[] Train, int[] Test)> Folds(JsonElement? peer, Dataset data, int count, DataSetSpec set, out string source)
    {
        if (peer is JsonElement p)
        {
            var tests = p.GetProperty("folds").EnumerateArray().Select(f => f.EnumerateArray().Select(e => e.GetInt32()).ToArray()).ToArray();
            var seen = new int[data.Rows];
            foreach (int[] fold in tests)
                foreach (int row in fold)
                    if (row < 0 || row >= data.Rows || seen[row]++ > 0)
                        throw new InvalidOperationException($"{set.Name}: scikit-learn's folds do not partition the {data.Rows} rows MLNetNN read from {set.Path} (row {row}); do both read the same file?");
            if (seen.Contains(0) || tests.Length != count)
                throw new InvalidOperationException($"{set.Name}: scikit-learn's {tests.Length} folds do not cover the {data.Rows} rows MLNetNN read from {set.Path}.");
            source = p.GetProperty("splitter").GetString()!;
            return tests.Select(test => (Enumerable.Range(0, data.Rows).Except(test).ToArray(), test)).ToArray();
        }
        source = $"MLNetNN's DataSplit.KFold({count}, seed 0, stratify {!set.IsRegression}), NOT scikit-learn's folds (no peer)";
        return DataSplit.KFold(data, count, seed: 0, stratify: !set.IsRegression);
    }

    /// <summary>A short run on generated data through the same Fit path, so JIT compilation is not timed.</summary>
    public static void WarmUp()
    {
        const int rows = 64, columns = 4;
        var random = new Random(0);
        var features = Enumerable.Range(0, rows * columns).Select(_ => (float)random.NextDouble()).ToArray();
        var classes = new Dataset(features, rows, columns, Enumerable.Range(0, rows).Select(i => (float)(i % 3)).ToArray(), classNames: ["a", "b", "c"]);
        var targets = new Dataset(features, rows, columns, Enumerable.Range(0, rows).Select(i => features[i * columns]).ToArray());
        var quick = new NeuralNetworkOptions { Epochs = 3, Seed = 0 };
        new NeuralNetworkTrainer(quick).Fit(classes).Model.EvaluateClassification(classes);
        new NeuralNetworkTrainer(quick with { Task = TaskKind.Regression }).Fit(targets).Model.EvaluateRegression(targets);
    }
}

/// <summary>Finds and runs peers/sklearn_quality.py with Debian's interpreter.</summary>
sealed class PeerRunner
{
    private const string Python = "/usr/bin/python3";
    private readonly string _script = FindScript();

    /// <summary>
    /// scikit-learn's figures for a set, from the cache when an earlier run made them from the same file, script, models and
    /// fold count (they are deterministic: every model has random_state=0), else from a fresh run of the peer, then cached.
    /// <paramref name="cachedAt"/> is the cache file's time when the figures came from it.
    /// </summary>
    public JsonElement? Run(DataSetSpec set, Settings settings, out DateTime? cachedAt)
    {
        cachedAt = null;
        string models = settings.SklearnModels;
        string cache = CachePath(set, models, settings.Folds, settings.Seeds);
        if (!settings.RefreshSklearn && File.Exists(cache))
        {
            try
            {
                var cached = JsonDocument.Parse(File.ReadAllText(cache)).RootElement.Clone();
                cachedAt = File.GetLastWriteTimeUtc(cache);
                Console.Error.WriteLine($"[peer] sklearn_quality.py {set.Name} --models {models}: from {cache}");
                return cached;
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
                Console.Error.WriteLine($"[peer] ignoring the unreadable cache {cache} ({e.Message})");
            }
        }
        var result = RunPeer(set, models, settings.Folds, settings.Seeds);
        if (result is JsonElement json)
        {
            // Written beside, then renamed, so a cache file is always a whole run's output.
            Directory.CreateDirectory(Path.GetDirectoryName(cache)!);
            File.WriteAllText(cache + ".tmp", json.GetRawText());
            File.Move(cache + ".tmp", cache, overwrite: true);
        }
        return result;
    }

    private string CachePath(DataSetSpec set, string models, int folds, int seeds)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        hash.AppendData(File.ReadAllBytes(set.Path));
        hash.AppendData(File.ReadAllBytes(_script));
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{set.LabelColumn}|{set.IsRegression}|{models}|{folds}|{seeds}"));
        string key = Convert.ToHexString(hash.GetHashAndReset())[..16].ToLowerInvariant();
        return Path.Combine(Path.GetTempPath(), "mlnetnn-qualitybench", $"{set.Name}-{key}.json");
    }

    private JsonElement? RunPeer(DataSetSpec set, string models, int folds, int seeds)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { _script, "--file", Path.GetFullPath(set.Path), "--label", set.LabelColumn,
                     "--task", set.IsRegression ? "regression" : "classification", "--models", models, "--folds", folds.ToString(CultureInfo.InvariantCulture),
                     "--seeds", seeds.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(a);
        Console.Error.WriteLine($"[peer] sklearn_quality.py {set.Name} --models {models}");
        try
        {
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            string? line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.TrimStart().StartsWith('{'));
            if (process.ExitCode == 0 && line is not null) return JsonDocument.Parse(line).RootElement.Clone();
            Console.Error.WriteLine($"[peer] sklearn_quality.py failed on {set.Name} (exit {process.ExitCode}):\n{stderr.Result}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Console.Error.WriteLine($"[peer] cannot start {Python} ({e.Message}); install python3-sklearn (README.md beside this program).");
        }
        return null;
    }

    private static string FindScript()
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                foreach (string candidate in new[] { Path.Combine(dir.FullName, "tests", "QualityBench", "peers"), Path.Combine(dir.FullName, "peers") })
                    if (File.Exists(Path.Combine(candidate, "sklearn_quality.py"))) return Path.Combine(candidate, "sklearn_quality.py");
        return Path.Combine("tests", "QualityBench", "peers", "sklearn_quality.py");
    }
}

static class Report
{
    /// <summary>Accuracy differences in points (hundredths), R² differences as they are: the units of the issue's targets.</summary>
    private static string Difference(double d, bool regression) => regression ? $"{d:+0.000;-0.000;0.000}" : $"{100 * d:+0.0;-0.0;0.0} points";

    public static void PrintSet(SetOutcome o)
    {
        string metric = o.IsRegression ? "R²" : "accuracy";
        Console.WriteLine();
        Console.WriteLine($"{o.Set.Name}: {o.Data.Rows} rows × {o.Data.Columns} features, {(o.IsRegression ? "regression" : $"{o.Data.ClassCount} classes")}; {metric}; folds {o.FoldSource}");
        Console.WriteLine($"  {"who",-36} {metric + " mean ± sd",-19} {"per fold",-36} {"fit s",10} {"iters",9}  not converged");
        foreach (var r in o.Rows)
        {
            string folds = string.Join(' ', r.Scores.Select(s => s.ToString("F3")));
            string iterations = r.Iterations.Min() == r.Iterations.Max() ? $"{r.Iterations[0]}" : $"{r.Iterations.Min()}-{r.Iterations.Max()}";
            string unconverged = $"{r.Unconverged}/{r.Iterations.Length}" + (r.Diverged > 0 ? $", {r.Diverged} diverged" : "");
            Console.WriteLine($"  {r.Who,-36} {r.Mean,7:F4} ± {r.Spread,-8:F4} {folds,-36} {r.FitSeconds.Average(),10:F2} {iterations,9}  {unconverged}");
        }
        foreach (var ours in o.Rows.Where(r => r.IsOurs))
            if (Verdict(o, ours) is string line) Console.WriteLine($"  {line}");
    }

    /// <summary>
    /// The issue's two targets for one MLNetNN column: at least scikit-learn's defaults, and within 1 point of accuracy (0.01 of
    /// R²) of the better of scikit-learn's Adam (max_iter 1000) and L-BFGS. Null when the peer's columns are missing.
    /// </summary>
    public static string? Verdict(SetOutcome o, Row ours) => Targets(o, ours) is var (versusDefaults, versusBest, bestName, met)
        ? $"{ours.Who}: {Difference(versusDefaults, o.IsRegression)} vs sklearn defaults [≥ 0], {Difference(versusBest, o.IsRegression)} vs {bestName} [≥ {(o.IsRegression ? "-0.010" : "-1 point")}]: {(met ? "met" : "NOT met")}"
        : null;

    private static (double VersusDefaults, double VersusBest, string BestName, bool Met)? Targets(SetOutcome o, Row ours)
    {
        var defaults = o.Peer("defaults");
        var best = new[] { o.Peer("adam"), o.Peer("lbfgs") }.Where(r => r is not null).MaxBy(r => r!.Mean);
        if (defaults is null || best is null) return null;
        double versusDefaults = ours.Mean - defaults.Mean, versusBest = ours.Mean - best.Mean;
        // The same folds and seeds make the means comparable exactly; the small slack absorbs only rounding in the averages.
        bool met = versusDefaults >= -1e-9 && versusBest >= -0.01 - 1e-9;
        return (versusDefaults, versusBest, best.Who, met);
    }

    public static void PrintSummary(List<SetOutcome> outcomes, Settings settings)
    {
        Console.WriteLine();
        var columns = outcomes.SelectMany(o => o.Rows.Where(r => r.IsOurs).Select(r => r.Who)).Distinct().ToList();
        foreach (string who in columns)
        {
            var verdicts = outcomes.Select(o => (o.Set.Name, Result: o.Rows.FirstOrDefault(r => r.Who == who) is Row r ? Targets(o, r) : null)).ToList();
            if (verdicts.All(v => v.Result is null)) continue;
            var missed = verdicts.Where(v => v.Result is { Met: false }).Select(v => v.Name).ToList();
            int judged = verdicts.Count(v => v.Result is not null);
            Console.WriteLine($"summary : {who}: issue 13's targets met on {judged - missed.Count} of {judged} sets{(missed.Count > 0 ? $" (not on {string.Join(", ", missed)})" : "")}; fit time {outcomes.Sum(o => o.Rows.First(r => r.Who == who).FitSeconds.Sum()):F1} s in all");
        }
        foreach (string peer in Row.PeerNames.Values)
            if (outcomes.All(o => o.Rows.Any(r => r.Who == peer)))
                Console.WriteLine($"summary : {peer}: fit time {outcomes.Sum(o => o.Rows.First(r => r.Who == peer).FitSeconds.Sum()):F1} s in all");
        if (settings.SklearnModels == "none") Console.WriteLine("summary : no scikit-learn columns (--sklearn none), so no verdicts");
    }
}

static class Machine
{
    public static string CpuName()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }

    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}

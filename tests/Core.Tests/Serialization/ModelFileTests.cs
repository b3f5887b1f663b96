using MLNetNN.Data;
using MLNetNN.Models;
using MLNetNN.Serialization;
using MLNetNN.Training;
using Xunit;

namespace MLNetNN.Tests.Serialization;

public sealed class ModelFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetnn-model-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static NeuralNetworkModel TrainIris(ScalingKind scaling = ScalingKind.Standardize) => Trainers.MulticlassClassification(new NeuralNetworkOptions
    {
        HiddenLayers = [8, 4], Epochs = 20, Seed = 2, LearningRate = 0.01f, Scaling = scaling, ValidationFraction = 0.2f,
    }).Fit(TestData.Iris()).Model;

    private string SavedIris()
    {
        string path = Path.Combine(_folder, "iris.nn");
        TrainIris().Save(path);
        return path;
    }

    [Theory]
    [InlineData(ScalingKind.Standardize)]
    [InlineData(ScalingKind.MinMax)]
    [InlineData(ScalingKind.None)]
    public void RoundTripGivesIdenticalPredictionsAndMetadata(ScalingKind scaling)
    {
        var model = TrainIris(scaling);
        string path = Path.Combine(_folder, "m.nn");
        model.Save(path);
        var loaded = NeuralNetworkModel.Load(path);

        var iris = TestData.Iris();
        Assert.Equal(model.PredictBatch(iris), loaded.PredictBatch(iris));
        Assert.Equal(model.Network.Parameters, loaded.Network.Parameters);
        Assert.Equal(model.ClassNames, loaded.ClassNames);
        Assert.Equal(model.FeatureNames, loaded.FeatureNames);
        Assert.Equal(model.Options, loaded.Options with { HiddenLayers = model.Options.HiddenLayers });
        Assert.Equal(model.Options.HiddenLayers, loaded.Options.HiddenLayers);
        Assert.Equal(model.Scaler?.Kind, loaded.Scaler?.Kind);
        Assert.Equal(model.History.Count, loaded.History.Count);
        Assert.Equal(model.History[^1].ValidationLoss, loaded.History[^1].ValidationLoss);
        Assert.Equal(model.Summary().ToString(), loaded.Summary().ToString());
    }

    [Fact]
    public void RegressionAndBinaryModelsRoundTrip()
    {
        var sine = TestData.NoisySine(60, 0.1, 1);
        var regression = Trainers.Regression(new NeuralNetworkOptions { HiddenLayers = [6], Epochs = 5, Seed = 1 }).Fit(sine).Model;
        var moons = TestData.TwoMoons(60, 0.1, 1);
        var binary = Trainers.BinaryClassification(new NeuralNetworkOptions { HiddenLayers = [6], Epochs = 5, Seed = 1 }).Fit(moons).Model;
        foreach (var (model, data) in new[] { (regression, sine), (binary, moons) })
        {
            string path = Path.Combine(_folder, $"{model.Task}.nn");
            model.Save(path);
            Assert.Equal(model.PredictBatch(data), NeuralNetworkModel.Load(path).PredictBatch(data));
        }
    }

    [Fact]
    public void TruncatedFileIsReportedAsTruncated()
    {
        string path = SavedIris();
        byte[] bytes = File.ReadAllBytes(path);
        foreach (int length in new[] { 4, 15, bytes.Length / 2, bytes.Length - 1 })
        {
            File.WriteAllBytes(path, bytes[..length]);
            var e = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path));
            Assert.Contains("truncated", e.Message);
            Assert.Equal(path, e.FilePath);
        }
    }

    [Fact]
    public void FlippedByteIsReportedAsCorrupted()
    {
        string path = SavedIris();
        byte[] bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path));
        Assert.Contains("corrupted", e.Message);
    }

    [Fact]
    public void ForeignFileIsReportedAsNotAModel()
    {
        string path = Path.Combine(_folder, "iris.csv");
        File.Copy(TestData.PathOf("iris.csv"), path);
        var e = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path));
        Assert.Contains("not an MLNetNN model file", e.Message);
        File.WriteAllBytes(path, []);
        Assert.Throws<ModelFormatException>(() => ModelFile.Load(path));
    }

    [Fact]
    public void NewerFormatVersionIsRefusedByName()
    {
        string path = SavedIris();
        byte[] bytes = File.ReadAllBytes(path);
        bytes[8] = 99;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path));
        Assert.Contains("format version 99", e.Message);
    }

    [Fact]
    public void MissingFileAndMissingFolderGiveClearErrors()
    {
        Assert.Throws<FileNotFoundException>(() => ModelFile.Load(Path.Combine(_folder, "absent.nn")));
        var e = Assert.Throws<DirectoryNotFoundException>(() => TrainIris().Save(Path.Combine(_folder, "no", "such", "m.nn")));
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void SavingLeavesNoTemporaryFilesAndReplacesAnOldModelWhole()
    {
        string path = SavedIris();
        var second = Trainers.MulticlassClassification(new NeuralNetworkOptions { HiddenLayers = [3], Epochs = 3, Seed = 9 }).Fit(TestData.Iris()).Model;
        second.Save(path);
        Assert.Equal(["iris.nn"], Directory.GetFiles(_folder).Select(Path.GetFileName));
        Assert.Equal(second.Network.Parameters, ModelFile.Load(path).Network.Parameters);
    }

    [Fact]
    public void FailedSaveLeavesTheOldFileIntactAndNoTemporaryFile()
    {
        string path = SavedIris();
        byte[] before = File.ReadAllBytes(path);
        // A directory with the target's name makes the final rename fail after the temporary file was written.
        string blocked = Path.Combine(_folder, "blocked.nn");
        Directory.CreateDirectory(blocked);
        Assert.ThrowsAny<IOException>(() => TrainIris().Save(blocked));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.DoesNotContain(Directory.GetFiles(_folder), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void A_model_written_to_a_stream_reads_back_identically_and_matches_the_file_bytes()
    {
        var model = TrainIris();
        using var stream = new MemoryStream();
        ModelFile.Save(model, stream);
        string path = Path.Combine(_folder, "m.nn");
        model.Save(path);
        Assert.Equal(File.ReadAllBytes(path), stream.ToArray());

        stream.Position = 0;
        var loaded = ModelFile.Load(stream, "the stream");
        Assert.Equal(model.PredictBatch(TestData.Iris()), loaded.PredictBatch(TestData.Iris()));
        var e = Assert.Throws<ModelFormatException>(() => ModelFile.Load(new MemoryStream(stream.ToArray()[..^3]), "a part"));
        Assert.Contains("a part", e.Message);
    }

    [Fact]
    public void Two_runs_with_the_same_seed_write_identical_files()
    {
        string first = Path.Combine(_folder, "first.nn"), second = Path.Combine(_folder, "second.nn");
        TrainIris().Save(first);
        TrainIris().Save(second);
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
    }

    [Fact]
    public void A_loaded_history_says_its_timings_are_unknown_rather_than_zero()
    {
        // The file keeps no timings (the bytes of a seeded run are reproducible), so a loaded epoch's duration is unknown.
        var model = TrainIris();
        Assert.All(model.History, epoch => Assert.True(epoch.Duration >= TimeSpan.Zero && epoch.Elapsed > TimeSpan.Zero));
        string path = Path.Combine(_folder, "timed.nn");
        model.Save(path);
        var loaded = NeuralNetworkModel.Load(path);
        Assert.Equal(model.History.Count, loaded.History.Count);
        Assert.All(loaded.History, epoch =>
        {
            Assert.Null((object?)epoch.Duration);
            Assert.Null((object?)epoch.Elapsed);
            Assert.DoesNotContain(" ms", epoch.ToString());
        });
        // Everything else of the history comes back as it was.
        Assert.Equal(model.History.Select(e => e with { Duration = null, Elapsed = null }), loaded.History);
    }

    [Theory]
    [InlineData("iris-v1.nn")]
    [InlineData("moons-v1.nn")]
    [InlineData("sine-v1.nn")]
    [InlineData("perceptron-v1.nn")]
    public void Files_written_before_histories_dropped_their_timings_still_load_with_them(string fixture)
    {
        // Written by the version-1 writer that stored each epoch's duration (see Fixtures/README.md).
        var model = ModelFile.Load(Path.Combine(AppContext.BaseDirectory, "Serialization", "Fixtures", fixture));
        Assert.All(model.History, epoch => Assert.True(epoch.Elapsed > TimeSpan.Zero));
        var rows = new float[model.FeatureCount];
        var outputs = new float[model.OutputCount];
        model.Predict(rows, outputs);
        Assert.All(outputs, value => Assert.True(float.IsFinite(value)));
    }

    [Fact]
    public void Saving_over_a_file_keeps_its_permissions()
    {
        if (OperatingSystem.IsWindows()) return; // Unix permission bits only
        string path = SavedIris();
        var secret = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        File.SetUnixFileMode(path, secret);
        TrainIris().Save(path);
        Assert.Equal(secret, File.GetUnixFileMode(path));
        File.SetUnixFileMode(path, secret | UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.UserExecute);
        TrainIris().Save(path);
        Assert.Equal(secret | UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.UserExecute, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Saving_through_a_symbolic_link_writes_the_file_it_points_to_and_keeps_the_link()
    {
        string real = SavedIris();
        string link = Path.Combine(_folder, "current.nn");
        File.CreateSymbolicLink(link, "iris.nn");
        var second = Trainers.MulticlassClassification(new NeuralNetworkOptions { HiddenLayers = [3], Epochs = 3, Seed = 9 }).Fit(TestData.Iris()).Model;
        second.Save(link);
        Assert.Equal("iris.nn", new FileInfo(link).LinkTarget);
        Assert.Equal(second.Network.Parameters, ModelFile.Load(real).Network.Parameters);
        Assert.Equal(["current.nn", "iris.nn"], Directory.GetFiles(_folder).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void A_file_name_of_255_bytes_can_be_saved_and_loaded()
    {
        string path = Path.Combine(_folder, new string('m', 252) + ".nn");
        var model = TrainIris();
        model.Save(path);
        model.Save(path);
        Assert.Equal(model.Network.Parameters, ModelFile.Load(path).Network.Parameters);
    }

    [Fact]
    public void A_model_whose_file_would_not_load_is_refused_when_saved_and_the_old_file_stays()
    {
        string path = SavedIris();
        byte[] before = File.ReadAllBytes(path);
        var model = TrainIris();
        model.Network.Parameters[0] = 3e38f;
        var e = Assert.Throws<ArgumentException>(() => model.Save(path));
        Assert.Contains("overflow", e.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_deeper_network_on_64_features_is_within_the_overflow_rule_and_round_trips()
    {
        var digits = TestData.Digits();
        var model = Trainers.MulticlassClassification(new NeuralNetworkOptions { HiddenLayers = [64, 32, 16], Epochs = 3, Seed = 1 }).Fit(digits).Model;
        string path = Path.Combine(_folder, "digits.nn");
        model.Save(path);
        Assert.Equal(model.PredictBatch(digits), ModelFile.Load(path).PredictBatch(digits));
    }
}

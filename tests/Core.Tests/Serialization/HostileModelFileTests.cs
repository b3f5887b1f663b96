using System.Diagnostics;
using System.Text.Json.Nodes;
using MLNetNN.Models;
using MLNetNN.Serialization;
using MLNetNN.Training;

namespace MLNetNN.Tests.Serialization;

/// <summary>
/// Files with a valid checksum that a buggy writer or a hostile sender could produce, and paths that are not model files at all:
/// each must end in a <see cref="ModelFormatException"/> naming the file, before anything is allocated by an unchecked length.
/// </summary>
public sealed class HostileModelFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetnn-hostile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly Lazy<(string Json, float[] Parameters)> IrisParts = new(() =>
    {
        var model = Trainers.MulticlassClassification(new NeuralNetworkOptions { HiddenLayers = [4], Epochs = 2, Seed = 3 }).Fit(TestData.Iris()).Model;
        using var stream = new MemoryStream();
        ModelFile.Save(model, stream);
        return ModelBytes.Split(stream.ToArray());
    });

    /// <summary>The iris model's metadata after <paramref name="edit"/>.</summary>
    private static string IrisJson(Action<JsonObject> edit)
    {
        var json = JsonNode.Parse(IrisParts.Value.Json)!.AsObject();
        edit(json);
        return json.ToJsonString();
    }

    private ModelFormatException Refused(byte[] file)
    {
        string path = Path.Combine(_folder, "crafted.nn");
        File.WriteAllBytes(path, file);
        var e = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path));
        Assert.Equal(path, e.FilePath);
        var fromStream = Assert.Throws<ModelFormatException>(() => ModelFile.Load(new MemoryStream(file), "the stream"));
        Assert.Equal("the stream", fromStream.FilePath);
        return e;
    }

    private ModelFormatException RefusedMetadata(Action<JsonObject> edit) => Refused(ModelBytes.Build(IrisJson(edit), IrisParts.Value.Parameters));

    /// <summary>Options for a regression network with no hidden layer, as crafted architectures need.</summary>
    private static JsonNode RegressionOptions() => JsonNode.Parse("""{"Task":"Regression","HiddenLayers":[],"Seed":1}""")!;

    [Fact]
    public void A_well_formed_crafted_file_loads_so_the_refusals_below_are_about_their_one_change()
    {
        string path = Path.Combine(_folder, "crafted.nn");
        File.WriteAllBytes(path, ModelBytes.Build(IrisJson(_ => { }), IrisParts.Value.Parameters));
        Assert.Equal(3, ModelFile.Load(path).OutputCount);
    }

    [Fact]
    public void A_metadata_length_of_two_gigabytes_or_more_is_refused()
    {
        var e = Refused(ModelBytes.Build(IrisParts.Value.Json, IrisParts.Value.Parameters, metadataLength: 0x8000_0000u));
        Assert.Contains("metadata", e.Message);
    }

    [Fact]
    public void A_null_layer_is_refused() => RefusedMetadata(j => j["Layers"] = new JsonArray((JsonNode?)null));

    [Fact]
    public void One_input_and_two_to_the_thirtieth_units_is_refused()
    {
        string json = new JsonObject { ["Options"] = RegressionOptions(), ["InputCount"] = 1, ["Layers"] = JsonNode.Parse("""[{"Units":1073741824,"Activation":"Identity"}]""") }.ToJsonString();
        var e = Refused(ModelBytes.Build(json, [1f, 2f]));
        Assert.Contains("parameters", e.Message);
    }

    [Fact]
    public void A_huge_architecture_in_a_small_file_is_refused_before_anything_is_allocated_for_it()
    {
        // 4 inputs × 100,000,000 units: 2 GB of parameters announced by a file of a few hundred bytes.
        string json = new JsonObject { ["Options"] = RegressionOptions(), ["InputCount"] = 4, ["Layers"] = JsonNode.Parse("""[{"Units":100000000,"Activation":"Identity"}]""") }.ToJsonString();
        byte[] file = ModelBytes.Build(json, [1f], parameterCount: 500_000_000);
        string path = Path.Combine(_folder, "huge.nn");
        File.WriteAllBytes(path, file);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("500000000", e.Message);
        Assert.True(allocated < 4_000_000, $"{allocated} bytes allocated to refuse a {file.Length}-byte file");
    }

    [Fact]
    public void A_parameter_count_that_wraps_to_zero_in_32_bits_is_refused()
    {
        // 65,535 inputs × 65,536 units + 65,536 biases = 2³², which is 0 as an int.
        string json = new JsonObject { ["Options"] = RegressionOptions(), ["InputCount"] = 65535, ["Layers"] = JsonNode.Parse("""[{"Units":65536,"Activation":"Identity"}]""") }.ToJsonString();
        var e = Refused(ModelBytes.Build(json, []));
        Assert.Contains("4294967296", e.Message);
    }

    [Fact]
    public void An_output_activation_that_does_not_fit_the_task_is_refused()
    {
        var e = RefusedMetadata(j => j["Layers"]![1]!["Activation"] = "Identity");
        Assert.Contains("Identity", e.Message);
    }

    [Theory]
    [InlineData("7")]
    [InlineData("\"Clustering\"")]
    [InlineData("\"Regression, BinaryClassification\"")]
    public void An_undefined_task_is_refused(string task) => RefusedMetadata(j => j["Options"]!["Task"] = JsonNode.Parse(task));

    [Theory]
    [InlineData("""["setosa","setosa","virginica"]""")]
    [InlineData("""["setosa",null,"virginica"]""")]
    [InlineData("""["setosa","","virginica"]""")]
    [InlineData("null")]
    public void Duplicate_null_or_empty_class_names_are_refused(string names)
    {
        var e = RefusedMetadata(j => j["ClassNames"] = JsonNode.Parse(names));
        Assert.Contains("class", e.Message);
    }

    [Fact]
    public void A_null_history_entry_is_refused()
    {
        var e = RefusedMetadata(j => j["History"]!.AsArray().Add(null));
        Assert.Contains("History", e.Message);
    }

    [Theory]
    [InlineData("LearningRate", "-1")]
    [InlineData("HiddenLayers", "null")]
    [InlineData("Optimizer", "99")]
    [InlineData("Beta1", "1.5")]
    public void Options_that_fail_validation_are_refused(string option, string value)
    {
        var e = RefusedMetadata(j => j["Options"]![option] = JsonNode.Parse(value));
        Assert.Contains(option, e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(0, 3e38f)]
    [InlineData(0, -3.4e38f)]
    [InlineData(30, 1e37f)]
    public void Finite_weights_large_enough_to_overflow_a_forward_pass_are_refused(int index, float value)
    {
        float[] parameters = (float[])IrisParts.Value.Parameters.Clone();
        parameters[index] = value;
        var e = Refused(ModelBytes.Build(IrisParts.Value.Json, parameters));
        Assert.Contains("overflow", e.Message);
    }

    [Fact]
    public void A_scaler_large_enough_to_overflow_the_forward_pass_is_refused() =>
        RefusedMetadata(j => j["Scaler"]!["Scale"]![0] = 1e36);

    [Fact]
    public void A_folder_is_refused_by_name()
    {
        var e = Assert.Throws<ModelFormatException>(() => ModelFile.Load(_folder));
        Assert.Contains("folder", e.Message);
        Assert.Equal(_folder, e.FilePath);
    }

    [Fact]
    public void A_device_is_refused_without_reading_it()
    {
        if (!File.Exists("/dev/zero")) return; // Windows has no /dev/zero; the folder test covers non-files there.
        var e = Assert.Throws<ModelFormatException>(() => ModelFile.Load("/dev/zero"));
        Assert.Equal("/dev/zero", e.FilePath);
    }

    [Fact]
    public void A_pipe_with_no_writer_is_refused_without_waiting_for_one()
    {
        if (OperatingSystem.IsWindows()) return; // named pipes live outside the file system there.
        string fifo = Path.Combine(_folder, "model.nn");
        using (var mkfifo = Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
        var load = Task.Run(() => ModelFile.Load(fifo));
        bool finished = ((IAsyncResult)load).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30));
        if (!finished) using (File.OpenWrite(fifo)) { } // releases a reader blocked on the pipe, so the suite goes on
        Assert.True(finished, "Load waited for a writer on the pipe");
        var e = Assert.Throws<ModelFormatException>(() => load.GetAwaiter().GetResult());
        Assert.Equal(fifo, e.FilePath);
    }

    [Fact]
    public void A_file_over_two_gigabytes_is_refused_as_a_model_file_problem()
    {
        string path = Path.Combine(_folder, "big.nn");
        byte[] head = ModelBytes.Build(IrisParts.Value.Json, IrisParts.Value.Parameters);
        using (var stream = File.Create(path))
        {
            stream.Write(head);
            stream.SetLength(3L << 30); // sparse: no disk space used
        }
        var e = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path));
        Assert.Contains("padded", e.Message);
    }

    [Fact]
    public void A_stream_announcing_more_than_it_holds_is_refused_without_allocating_the_announced_size()
    {
        byte[] file = ModelBytes.Build(IrisParts.Value.Json, IrisParts.Value.Parameters);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(12), 1L << 40);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<ModelFormatException>(() => ModelFile.Load(new UnseekableStream(file), "the pipe"));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4_000_000);
        Assert.Contains("announces 1099511627776 payload bytes", e.Message);
    }

    [Fact]
    public void A_model_file_arriving_a_few_bytes_at_a_time_through_a_stream_that_cannot_seek_loads()
    {
        byte[] file = ModelBytes.Build(IrisParts.Value.Json, IrisParts.Value.Parameters);
        var expected = ModelFile.Load(new MemoryStream(file), "the file");
        var loaded = ModelFile.Load(new UnseekableStream(file, chunk: 7), "the pipe");
        Assert.Equal(expected.Network.Parameters, loaded.Network.Parameters);
        Assert.Equal(expected.PredictBatch(TestData.Iris()), loaded.PredictBatch(TestData.Iris()));
    }

    [Fact]
    public void A_stream_that_cannot_seek_is_refused_by_its_first_bytes_when_they_are_no_model_file()
    {
        // A pipe or socket carrying something else, possibly without end: the signature decides, not gigabytes read after it.
        var zeros = new EndlessStream([]);
        var e = Assert.Throws<ModelFormatException>(() => ModelFile.Load(zeros, "the pipe"));
        Assert.Contains("signature", e.Message);
        Assert.True(zeros.Given <= 1 << 16, $"{zeros.Given} bytes read to refuse a stream of zeros");
    }

    [Fact]
    public void A_model_followed_by_endless_bytes_in_a_stream_that_cannot_seek_is_refused_once_past_what_its_header_announces()
    {
        byte[] file = ModelBytes.Build(IrisParts.Value.Json, IrisParts.Value.Parameters);
        var stream = new EndlessStream(file);
        var e = Assert.Throws<ModelFormatException>(() => ModelFile.Load(stream, "the pipe"));
        Assert.Contains("padded", e.Message);
        Assert.InRange(stream.Given, file.Length + 1, file.Length + (1 << 16));
    }

    /// <summary>A stream that cannot seek, giving at most <paramref name="chunk"/> bytes a read, as a pipe may.</summary>
    private sealed class UnseekableStream(byte[] bytes, int chunk = int.MaxValue) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);
    }

    /// <summary>
    /// <paramref name="start"/>, then zeros without end, from a stream that cannot seek. Reading on past 16 MB fails the read (an
    /// <see cref="IOException"/>, which the test then sees escape), so a loader that reads to the end fails quickly rather than after 2 GB.
    /// </summary>
    private sealed class EndlessStream(byte[] start) : Stream
    {
        public long Given { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (Given > 16 << 20) throw new IOException($"the loader read on past {Given} bytes of an endless stream");
            buffer.Clear();
            if (Given < start.Length)
            {
                // The start in reads of its own, then zeros.
                int count = Math.Min(buffer.Length, start.Length - (int)Given);
                start.AsSpan((int)Given, count).CopyTo(buffer);
                buffer = buffer[..count];
            }
            Given += buffer.Length;
            return buffer.Length;
        }
    }
}

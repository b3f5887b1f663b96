using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using MLNetNN.Data;
using MLNetNN.Models;
using MLNetNN.Serialization;
using MLNetNN.Training;

namespace MLNetNN.Tests.Serialization;

/// <summary>
/// Seeded mutations of real model files of all three tasks, and of a version-3 file whose layers are of several kinds (dense,
/// batch normalisation with its running statistics, dropout) on an image input shape: bit flips, byte changes, truncations, insertions, length-field edits,
/// JSON field edits and weight edits, each with the checksum left stale or recomputed (as a buggy writer would). Whatever the
/// mutation, loading either throws <see cref="ModelFormatException"/> or gives a model that predicts finite values (and
/// probabilities that sum to one) on the rows it was trained on.
/// </summary>
public sealed class ModelFileFuzzTests
{
    private const int MutationsPerModel = 3400;

    private static readonly object?[] HostileValues =
    [
        null, 0, -1, 1, 2, 7, 65535, 65536, 1073741824, 100000000, 2147483647, -2147483648, 4294967296, 1e38, -1e38, 3.4e38, 1e-45,
        "", "x", "NaN", "Infinity", "-Infinity", "Softmax", "Identity", "Step", "Regression", "BinaryClassification", true,
        "Dense", "Dropout", "BatchNormalization", "Flatten", "dense5:relu", "dropout0.5", "bn", "flatten", "4", "2x2x1", "28x28x1", 0.5, 0.99, 1.5,
    ];

    public static TheoryData<string> Tasks => new() { "multiclass", "binary", "regression", "layers" };

    [Theory]
    [MemberData(nameof(Tasks))]
    public void Mutated_model_files_are_refused_with_a_model_format_error_or_predict_finite_values(string task)
    {
        var (model, data) = Trained(task);
        using var saved = new MemoryStream();
        ModelFile.Save(model, saved);
        byte[] original = saved.ToArray();
        var random = new Random(task.Length * 7919);
        int loaded = 0;
        for (int i = 0; i < MutationsPerModel; i++)
        {
            byte[] mutated = Mutate(original, random, out string how);
            NeuralNetworkModel result;
            try
            {
                result = ModelFile.Load(new MemoryStream(mutated), "mutation");
            }
            catch (ModelFormatException)
            {
                continue;
            }
            catch (Exception e)
            {
                Assert.Fail($"Mutation {i} ({how}) of the {task} model escaped as {e.GetType().Name}: {e.Message}");
                throw;
            }
            loaded++;
            AssertPredictsSanely(result, data, $"mutation {i} ({how}) of the {task} model");
        }
        // Some mutations (a history figure, an unused option, a weight's low bits) leave a usable model: they must load.
        Assert.InRange(loaded, MutationsPerModel / 20, MutationsPerModel - 1);
    }

    private static (NeuralNetworkModel, Dataset) Trained(string task)
    {
        // One thread: prediction then never waits for a worker thread on a busy machine.
        var options = new NeuralNetworkOptions { HiddenLayers = [5, 3], Epochs = 3, Seed = 4, Threads = 1 };
        return task switch
        {
            "multiclass" => (Trainers.MulticlassClassification(options).Fit(TestData.Iris()).Model, TestData.Iris()),
            "binary" => (Trainers.BinaryClassification(options with { Scaling = ScalingKind.MinMax }).Fit(TestData.TwoMoons(60, 0.1, 1)).Model, TestData.TwoMoons(60, 0.1, 1)),
            "layers" => (Trainers.MulticlassClassification(options with
            {
                Layers = MLNetNN.Networks.LayerText.Parse("bn,flatten,dense5,bn0.9:0.00001,dropout0.3,dense3:tanh"), InputShape = MLNetNN.Layers.LayerShape.Image(2, 2, 1),
            }).Fit(TestData.Iris()).Model, TestData.Iris()),
            _ => (Trainers.Regression(options with { Scaling = ScalingKind.None, HiddenActivation = MLNetNN.Activations.ActivationKind.Tanh }).Fit(TestData.NoisySine(60, 0.1, 1)).Model, TestData.NoisySine(60, 0.1, 1)),
        };
    }

    private static void AssertPredictsSanely(NeuralNetworkModel model, Dataset data, string what)
    {
        Assert.True(model.FeatureCount == data.Columns, $"{what} loaded with {model.FeatureCount} features");
        // By position: a mutation may rename a feature, which leaves a usable model that the name-matching overload would refuse.
        var outputs = new float[data.Rows * model.OutputCount];
        model.PredictBatch(data.Features, outputs);
        for (int row = 0; row < data.Rows; row++)
        {
            var p = outputs.AsSpan(row * model.OutputCount, model.OutputCount);
            foreach (float value in p) Assert.True(float.IsFinite(value), $"{what} loaded and predicts {value} for row {row}");
            if (!model.IsClassifier) continue;
            float sum = 0f;
            foreach (float value in p) { Assert.InRange(value, 0f, 1f); sum += value; }
            Assert.True(Math.Abs(sum - 1f) < 1e-3f, $"{what} loaded and its probabilities for row {row} sum to {sum}");
        }
    }

    private static byte[] Mutate(byte[] original, Random random, out string how)
    {
        bool fixChecksum = random.Next(2) == 0;
        byte[] bytes;
        switch (random.Next(8))
        {
            case 0:
                bytes = (byte[])original.Clone();
                int bit = random.Next(bytes.Length * 8);
                bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                how = $"bit {bit} flipped";
                break;
            case 1:
                bytes = (byte[])original.Clone();
                int at = random.Next(bytes.Length);
                bytes[at] = random.Next(3) switch { 0 => 0, 1 => 0xFF, _ => (byte)random.Next(256) };
                how = $"byte {at} set to {bytes[at]}";
                break;
            case 2:
                int keep = random.Next(original.Length);
                bytes = original[..keep];
                how = $"truncated to {keep} bytes";
                if (fixChecksum) SetPayloadLength(bytes);
                break;
            case 3:
                int where = random.Next(original.Length);
                var inserted = new byte[random.Next(1, 9)];
                random.NextBytes(inserted);
                bytes = [.. original[..where], .. inserted, .. original[where..]];
                how = $"{inserted.Length} bytes inserted at {where}";
                if (fixChecksum) SetPayloadLength(bytes);
                break;
            case 4:
                bytes = (byte[])original.Clone();
                how = EditLengthField(bytes, random);
                break;
            case 5:
            case 6:
                (bytes, how) = EditJson(original, random);
                return bytes; // rebuilt with a valid checksum: only the contents are wrong
            default:
                (bytes, how) = EditWeight(original, random);
                return bytes;
        }
        if (fixChecksum) { ModelBytes.FixChecksum(bytes); how += ", checksum recomputed"; }
        return bytes;
    }

    private static void SetPayloadLength(byte[] bytes)
    {
        if (bytes.Length >= ModelBytes.HeaderSize + 4) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(12), bytes.Length - ModelBytes.HeaderSize - 4);
    }

    private static readonly long[] LengthValues = [0, 1, -1, 3, 8, int.MaxValue, uint.MaxValue, 1L << 31, 1L << 32, long.MaxValue, long.MinValue];

    private static string EditLengthField(byte[] bytes, Random random)
    {
        int metadataLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(ModelBytes.HeaderSize));
        long value = random.Next(3) == 0 ? random.Next(-16, 17) : LengthValues[random.Next(LengthValues.Length)];
        switch (random.Next(3))
        {
            case 0:
                long current = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(12));
                BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(12), random.Next(2) == 0 ? value : current + value);
                return $"payload length edited by {value}";
            case 1:
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(ModelBytes.HeaderSize), (uint)(random.Next(2) == 0 ? value : metadataLength + value));
                return $"metadata length edited by {value}";
            default:
                var at = bytes.AsSpan(ModelBytes.HeaderSize + 4 + metadataLength);
                int count = BinaryPrimitives.ReadInt32LittleEndian(at);
                BinaryPrimitives.WriteInt32LittleEndian(at, (int)(random.Next(2) == 0 ? value : count + value));
                return $"parameter count edited by {value}";
        }
    }

    private static (byte[], string) EditJson(byte[] original, Random random)
    {
        var (json, parameters) = ModelBytes.Split(original);
        var root = JsonNode.Parse(json)!;
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        var target = nodes[random.Next(nodes.Count)];
        string how;
        switch (target.Parent)
        {
            case JsonObject owner when random.Next(6) == 0:
                owner.Remove(target.GetPropertyName());
                how = $"{target.GetPath()} removed";
                break;
            case JsonArray array when random.Next(4) == 0:
                array.Add(target.DeepClone());
                how = $"{target.GetPath()} duplicated";
                break;
            default:
                object? value = HostileValues[random.Next(HostileValues.Length)];
                how = $"{target.GetPath()} set to {value ?? "null"}";
                target.ReplaceWith(value is null ? null : JsonValue.Create(value));
                break;
        }
        return (ModelBytes.Build(root.ToJsonString(), parameters), how);
    }

    private static void Collect(JsonNode node, List<JsonNode> into)
    {
        if (node.Parent is not null) into.Add(node);
        if (node is JsonObject o) foreach (var (_, child) in o) { if (child is not null) Collect(child, into); }
        else if (node is JsonArray a) foreach (var child in a) { if (child is not null) Collect(child, into); }
    }

    private static readonly float[] WeightValues = [float.MaxValue, -float.MaxValue, 3e38f, 1e38f, 1e30f, -1e20f, 1e10f, float.NaN, float.PositiveInfinity, float.Epsilon, 0f];

    private static (byte[], string) EditWeight(byte[] original, Random random)
    {
        var (json, parameters) = ModelBytes.Split(original);
        int index = random.Next(parameters.Length);
        parameters[index] = random.Next(3) == 0 ? parameters[index] * MathF.Pow(2, random.Next(1, 128)) : WeightValues[random.Next(WeightValues.Length)];
        return (ModelBytes.Build(json, parameters), $"parameter {index} set to {parameters[index]}");
    }
}

using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MLNetNN.Activations;
using MLNetNN.Data;
using MLNetNN.Models;
using MLNetNN.Networks;
using MLNetNN.Training;

namespace MLNetNN.Serialization;

/// <summary>
/// Reads and writes model files (format described in docs/model-format.md):
/// <code>
/// "MLNETNN\x1A" | uint32 format version | int64 payload length | payload | uint32 CRC-32 of payload
/// payload = uint32 metadata length | metadata (UTF-8 JSON) | int32 parameter count | float32 parameters (little-endian)
/// </code>
/// Saving writes a temporary file beside the target and renames it over the target, so a crash or a full disk never leaves
/// a half-written model. Loading checks magic, version, length, checksum and consistency before building anything.
/// </summary>
public static class ModelFile
{
    /// <summary>The format version this code writes and the newest it reads.</summary>
    public const uint FormatVersion = 1;

    private static ReadOnlySpan<byte> Magic => "MLNETNN\x1A"u8;
    private const int HeaderSize = 8 + 4 + 8;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> atomically.</summary>
    public static void Save(NeuralNetworkModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"Cannot save the model to {full}: the folder {directory} does not exist.");

        byte[] payload = BuildPayload(model);
        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                Write(stream, payload);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Reads a model written by <see cref="Save(NeuralNetworkModel, string)"/>.</summary>
    /// <exception cref="ModelFormatException">The file is not a model file, is truncated or corrupted, or is of a newer format.</exception>
    public static NeuralNetworkModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"No model file at {Path.GetFullPath(path)}.", path);
        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>
    /// Writes <paramref name="model"/> in the model-file format to <paramref name="stream"/>, for containers that embed a model
    /// (the ML.NET adapter's pipeline file). Atomicity is the caller's: prefer <see cref="Save(NeuralNetworkModel, string)"/> for files.
    /// </summary>
    public static void Save(NeuralNetworkModel model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        Write(stream, BuildPayload(model));
    }

    /// <summary>Reads a model in the model-file format from the rest of <paramref name="stream"/>; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="ModelFormatException">The bytes are not a model, are truncated or corrupted, or are of a newer format.</exception>
    public static NeuralNetworkModel Load(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return Parse(copy.ToArray(), source);
    }

    private static void Write(Stream stream, byte[] payload)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], FormatVersion);
        BinaryPrimitives.WriteInt64LittleEndian(header[12..], payload.Length);
        stream.Write(header);
        stream.Write(payload);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(crc, Crc32.Compute(payload));
        stream.Write(crc);
    }

    private static NeuralNetworkModel Parse(byte[] bytes, string path)
    {
        if (bytes.Length == 0)
            throw new ModelFormatException(path, "the file is empty (0 bytes), not a model file.");
        if (bytes.Length < Magic.Length && Magic.StartsWith(bytes))
            throw new ModelFormatException(path, $"truncated: {bytes.Length} bytes, shorter than the {HeaderSize}-byte header.");
        if (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new ModelFormatException(path, "not an MLNetNN model file (it does not start with the MLNETNN signature).");
        if (bytes.Length < HeaderSize)
            throw new ModelFormatException(path, $"truncated: {bytes.Length} bytes, shorter than the {HeaderSize}-byte header.");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        if (version == 0 || version > FormatVersion)
            throw new ModelFormatException(path, $"format version {version} is not supported; this MLNetNN reads versions 1 to {FormatVersion}. Was it written by a newer MLNetNN?");
        long length = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(12));
        if (length < 0 || HeaderSize + length + 4 != bytes.Length)
            throw new ModelFormatException(path, $"truncated or padded: the header announces {length} payload bytes, so {HeaderSize + length + 4} bytes in all, but the file has {bytes.Length}.");
        var payload = bytes.AsSpan(HeaderSize, (int)length);
        uint expected = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(HeaderSize + (int)length));
        if (Crc32.Compute(payload) != expected)
            throw new ModelFormatException(path, "corrupted: the checksum does not match the contents.");
        try
        {
            return ReadPayload(payload, path);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or NotSupportedException or FormatException)
        {
            throw new ModelFormatException(path, $"inconsistent contents: {e.Message}", e);
        }
    }

    private static byte[] BuildPayload(NeuralNetworkModel model)
    {
        var metadata = new ModelMetadata
        {
            Options = model.Options,
            InputCount = model.Network.InputCount,
            Layers = model.Network.Specs().Select(s => new LayerRecord(s.Units, s.Activation, s.Alpha)).ToArray(),
            ClassNames = model.ClassNames?.ToArray(),
            FeatureNames = model.FeatureNames.ToArray(),
            Scaler = model.Scaler is null ? null : new ScalerRecord(model.Scaler.Kind, model.Scaler.Offset.ToArray(), model.Scaler.Scale.ToArray()),
            History = model.History.ToArray(),
        };
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(metadata, Json);
        float[] parameters = model.Network.Parameters;
        var payload = new byte[4 + json.Length + 4 + parameters.Length * sizeof(float)];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, (uint)json.Length);
        json.CopyTo(payload, 4);
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(4 + json.Length), parameters.Length);
        var target = payload.AsSpan(8 + json.Length);
        if (BitConverter.IsLittleEndian) MemoryMarshal.AsBytes(parameters.AsSpan()).CopyTo(target);
        else for (int i = 0; i < parameters.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(target[(i * 4)..], parameters[i]);
        return payload;
    }

    private static NeuralNetworkModel ReadPayload(ReadOnlySpan<byte> payload, string path)
    {
        if (payload.Length < 8) throw new ModelFormatException(path, "the payload is too short to hold metadata and parameters.");
        int jsonLength = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(payload));
        if (jsonLength > payload.Length - 8) throw new ModelFormatException(path, $"the metadata length {jsonLength} runs past the payload ({payload.Length} bytes).");
        var metadata = JsonSerializer.Deserialize<ModelMetadata>(payload.Slice(4, jsonLength), Json)
            ?? throw new ModelFormatException(path, "the metadata is empty.");
        if (metadata.Options is null || metadata.Layers is null || metadata.Layers.Length == 0)
            throw new ModelFormatException(path, "the metadata lacks the options or the layers.");

        var network = new NeuralNetwork(metadata.InputCount, metadata.Layers.Select(l => new LayerSpec(l.Units, l.Activation, l.Alpha)).ToArray());
        int count = BinaryPrimitives.ReadInt32LittleEndian(payload.Slice(4 + jsonLength));
        var data = payload.Slice(8 + jsonLength);
        if (count != network.ParameterCount || data.Length != count * sizeof(float))
            throw new ModelFormatException(path, $"the architecture needs {network.ParameterCount} parameters; the file holds {count} ({data.Length} bytes).");
        for (int i = 0; i < count; i++)
        {
            float value = BinaryPrimitives.ReadSingleLittleEndian(data[(i * 4)..]);
            if (!float.IsFinite(value)) throw new ModelFormatException(path, $"parameter {i} is {value}; a usable model has finite weights.");
            network.Parameters[i] = value;
        }
        FeatureScaler? scaler = metadata.Scaler is { } s ? new FeatureScaler(s.Kind, s.Offset, s.Scale) : null;
        return new NeuralNetworkModel(network, metadata.Options, metadata.ClassNames, metadata.FeatureNames, scaler, metadata.History);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private sealed class ModelMetadata
    {
        public NeuralNetworkOptions? Options { get; set; }
        public int InputCount { get; set; }
        public LayerRecord[]? Layers { get; set; }
        public string[]? ClassNames { get; set; }
        public string[]? FeatureNames { get; set; }
        public ScalerRecord? Scaler { get; set; }
        public EpochRecord[]? History { get; set; }
    }

    private sealed record LayerRecord(int Units, ActivationKind Activation, float? Alpha);

    private sealed record ScalerRecord(ScalerKind Kind, float[] Offset, float[] Scale);
}

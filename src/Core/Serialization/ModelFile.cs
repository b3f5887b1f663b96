using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using MLNetNN.IO;
using MLNetNN.Models;
using MLNetNN.Networks;

namespace MLNetNN.Serialization;

/// <summary>
/// Reads and writes model files (format described in docs/model-format.md):
/// <code>
/// "MLNETNN\x1A" | uint32 format version | int64 payload length | payload | uint32 CRC-32 of payload
/// payload = uint32 metadata length | metadata (UTF-8 JSON) | int32 parameter count | float32 parameters (little-endian)
/// </code>
/// Saving goes through <see cref="AtomicFile"/>, so a crash or a full disk never leaves a half-written model. Loading checks every
/// length against the bytes actually there before allocating anything for it, then the checksum, then every metadata field,
/// and builds the model last; whatever is wrong, the error is a <see cref="ModelFormatException"/>.
/// </summary>
public static class ModelFile
{
    /// <summary>
    /// The format version this code writes and the newest it reads. Version 2 adds the target scaler of regression models
    /// (<see cref="NeuralNetworkModel.TargetScaler"/>); a version-1 file holds none, and its model predicts its network's outputs.
    /// Version 3 adds layers of several kinds (each layer record names its kind), an image input's shape, and the layers' state
    /// (batch normalisation's running statistics) after the parameters; files of versions 1 and 2 hold dense layers only.
    /// </summary>
    public const uint FormatVersion = 3;

    /// <summary>
    /// The largest metadata this code writes or reads (256 MiB). Metadata grow with features, classes and epochs: a million
    /// features with their names and scaler, and 100,000 epochs of history, take about 60 MB.
    /// </summary>
    public const int MaxMetadataBytes = 1 << 28;

    private static ReadOnlySpan<byte> Magic => "MLNETNN\x1A"u8;
    private const int HeaderSize = 8 + 4 + 8;
    private const int ChecksumSize = 4;

    /// <summary>The largest payload: the largest metadata and the most parameters a float array holds.</summary>
    private const long MaxPayloadBytes = 8L + MaxMetadataBytes + 4L * 0x7FFFFFC7; // Array.MaxLength, which is not a constant

    /// <summary>Parameters read per call, so a model of any size is read without a second copy of its bytes.</summary>
    private const int ParametersPerRead = 1 << 14;

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> atomically (see <see cref="AtomicFile.Write"/>).</summary>
    /// <exception cref="ArgumentException">The model breaks a rule of the format (docs/model-format.md), so its file would not load.</exception>
    public static void Save(NeuralNetworkModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var (metadata, version) = Metadata(model);
        AtomicFile.Write(path, stream => Write(stream, metadata, version, model.Network.Parameters, model.Network.State), "the model");
    }

    /// <summary>
    /// Writes <paramref name="model"/> in the model-file format to <paramref name="stream"/>, for containers that embed a model
    /// (the ML.NET adapter's pipeline file). Atomicity is the caller's: prefer <see cref="Save(NeuralNetworkModel, string)"/> for files.
    /// </summary>
    /// <exception cref="ArgumentException">The model breaks a rule of the format, so its bytes would not load.</exception>
    public static void Save(NeuralNetworkModel model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        var (metadata, version) = Metadata(model);
        Write(stream, metadata, version, model.Network.Parameters, model.Network.State);
    }

    /// <summary>Reads a model written by <see cref="Save(NeuralNetworkModel, string)"/>.</summary>
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    /// <exception cref="ModelFormatException">
    /// The path is a folder, a device or a pipe; or the file is not a model file, is truncated or corrupted, is of a newer format,
    /// or holds contents that contradict each other or could not predict finite values.
    /// </exception>
    public static NeuralNetworkModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path)) throw new ModelFormatException(path, "it is a folder, not a model file.");
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"No model file at {Path.GetFullPath(path)}.", path);
        // The size comes from the file system, before the file is opened: devices and pipes report none, and opening a pipe
        // would wait for a writer, reading a device would not end.
        if (info.Length == 0)
            throw new ModelFormatException(path, "the file is empty (0 bytes), or is a device or a pipe; not a model file.");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        if (!stream.CanSeek) throw new ModelFormatException(path, "it is not a regular file (a device or a pipe), not a model file.");
        return Read(stream, stream.Length, path);
    }

    /// <summary>Reads a model in the model-file format from the rest of <paramref name="stream"/>; <paramref name="source"/> names it in errors.</summary>
    /// <remarks>A stream that cannot seek is read into memory first, up to 2 GB; larger models are read from files.</remarks>
    /// <exception cref="ModelFormatException">The bytes are not a model, are truncated or corrupted, are of a newer format, or are inconsistent.</exception>
    public static NeuralNetworkModel Load(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        if (stream.CanSeek) return Read(stream, stream.Length - stream.Position, source);
        // Without a length to check the header against, the stream is copied into memory, but only once its first 20 bytes are
        // a model file's header, and only as far as that header announces (and a byte more, so a stream that holds more is
        // refused as padded): bytes that are no model file, or that never end, are not read on.
        Span<byte> header = stackalloc byte[HeaderSize];
        int got = stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
        long length = CheckHeader(header[..got], source).Length;
        if (length > Array.MaxLength - HeaderSize - ChecksumSize - 1)
            throw new ModelFormatException(source, $"the header announces {length} payload bytes, more than a stream that cannot seek can be read into memory for ({Array.MaxLength} bytes); load a model this large from a file.");
        long wanted = HeaderSize + Math.Max(length, 0) + ChecksumSize + 1;
        using var copy = new MemoryStream();
        copy.Write(header[..got]);
        var buffer = new byte[1 << 16];
        int read;
        while (copy.Length < wanted && (read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, wanted - copy.Length))) > 0)
            copy.Write(buffer, 0, read);
        copy.Position = 0;
        return Read(copy, copy.Length, source);
    }

    /// <summary>The model's metadata as JSON, and the format version they are written in.</summary>
    private static (byte[] Json, uint Version) Metadata(NeuralNetworkModel model)
    {
        var metadata = ModelMetadata.Of(model);
        // The reader's rules, applied before anything is written: a file that would not load is never produced.
        string? problem;
        try
        {
            metadata.CheckedParameterCount();
            problem = OverflowBound.Problem(model.Network, model.Scaler, model.TargetScaler);
        }
        catch (InvalidDataException e)
        {
            problem = e.Message;
        }
        if (problem is not null) throw new ArgumentException($"The model cannot be saved, as its file would not load: {problem}", nameof(model));
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(metadata, ModelMetadata.Json);
        if (json.Length > MaxMetadataBytes)
            throw new ArgumentException($"The model cannot be saved: its metadata take {json.Length} bytes, more than a model file holds ({MaxMetadataBytes}).", nameof(model));
        return (json, metadata.Version);
    }

    /// <summary>The file's bytes: the float block holds <paramref name="parameters"/>, then <paramref name="state"/>.</summary>
    private static void Write(Stream stream, byte[] metadata, uint version, float[] parameters, float[] state)
    {
        long floats = (long)parameters.Length + state.Length;
        if (floats > Array.MaxLength) throw new ArgumentException($"The model cannot be saved: {floats} parameters and state values are more than a model file holds ({Array.MaxLength}).");
        Span<byte> header = stackalloc byte[HeaderSize];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], version);
        BinaryPrimitives.WriteInt64LittleEndian(header[12..], 8L + metadata.Length + 4L * floats);
        stream.Write(header);

        Span<byte> count = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(count, (uint)metadata.Length);
        uint crc = Write(stream, count, 0);
        crc = Write(stream, metadata, crc);
        BinaryPrimitives.WriteInt32LittleEndian(count, (int)floats);
        crc = Write(stream, count, crc);
        var chunk = new byte[4 * ParametersPerRead];
        crc = WriteFloats(stream, parameters, chunk, crc);
        crc = WriteFloats(stream, state, chunk, crc);
        BinaryPrimitives.WriteUInt32LittleEndian(count, crc);
        stream.Write(count);
    }

    private static uint WriteFloats(Stream stream, float[] floats, byte[] chunk, uint crc)
    {
        for (int first = 0; first < floats.Length; first += ParametersPerRead)
        {
            var values = floats.AsSpan(first, Math.Min(ParametersPerRead, floats.Length - first));
            var bytes = chunk.AsSpan(0, 4 * values.Length);
            for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes[(4 * i)..], values[i]);
            crc = Write(stream, bytes, crc);
        }
        return crc;
    }

    private static uint Write(Stream stream, ReadOnlySpan<byte> bytes, uint crc)
    {
        stream.Write(bytes);
        return Crc32.Append(crc, bytes);
    }

    /// <summary>
    /// Reads a model from <paramref name="stream"/>, which holds <paramref name="available"/> bytes from its position. Every
    /// length is checked against what is there before anything is allocated for it; the whole payload passes through the
    /// checksum before its contents are believed, so a damaged file is reported as corrupted rather than as inconsistent.
    /// </summary>
    private static NeuralNetworkModel Read(Stream stream, long available, string source)
    {
        try
        {
            (long length, uint version) = ReadHeader(stream, available, source);
            uint crc = 0;
            string? layoutProblem = null;
            byte[]? json = null;
            float[]? parameters = null;

            Span<byte> field = stackalloc byte[4];
            crc = ReadExactly(stream, field, crc);
            uint metadataLength = BinaryPrimitives.ReadUInt32LittleEndian(field);
            long rest = length - 4;
            if (metadataLength > rest - 4)
                layoutProblem = $"the metadata length {metadataLength} runs past the payload ({length} bytes).";
            else if (metadataLength > MaxMetadataBytes)
                layoutProblem = $"the metadata length {metadataLength} is more than a model file holds ({MaxMetadataBytes}).";
            else
            {
                json = new byte[metadataLength];
                crc = ReadExactly(stream, json, crc);
                crc = ReadExactly(stream, field, crc);
                int count = BinaryPrimitives.ReadInt32LittleEndian(field);
                rest -= metadataLength + 4;
                if (count < 0 || 4L * count != rest)
                    layoutProblem = $"the file announces {count} parameters but holds {rest} bytes of them.";
                else
                {
                    parameters = new float[count];
                    crc = ReadParameters(stream, parameters, crc);
                    rest = 0;
                }
            }
            crc = Skip(stream, rest, crc);
            stream.ReadExactly(field);
            if (crc != BinaryPrimitives.ReadUInt32LittleEndian(field))
                throw new ModelFormatException(source, "corrupted: the checksum does not match the contents.");
            if (layoutProblem is not null) throw new ModelFormatException(source, layoutProblem);
            return Build(json!, parameters!, version, source);
        }
        catch (EndOfStreamException)
        {
            throw new ModelFormatException(source, "truncated: the file ended while it was read.");
        }
    }

    /// <summary>Checks signature, version and payload length; returns the payload length, which fits the bytes available, and the version.</summary>
    private static (long Length, uint Version) ReadHeader(Stream stream, long available, string source)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        int got = stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
        (long length, uint version) = CheckHeader(header[..got], source);
        if (length < 0 || length > MaxPayloadBytes || length != available - HeaderSize - ChecksumSize)
            throw new ModelFormatException(source, $"truncated or padded: the header announces {length} payload bytes, so {(decimal)length + HeaderSize + ChecksumSize} bytes in all, but the file has {available}.");
        if (length < 8) throw new ModelFormatException(source, $"the payload ({length} bytes) is too short to hold metadata and parameters.");
        return (length, version);
    }

    /// <summary>Checks the signature and the version in the first <see cref="HeaderSize"/> bytes (fewer if the stream held fewer); returns the payload length the header announces, unchecked, and the version.</summary>
    private static (long Length, uint Version) CheckHeader(ReadOnlySpan<byte> header, string source)
    {
        int got = header.Length;
        if (got == 0)
            throw new ModelFormatException(source, "the file is empty (0 bytes), not a model file.");
        if (got < Magic.Length && Magic.StartsWith(header[..got]))
            throw new ModelFormatException(source, $"truncated: {got} bytes, shorter than the {HeaderSize}-byte header.");
        if (got < Magic.Length || !header[..Magic.Length].SequenceEqual(Magic))
            throw new ModelFormatException(source, "not an MLNetNN model file (it does not start with the MLNETNN signature).");
        if (got < HeaderSize)
            throw new ModelFormatException(source, $"truncated: {got} bytes, shorter than the {HeaderSize}-byte header.");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version == 0 || version > FormatVersion)
            throw new ModelFormatException(source, $"format version {version} is not supported; this MLNetNN reads versions 1 to {FormatVersion}. Was it written by a newer MLNetNN?");
        return (BinaryPrimitives.ReadInt64LittleEndian(header[12..]), version);
    }

    private static uint ReadExactly(Stream stream, Span<byte> into, uint crc)
    {
        stream.ReadExactly(into);
        return Crc32.Append(crc, into);
    }

    private static uint ReadParameters(Stream stream, float[] parameters, uint crc)
    {
        for (int first = 0; first < parameters.Length; first += ParametersPerRead)
        {
            var values = parameters.AsSpan(first, Math.Min(ParametersPerRead, parameters.Length - first));
            var bytes = MemoryMarshal.AsBytes(values);
            crc = ReadExactly(stream, bytes, crc);
            if (!BitConverter.IsLittleEndian)
                for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..]);
        }
        return crc;
    }

    /// <summary>Passes <paramref name="count"/> bytes through the checksum without keeping them (a payload whose layout is wrong).</summary>
    private static uint Skip(Stream stream, long count, uint crc)
    {
        Span<byte> buffer = stackalloc byte[4096];
        for (; count > 0; count -= buffer.Length)
        {
            if (count < buffer.Length) buffer = buffer[..(int)count];
            crc = ReadExactly(stream, buffer, crc);
        }
        return crc;
    }

    /// <summary>Checks the metadata and the parameters against each other and against the format's rules, then builds the model.</summary>
    private static NeuralNetworkModel Build(byte[] json, float[] parameters, uint version, string source)
    {
        try
        {
            var metadata = JsonSerializer.Deserialize<ModelMetadata>(json, ModelMetadata.Json)
                ?? throw new InvalidDataException("the metadata are null.");
            metadata.Version = version;
            long needed = metadata.CheckedParameterCount();
            if (needed != parameters.Length)
                throw new InvalidDataException($"the architecture needs {needed} parameters{(needed > 0 && version >= 3 ? " and state values" : "")}; the file holds {parameters.Length}.");
            var network = metadata.BuildNetwork();
            parameters.AsSpan(0, network.ParameterCount).CopyTo(network.Parameters);
            parameters.AsSpan(network.ParameterCount).CopyTo(network.State);
            var scaler = metadata.BuildScaler();
            var targetScaler = metadata.BuildTargetScaler();
            string? problem = OverflowBound.Problem(network, scaler, targetScaler);
            if (problem is not null) throw new InvalidDataException(problem);
            return metadata.Model(network, scaler, targetScaler);
        }
        catch (JsonException e)
        {
            throw new ModelFormatException(source, $"the metadata are not valid: {e.Message}{(e.Path is null ? "" : $" (at {e.Path})")}", e);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            throw new ModelFormatException(source, $"inconsistent contents: {e.Message}", e);
        }
    }
}

using System.Buffers.Binary;
using System.Text;
using MLNetNN.Serialization;

namespace MLNetNN.Tests.Serialization;

/// <summary>Takes model files apart and builds them from parts, with a valid checksum, to craft files a buggy writer or a hostile sender could produce.</summary>
internal static class ModelBytes
{
    public const int HeaderSize = 20;

    /// <summary>The metadata JSON and the parameters of a well-formed file.</summary>
    public static (string Json, float[] Parameters) Split(byte[] file)
    {
        int m = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(HeaderSize));
        string json = Encoding.UTF8.GetString(file, HeaderSize + 4, m);
        int count = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(HeaderSize + 4 + m));
        var parameters = new float[count];
        for (int i = 0; i < count; i++) parameters[i] = BinaryPrimitives.ReadSingleLittleEndian(file.AsSpan(HeaderSize + 8 + m + 4 * i));
        return (json, parameters);
    }

    /// <summary>A file holding <paramref name="json"/> and <paramref name="parameters"/>; the counts in it may be overridden.</summary>
    public static byte[] Build(string json, ReadOnlySpan<float> parameters, uint? metadataLength = null, int? parameterCount = null, uint version = ModelFile.FormatVersion)
    {
        byte[] metadata = Encoding.UTF8.GetBytes(json);
        var payload = new byte[8 + metadata.Length + 4 * parameters.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, metadataLength ?? (uint)metadata.Length);
        metadata.CopyTo(payload, 4);
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(4 + metadata.Length), parameterCount ?? parameters.Length);
        for (int i = 0; i < parameters.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(payload.AsSpan(8 + metadata.Length + 4 * i), parameters[i]);
        return Wrap(payload, version);
    }

    /// <summary>Header, <paramref name="payload"/> and its checksum.</summary>
    public static byte[] Wrap(ReadOnlySpan<byte> payload, uint version = ModelFile.FormatVersion)
    {
        var file = new byte[HeaderSize + payload.Length + 4];
        "MLNETNN\x1A"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), version);
        BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(12), payload.Length);
        payload.CopyTo(file.AsSpan(HeaderSize));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(HeaderSize + payload.Length), Crc32.Compute(payload));
        return file;
    }

    /// <summary>Recomputes the checksum of a file whose payload length field is right, as a writer that checksums what it wrote would.</summary>
    public static void FixChecksum(byte[] file)
    {
        if (file.Length < HeaderSize + 4) return;
        var payload = file.AsSpan(HeaderSize, file.Length - HeaderSize - 4);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), Crc32.Compute(payload));
    }
}

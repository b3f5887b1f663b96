using System.Buffers.Binary;
using System.Text;

namespace MLNetNN.Serialization.Onnx;

/// <summary>
/// Writes protocol-buffer wire format (the encoding every ONNX file uses): each field is a key, <c>field number « 3 | wire type</c>,
/// as a varint, then its value — a varint (wire type 0), four little-endian bytes (type 5), or a varint length and that many
/// bytes (type 2: strings, bytes, embedded messages and packed repeated numbers).
/// </summary>
/// <remarks>
/// An embedded message is written into a writer of its own and copied into its parent with its length in front, since the
/// length prefix comes before the bytes it counts. Models are small enough (a few megabytes at most) that the copy per
/// nesting level costs nothing worth a two-pass size computation.
/// </remarks>
internal sealed class ProtobufWriter
{
    private const int Varint = 0, LengthDelimited = 2, Fixed32 = 5;

    private byte[] _buffer = new byte[256];
    private int _length;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>A varint field. Negative values take ten bytes, as protobuf encodes int64 (two's complement, no zigzag).</summary>
    public void WriteInt64(int field, long value)
    {
        WriteKey(field, Varint);
        WriteVarint((ulong)value);
    }

    /// <summary>A 32-bit float field (fixed32, little-endian IEEE 754).</summary>
    public void WriteFloat(int field, float value)
    {
        WriteKey(field, Fixed32);
        BinaryPrimitives.WriteSingleLittleEndian(Reserve(4), value);
    }

    /// <summary>A UTF-8 string field (also the encoding of an ONNX <c>bytes</c> field holding text).</summary>
    public void WriteString(int field, string value)
    {
        WriteKey(field, LengthDelimited);
        int count = Encoding.UTF8.GetByteCount(value);
        WriteVarint((ulong)count);
        Encoding.UTF8.GetBytes(value, Reserve(count));
    }

    /// <summary>A packed repeated float field: one length, then four bytes per value.</summary>
    public void WritePackedFloats(int field, ReadOnlySpan<float> values)
    {
        WriteKey(field, LengthDelimited);
        WriteVarint((ulong)values.Length * 4);
        Span<byte> target = Reserve(values.Length * 4);
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(target[(4 * i)..], values[i]);
    }

    /// <summary>A packed repeated int64 field: one length, then the values as varints.</summary>
    public void WritePackedInt64s(int field, ReadOnlySpan<long> values)
    {
        var packed = new ProtobufWriter();
        foreach (long value in values) packed.WriteVarint((ulong)value);
        WriteBytes(field, packed.Written);
    }

    /// <summary>An embedded message field, whose body <paramref name="writeBody"/> writes.</summary>
    public void WriteMessage(int field, Action<ProtobufWriter> writeBody)
    {
        var body = new ProtobufWriter();
        writeBody(body);
        WriteBytes(field, body.Written);
    }

    /// <summary>Copies everything written to <paramref name="stream"/>.</summary>
    public void CopyTo(Stream stream) => stream.Write(Written);

    private void WriteBytes(int field, ReadOnlySpan<byte> bytes)
    {
        WriteKey(field, LengthDelimited);
        WriteVarint((ulong)bytes.Length);
        bytes.CopyTo(Reserve(bytes.Length));
    }

    private void WriteKey(int field, int wireType)
    {
        if (field < 1) throw new ArgumentOutOfRangeException(nameof(field), field, "Protobuf field numbers start at 1.");
        WriteVarint(((ulong)field << 3) | (uint)wireType);
    }

    /// <summary>Seven bits per byte, least significant group first, the high bit set on every byte but the last.</summary>
    private void WriteVarint(ulong value)
    {
        Span<byte> target = Reserve(10);
        int used = 0;
        while (value >= 0x80)
        {
            target[used++] = (byte)(value | 0x80);
            value >>= 7;
        }
        target[used++] = (byte)value;
        _length -= 10 - used;
    }

    /// <summary>Makes room for <paramref name="count"/> bytes at the end and returns them.</summary>
    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        _length += count;
        return _buffer.AsSpan(_length - count, count);
    }
}

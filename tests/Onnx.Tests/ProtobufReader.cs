using System.Buffers.Binary;
using System.Text;

namespace MLNetNN.Onnx.Tests;

/// <summary>
/// Decodes protocol-buffer wire format into (field number, value) pairs, written from the encoding spec for the tests to read
/// exported files back independently of the writer: a varint field gives a <see cref="long"/>, a fixed32 field a
/// <see cref="float"/>, a length-delimited field a <see cref="ProtobufReader"/> over its bytes (a message, text or packed values).
/// </summary>
internal sealed class ProtobufReader(byte[] bytes, int start, int end)
{
    public ProtobufReader(byte[] bytes) : this(bytes, 0, bytes.Length) { }

    public ReadOnlySpan<byte> Bytes => bytes.AsSpan(start, end - start);

    public string Text => Encoding.UTF8.GetString(Bytes);

    /// <summary>Every field in order.</summary>
    public List<(int Field, object Value)> Fields()
    {
        var fields = new List<(int, object)>();
        int at = start;
        while (at < end)
        {
            ulong key = ReadVarint(ref at);
            int field = (int)(key >> 3);
            switch ((int)(key & 7))
            {
                case 0: fields.Add((field, (long)ReadVarint(ref at))); break;
                case 5: fields.Add((field, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(at, 4)))); at += 4; break;
                case 2:
                    int length = checked((int)ReadVarint(ref at));
                    if (length > end - at) throw new FormatException($"A field of {length} bytes at byte {at} runs past the end ({end}).");
                    fields.Add((field, new ProtobufReader(bytes, at, at + length)));
                    at += length;
                    break;
                default: throw new FormatException($"Wire type {key & 7} at byte {at} is not one the ONNX writer uses.");
            }
        }
        return fields;
    }

    public IEnumerable<ProtobufReader> Messages(int field) => Fields().Where(f => f.Field == field).Select(f => (ProtobufReader)f.Value);

    public ProtobufReader Message(int field) => Messages(field).Single();

    public IEnumerable<string> Texts(int field) => Messages(field).Select(m => m.Text);

    public string TextOf(int field) => Texts(field).Single();

    public long Int(int field) => Fields().Where(f => f.Field == field).Select(f => (long)f.Value).Single();

    /// <summary>A packed repeated varint field's values.</summary>
    public long[] PackedInts(int field)
    {
        var values = new List<long>();
        foreach (var packed in Messages(field))
        {
            int at = packed.Start;
            while (at < packed.End) values.Add((long)ReadVarint(ref at, bytes));
        }
        return values.ToArray();
    }

    /// <summary>A packed repeated float field's values.</summary>
    public float[] PackedFloats(int field) =>
        Messages(field).SelectMany(m => Enumerable.Range(0, m.Bytes.Length / 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(m.Bytes[(4 * i)..]))).ToArray();

    private int Start => start;

    private int End => end;

    private ulong ReadVarint(ref int at) => ReadVarint(ref at, bytes, end);

    private static ulong ReadVarint(ref int at, byte[] data, int limit = int.MaxValue)
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (at >= Math.Min(limit, data.Length)) throw new FormatException("A varint runs past the end.");
            byte b = data[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        throw new FormatException("A varint longer than ten bytes.");
    }
}

using Google.Protobuf;

namespace Chronoscope.Onnx;

/// <summary>
/// Writes one protocol buffer message field by field with Google.Protobuf's <see cref="CodedOutputStream"/>; an
/// embedded message is written by a nested writer and stored as a length-delimited field, as the wire format has it.
/// </summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream _buffer = new();
    private readonly CodedOutputStream _output;

    public ProtoWriter() => _output = new CodedOutputStream(_buffer, leaveOpen: true);

    public ProtoWriter Int64(int field, long value)
    {
        _output.WriteTag(field, WireFormat.WireType.Varint);
        _output.WriteInt64(value);
        return this;
    }

    public ProtoWriter Int32(int field, int value)
    {
        _output.WriteTag(field, WireFormat.WireType.Varint);
        _output.WriteInt32(value);
        return this;
    }

    public ProtoWriter Float(int field, float value)
    {
        _output.WriteTag(field, WireFormat.WireType.Fixed32);
        _output.WriteFloat(value);
        return this;
    }

    public ProtoWriter String(int field, string value)
    {
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteString(value);
        return this;
    }

    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteBytes(ByteString.CopyFrom(value));
        return this;
    }

    public ProtoWriter Message(int field, Action<ProtoWriter> write)
    {
        var nested = new ProtoWriter();
        write(nested);
        return Bytes(field, nested.ToArray());
    }

    public byte[] ToArray()
    {
        _output.Flush();
        return _buffer.ToArray();
    }
}

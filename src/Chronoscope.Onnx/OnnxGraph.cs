namespace Chronoscope.Onnx;

/// <summary>
/// An ONNX graph under construction, serialized with the ONNX schema's field numbers (onnx.proto): nodes in
/// topological order, float and int64 initializers, float inputs and outputs whose dimensions are numbers or names.
/// </summary>
internal sealed class OnnxGraph
{
    // onnx.proto TensorProto.DataType and AttributeProto.AttributeType values.
    private const int FloatType = 1;
    private const int Int64Type = 7;
    private const int AttributeFloat = 1;
    private const int AttributeInt = 2;
    private const int AttributeInts = 7;

    private readonly List<Action<ProtoWriter>> _nodes = [];
    private readonly List<Action<ProtoWriter>> _initializers = [];
    private readonly List<Action<ProtoWriter>> _inputs = [];
    private readonly List<Action<ProtoWriter>> _outputs = [];
    private readonly HashSet<string> _names = [];
    private int _counter;

    /// <summary>A fresh value name from <paramref name="stem"/>.</summary>
    public string Name(string stem) => $"{stem}_{_counter++}";

    public string Initializer(string name, long[] dims, float[] values)
    {
        if (!_names.Add(name))
            throw new InvalidOperationException($"duplicate ONNX value name '{name}'");
        var raw = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length); // little-endian, as ONNX's raw_data is
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("ONNX export needs a little-endian machine.");
        _initializers.Add(w => Tensor(w, name, dims, FloatType, raw));
        return name;
    }

    public string Initializer(string name, long[] dims, long[] values)
    {
        if (!_names.Add(name))
            throw new InvalidOperationException($"duplicate ONNX value name '{name}'");
        var raw = new byte[values.Length * sizeof(long)];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        _initializers.Add(w => Tensor(w, name, dims, Int64Type, raw));
        return name;
    }

    /// <summary>Adds a node of <paramref name="op"/> over <paramref name="inputs"/> and returns its one output's name.</summary>
    public string Node(string op, string[] inputs, params (string Name, object Value)[] attributes)
    {
        var output = Name(op.ToLowerInvariant());
        NodeWithOutput(op, inputs, output, attributes);
        return output;
    }

    public void NodeWithOutput(string op, string[] inputs, string output, params (string Name, object Value)[] attributes)
    {
        var index = _nodes.Count;
        _names.Add(output);
        _nodes.Add(w =>
        {
            foreach (var input in inputs)
                w.String(1, input);
            w.String(2, output);
            w.String(3, $"{op}_{index}");
            w.String(4, op);
            foreach (var (name, value) in attributes)
                w.Message(5, a => Attribute(a, name, value));
        });
    }

    /// <summary>A float graph input; a string dimension is symbolic (any size).</summary>
    public void Input(string name, params object[] dims)
    {
        _names.Add(name);
        _inputs.Add(w => ValueInfo(w, name, dims));
    }

    public void Output(string name, params object[] dims) => _outputs.Add(w => ValueInfo(w, name, dims));

    /// <summary>The ModelProto bytes.</summary>
    public byte[] ToModel(string graphName, int opset, long irVersion, string producerVersion, IReadOnlyList<(string Key, string Value)> metadata)
    {
        var model = new ProtoWriter()
            .Int64(1, irVersion)
            .String(2, "Chronoscope")
            .String(3, producerVersion)
            .Message(7, g =>
            {
                foreach (var node in _nodes)
                    g.Message(1, node);
                g.String(2, graphName);
                foreach (var initializer in _initializers)
                    g.Message(5, initializer);
                foreach (var input in _inputs)
                    g.Message(11, input);
                foreach (var output in _outputs)
                    g.Message(12, output);
            })
            .Message(8, o => o.String(1, "").Int64(2, opset));
        foreach (var (key, value) in metadata)
            model.Message(14, e => e.String(1, key).String(2, value));
        return model.ToArray();
    }

    private static void Tensor(ProtoWriter w, string name, long[] dims, int type, byte[] raw)
    {
        foreach (var d in dims)
            w.Int64(1, d);
        w.Int32(2, type);
        w.String(8, name);
        w.Bytes(9, raw);
    }

    private static void Attribute(ProtoWriter w, string name, object value)
    {
        w.String(1, name);
        switch (value)
        {
            case float f:
                w.Float(2, f).Int32(20, AttributeFloat);
                break;
            case int or long:
                w.Int64(3, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)).Int32(20, AttributeInt);
                break;
            case long[] ints:
                foreach (var i in ints)
                    w.Int64(8, i);
                w.Int32(20, AttributeInts);
                break;
            default:
                throw new ArgumentException($"unsupported attribute value {value.GetType().Name}", nameof(value));
        }
    }

    private static void ValueInfo(ProtoWriter w, string name, object[] dims)
    {
        w.String(1, name);
        w.Message(2, type => type.Message(1, tensor =>
        {
            tensor.Int32(1, FloatType);
            tensor.Message(2, shape =>
            {
                foreach (var dim in dims)
                {
                    shape.Message(1, d =>
                    {
                        if (dim is string symbol)
                            d.String(2, symbol);
                        else
                            d.Int64(1, Convert.ToInt64(dim, System.Globalization.CultureInfo.InvariantCulture));
                    });
                }
            });
        }));
    }
}

namespace PipelineGate.Runtime;

/// <summary>
/// The smallest model a provider can be probed with: Identity on a float [1] tensor, IR 7, opset 13,
/// written as protobuf by hand (this project does not reference the ONNX model library).
/// </summary>
internal static class ProbeModel
{
    public static byte[] Bytes { get; } = Build();

    private static byte[] Build()
    {
        static byte[] Field(int number, byte[] payload) => [(byte)((number << 3) | 2), .. Varint((ulong)payload.Length), .. payload];
        static byte[] Text(int number, string value) => Field(number, System.Text.Encoding.UTF8.GetBytes(value));
        static byte[] Number(int number, ulong value) => [(byte)(number << 3), .. Varint(value)];
        static byte[] ValueInfo(int number, string name)
        {
            var dim = Field(1, Number(1, 1));                    // TensorShapeProto.Dimension { dim_value: 1 }
            byte[] tensorType = [.. Number(1, 1), .. Field(2, dim)]; // elem_type FLOAT, shape
            return Field(number, [.. Text(1, name), .. Field(2, Field(1, tensorType))]);
        }

        byte[] node = [.. Text(1, "x"), .. Text(2, "y"), .. Text(4, "Identity")];
        byte[] graph = [.. Field(1, node), .. Text(2, "probe"), .. ValueInfo(11, "x"), .. ValueInfo(12, "y")];
        return [.. Number(1, 7), .. Field(7, graph), .. Field(8, Number(2, 13))];
    }

    private static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }
}

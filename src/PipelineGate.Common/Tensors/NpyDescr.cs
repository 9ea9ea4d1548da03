namespace PipelineGate.Tensors;

/// <summary>Maps numpy dtype descriptors ('&lt;f4', '|b1', '&gt;i8', ...) to element types and back.</summary>
internal static class NpyDescr
{
    /// <summary>The numeric element types that have a numpy dtype, for messages.</summary>
    public const string SupportedList = "float16, float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, uint64, bool, complex64, complex128";

    // Hand-written headers sometimes carry dtype names instead of type strings; np.dtype() accepts both.
    private static readonly Dictionary<string, TensorElementType> Names = new(StringComparer.Ordinal)
    {
        ["float16"] = TensorElementType.Float16,
        ["half"] = TensorElementType.Float16,
        ["float32"] = TensorElementType.Float,
        ["single"] = TensorElementType.Float,
        ["float64"] = TensorElementType.Double,
        ["double"] = TensorElementType.Double,
        ["int8"] = TensorElementType.Int8,
        ["uint8"] = TensorElementType.UInt8,
        ["int16"] = TensorElementType.Int16,
        ["uint16"] = TensorElementType.UInt16,
        ["int32"] = TensorElementType.Int32,
        ["uint32"] = TensorElementType.UInt32,
        ["int64"] = TensorElementType.Int64,
        ["uint64"] = TensorElementType.UInt64,
        ["bool"] = TensorElementType.Bool,
        ["?"] = TensorElementType.Bool,
        ["complex64"] = TensorElementType.Complex64,
        ["complex128"] = TensorElementType.Complex128,
    };

    /// <summary>The descriptor numpy writes for <paramref name="type"/>, or null when numpy has no such dtype.</summary>
    public static string? For(TensorElementType type) => type switch
    {
        TensorElementType.Float16 => "<f2",
        TensorElementType.Float => "<f4",
        TensorElementType.Double => "<f8",
        TensorElementType.Int8 => "|i1",
        TensorElementType.UInt8 => "|u1",
        TensorElementType.Int16 => "<i2",
        TensorElementType.UInt16 => "<u2",
        TensorElementType.Int32 => "<i4",
        TensorElementType.UInt32 => "<u4",
        TensorElementType.Int64 => "<i8",
        TensorElementType.UInt64 => "<u8",
        TensorElementType.Bool => "|b1",
        TensorElementType.Complex64 => "<c8",
        TensorElementType.Complex128 => "<c16",
        _ => null,
    };

    /// <summary>
    /// Bytes per unit that the byte order applies to: a complex number is two floats, each swapped
    /// on its own.
    /// </summary>
    public static int SwapUnit(TensorElementType type) => type switch
    {
        TensorElementType.Complex64 => 4,
        TensorElementType.Complex128 => 8,
        _ => TensorElementTypeInfo.SizeOf(type),
    };

    /// <summary>
    /// Parses a dtype string. On failure <paramref name="reason"/> says what the dtype is in words
    /// (e.g. "fixed-width unicode strings") so that the message can tell the user what to convert.
    /// </summary>
    public static bool TryParse(string descr, out TensorElementType type, out bool bigEndian, out string reason)
    {
        type = TensorElementType.Undefined;
        reason = "";
        var s = descr.Trim();
        var order = '=';
        if (s.Length > 0 && s[0] is '<' or '>' or '|' or '=')
        {
            order = s[0];
            s = s[1..];
        }

        // '|' (not applicable) and '=' (native) mean the writer's native order, which numpy itself
        // takes as the reader's; every platform .NET runs this on is little-endian.
        bigEndian = order == '>' || (order != '<' && !BitConverter.IsLittleEndian);

        if (Names.TryGetValue(s, out type))
        {
            return true;
        }

        if (s.Length == 0)
        {
            reason = "an empty type string";
            return false;
        }

        var size = s[1..];
        switch (s[0])
        {
            case 'f':
                type = size switch
                {
                    "2" => TensorElementType.Float16,
                    "4" => TensorElementType.Float,
                    "8" => TensorElementType.Double,
                    _ => TensorElementType.Undefined,
                };
                reason = size is "10" or "12" or "16" ? "extended-precision floats (np.longdouble)" : "a float of unknown size";
                break;
            case 'i':
                type = size switch
                {
                    "1" => TensorElementType.Int8,
                    "2" => TensorElementType.Int16,
                    "4" => TensorElementType.Int32,
                    "8" => TensorElementType.Int64,
                    _ => TensorElementType.Undefined,
                };
                reason = "a signed integer of unknown size";
                break;
            case 'u':
                type = size switch
                {
                    "1" => TensorElementType.UInt8,
                    "2" => TensorElementType.UInt16,
                    "4" => TensorElementType.UInt32,
                    "8" => TensorElementType.UInt64,
                    _ => TensorElementType.Undefined,
                };
                reason = "an unsigned integer of unknown size";
                break;
            case 'b':
                type = size == "1" ? TensorElementType.Bool : TensorElementType.Undefined;
                reason = "a boolean of unknown size";
                break;
            case 'c':
                type = size switch
                {
                    "8" => TensorElementType.Complex64,
                    "16" => TensorElementType.Complex128,
                    _ => TensorElementType.Undefined,
                };
                reason = size is "20" or "24" or "32" ? "extended-precision complex numbers (np.clongdouble)" : "a complex number of unknown size";
                break;
            case 'U':
                reason = "fixed-width unicode strings";
                break;
            case 'S' or 'a':
                reason = "fixed-width byte strings";
                break;
            case 'O':
                reason = "Python objects (pickled, not raw data)";
                break;
            case 'V':
                reason = "raw or structured records";
                break;
            case 'M':
                reason = "datetime64 values";
                break;
            case 'm':
                reason = "timedelta64 values";
                break;
            case 'T':
                reason = "variable-width strings (StringDType)";
                break;
            default:
                reason = "an unknown type string";
                break;
        }

        return type != TensorElementType.Undefined;
    }
}

using System.Globalization;
using PipelineGate.Onnx.Proto;

namespace PipelineGate.Onnx.IO;

/// <summary>The external_data entries of a tensor stored outside the model file (location, offset, length).</summary>
public sealed record ExternalDataInfo(string Location, long Offset, long? Length, string? Checksum)
{
    public const string LocationKey = "location";
    public const string OffsetKey = "offset";
    public const string LengthKey = "length";
    public const string ChecksumKey = "checksum";

    public static bool IsExternal(TensorProto t) => t.HasDataLocation && t.DataLocation == TensorProto.Types.DataLocation.External;

    /// <summary>Reads the entries; returns null with a reason when they are malformed.</summary>
    public static ExternalDataInfo? TryParse(TensorProto t, out string? problem)
    {
        string? location = null;
        long offset = 0;
        long? length = null;
        string? checksum = null;
        problem = null;
        foreach (var e in t.ExternalData)
        {
            switch (e.Key)
            {
                case LocationKey: location = e.Value; break;
                case OffsetKey:
                    if (!long.TryParse(e.Value, NumberStyles.None, CultureInfo.InvariantCulture, out offset))
                    {
                        problem = $"its external_data offset '{e.Value}' is not a non-negative integer";
                        return null;
                    }

                    break;
                case LengthKey:
                    if (!long.TryParse(e.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var len))
                    {
                        problem = $"its external_data length '{e.Value}' is not a non-negative integer";
                        return null;
                    }

                    length = len;
                    break;
                case ChecksumKey: checksum = e.Value; break;
                default: break;
            }
        }

        if (string.IsNullOrEmpty(location))
        {
            problem = "its data_location is EXTERNAL but external_data has no 'location' entry";
            return null;
        }

        return new ExternalDataInfo(location, offset, length, checksum);
    }

    /// <summary>Writes these entries into the tensor (replacing any present) and marks it external.</summary>
    public void ApplyTo(TensorProto t)
    {
        t.ExternalData.Clear();
        t.ExternalData.Add(new StringStringEntryProto { Key = LocationKey, Value = Location });
        t.ExternalData.Add(new StringStringEntryProto { Key = OffsetKey, Value = Offset.ToString(CultureInfo.InvariantCulture) });
        if (Length is { } len)
        {
            t.ExternalData.Add(new StringStringEntryProto { Key = LengthKey, Value = len.ToString(CultureInfo.InvariantCulture) });
        }

        if (Checksum is not null)
        {
            t.ExternalData.Add(new StringStringEntryProto { Key = ChecksumKey, Value = Checksum });
        }

        t.DataLocation = TensorProto.Types.DataLocation.External;
        t.ClearRawData();
    }
}

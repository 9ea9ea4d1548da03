using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace PipelineGate.Onnx.IO;

/// <summary>
/// The nesting depth of a parsed protobuf message, counted the way protobuf's parsers count it against
/// their recursion limit: the top-level message is 0, each message field inside it one more. Walked
/// with an explicit stack, so a deep message cannot overflow the thread's stack here.
/// </summary>
internal static class MessageDepth
{
    private static readonly Dictionary<MessageDescriptor, FieldDescriptor[]> MessageFields = [];

    public static int Of(IMessage root)
    {
        var max = 0;
        var stack = new Stack<(IMessage Message, int Depth)>();
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            var (message, depth) = stack.Pop();
            max = Math.Max(max, depth);
            foreach (var field in FieldsOf(message.Descriptor))
            {
                var value = field.Accessor.GetValue(message);
                if (value is IMessage single)
                {
                    stack.Push((single, depth + 1));
                }
                else if (value is System.Collections.IEnumerable many and not string and not ByteString)
                {
                    foreach (var item in many)
                    {
                        if (item is IMessage m)
                        {
                            stack.Push((m, depth + 1));
                        }
                    }
                }
            }
        }

        return max;
    }

    private static FieldDescriptor[] FieldsOf(MessageDescriptor descriptor)
    {
        lock (MessageFields)
        {
            if (!MessageFields.TryGetValue(descriptor, out var fields))
            {
                fields = descriptor.Fields.InFieldNumberOrder()
                    .Where(static f => f.FieldType is FieldType.Message or FieldType.Group && !f.IsMap)
                    .ToArray();
                MessageFields[descriptor] = fields;
            }

            return fields;
        }
    }
}

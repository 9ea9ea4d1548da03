using System.Text;

namespace PipelineGate.Report;

/// <summary>
/// Appends whole blocks while they fit in a fixed number of characters. Blocks are never split, so a
/// cut never leaves half a table row or an unclosed code fence behind.
/// </summary>
internal sealed class MarkdownBudget(int capacity)
{
    private readonly StringBuilder _text = new();

    /// <summary>False once a block did not fit; later blocks are refused too, so the order of importance holds.</summary>
    public bool Open { get; private set; } = true;

    public int Length => _text.Length;

    public bool TryAppend(string block)
    {
        if (!Open || _text.Length + block.Length > capacity)
        {
            Open = false;
            return false;
        }

        _text.Append(block);
        return true;
    }

    public override string ToString() => _text.ToString();
}

using PipelineGate.TestAssets.Native;
using Xunit;

namespace PipelineGate.Cli.Tests.Native;

/// <summary>A fact that needs <see cref="NativeFaultLibrary"/>: skipped, with the reason shown, where gcc is not on PATH.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NativeFactAttribute : FactAttribute
{
    public NativeFactAttribute()
    {
        if (NativeFaultLibrary.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

using PipelineGate.Diagnostics;

namespace PipelineGate.Gate.Config.Parsing;

/// <summary>Why a scalar did not parse (code, message, hint), before it is placed at its node.</summary>
internal sealed record ValueError(PgCode Code, string Message, string Hint);

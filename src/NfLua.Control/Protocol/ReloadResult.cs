namespace NfLua.Control;

/// <summary>What a reload applied.</summary>
/// <param name="Rules">Rules loaded after the reload.</param>
/// <param name="Queues">Queues configured after the reload.</param>
/// <param name="ConfigPath">The configuration file read; null when the daemon runs on built-in defaults.</param>
public sealed record ReloadResult(int Rules, int Queues, string? ConfigPath = null) : ControlResult;

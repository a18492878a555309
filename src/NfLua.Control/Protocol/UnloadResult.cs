namespace NfLua.Control;

/// <summary>The rule an <see cref="UnloadRequest"/> removed.</summary>
/// <param name="Name">The rule's name.</param>
/// <param name="Queue">The queue it was on.</param>
public sealed record UnloadResult(string Name, int Queue) : ControlResult;

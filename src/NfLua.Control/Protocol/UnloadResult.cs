namespace NfLua.Control;

/// <summary>The rule an <see cref="UnloadRequest"/> removed.</summary>
/// <param name="Name">The rule's name.</param>
/// <param name="Queue">The (first) queue it was on.</param>
/// <param name="Queues">Every queue it was on (a rule of a range of queues is one rule on all of them).</param>
public sealed record UnloadResult(string Name, int Queue, IReadOnlyList<int>? Queues = null) : ControlResult;

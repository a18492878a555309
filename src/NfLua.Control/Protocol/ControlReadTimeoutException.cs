namespace NfLua.Control;

/// <summary>A frame did not arrive in time: none at all (<see cref="Idle"/>) or only part of one.</summary>
internal sealed class ControlReadTimeoutException : Exception
{
    public ControlReadTimeoutException(bool idle)
        : base(idle ? "the connection stayed idle too long" : "the frame was not completed in time")
    {
        Idle = idle;
    }

    public bool Idle { get; }
}

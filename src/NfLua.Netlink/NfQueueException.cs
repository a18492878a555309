namespace NfLua.Netlink;

/// <summary>Opening, binding or using a queue failed; the message says what is wrong and what to do.</summary>
public sealed class NfQueueException : Exception
{
    /// <summary>Creates an exception with no errno.</summary>
    public NfQueueException()
    {
    }

    /// <summary>Creates an exception with a message and no errno.</summary>
    public NfQueueException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    public NfQueueException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a failed call.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    /// <param name="errno">The errno the kernel returned.</param>
    public NfQueueException(string message, int errno)
        : base(message) => Errno = errno;

    /// <summary>The errno behind the failure, or 0.</summary>
    public int Errno { get; }
}

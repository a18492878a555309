namespace NfLua.Packets.Capture;

/// <summary>A capture file that is not valid pcap or pcapng; the only exception <see cref="CaptureReader"/> throws for bad data.</summary>
/// <remarks>The message names the capture and the record or block at fault, for example
/// <c>capture.pcap: record 12 claims 70000 bytes, more than the file holds (40 left)</c>.</remarks>
public sealed class CaptureFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and where.</param>
    public CaptureFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The cause.</param>
    public CaptureFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public CaptureFormatException()
        : base("invalid capture file")
    {
    }
}

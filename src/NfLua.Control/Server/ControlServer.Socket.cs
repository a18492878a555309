using System.Net.Sockets;

namespace NfLua.Control;

public sealed partial class ControlServer
{
    private const UnixFileMode SocketMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    private Socket CreateListener()
    {
        string path = SocketPath;
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            CreateDirectory(directory);
        }

        RemoveStaleSocket(path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            try
            {
                listener.Bind(new UnixDomainSocketEndPoint(path));
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AccessDenied)
            {
                throw new IOException($"cannot create the control socket {path}: permission denied ({directory} must be writable by {Environment.UserName})", ex);
            }
            catch (SocketException ex)
            {
                throw new IOException($"cannot create the control socket {path}: {ex.Message}", ex);
            }

            // Between bind and chmod the socket has the umask's mode; that is harmless because every connection's
            // credentials are checked anyway.
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, SocketMode);
            }

            if (_options.GroupId is uint group)
            {
                Interop.ChangeGroup(path, group);
            }

            listener.Listen(512);
            return listener;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>Creates the socket's directory; a daemon that may not (not root, and no directory prepared for it, as
    /// systemd's RuntimeDirectory= does) gets one clear sentence instead of the runtime's exception.</summary>
    private static void CreateDirectory(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new IOException(
                $"cannot create {directory}, the control socket's directory: permission denied (create it writable by {Environment.UserName}, or choose another socket path)", ex);
        }
        catch (IOException ex)
        {
            throw new IOException($"cannot create {directory}, the control socket's directory: {ex.Message}", ex);
        }
    }

    /// <summary>Removes a socket file left by a server that died, but never a live server's socket or a non-socket file.</summary>
    private static void RemoveStaleSocket(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        using (var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            try
            {
                probe.Connect(new UnixDomainSocketEndPoint(path));
                throw new IOException($"{path} is in use: another control server is listening on it");
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
            {
                // Nobody listens. Linux also refuses connections to regular files, so make sure it is not one.
            }
        }

        if (IsOpenableFile(path))
        {
            throw new IOException($"{path} exists and is not a socket; remove it or choose another control socket path");
        }

        try
        {
            File.Delete(path);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new IOException($"cannot remove {path}, a control socket nobody listens on: permission denied", ex);
        }
    }

    private static bool IsOpenableFile(string path)
    {
        // open(2) fails with ENXIO on a socket and succeeds on a regular file.
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private void TryDeleteSocketFile()
    {
        try
        {
            File.Delete(SocketPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.SocketNotRemoved(_logger, SocketPath, ex);
        }
    }
}

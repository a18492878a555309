using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace NfLua.Control;

/// <summary>Reads a connected Unix socket's peer credentials with SO_PEERCRED and SO_PEERGROUPS.</summary>
internal static class PeerCredentialReader
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;
    private const int SoPeerGroups = 59;
    private const int MaxGroupsAsked = 1024;

    /// <summary>Reads the credentials; the kernel took them at connect time, so the peer cannot change them later.</summary>
    /// <exception cref="SocketException">The socket is not a connected Unix socket.</exception>
    public static PeerCredentials Read(Socket socket)
    {
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; } in host byte order.
        Span<byte> ucred = stackalloc byte[12];
        int length = socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred);
        if (length < ucred.Length)
        {
            throw new SocketException((int)SocketError.ProtocolOption);
        }

        int pid = MemoryMarshal.Read<int>(ucred);
        uint uid = MemoryMarshal.Read<uint>(ucred[4..]);
        uint gid = MemoryMarshal.Read<uint>(ucred[8..]);
        return new PeerCredentials(pid, uid, gid, ReadGroups(socket, pid));
    }

    private static IReadOnlyList<uint> ReadGroups(Socket socket, int pid)
    {
        // SO_PEERGROUPS (Linux 4.13+) gives the groups as of connect time; /proc is the fallback for older kernels
        // and for peers with more groups than we ask for.
        byte[] buffer = new byte[MaxGroupsAsked * sizeof(uint)];
        try
        {
            int length = socket.GetRawSocketOption(SolSocket, SoPeerGroups, buffer);
            var groups = new uint[length / sizeof(uint)];
            for (int i = 0; i < groups.Length; i++)
            {
                groups[i] = MemoryMarshal.Read<uint>(buffer.AsSpan(i * sizeof(uint)));
            }

            return groups;
        }
        catch (SocketException)
        {
            return ProcStatusGroups.Read(pid);
        }
    }
}

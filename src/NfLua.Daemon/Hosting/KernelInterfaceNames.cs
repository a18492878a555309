using NfLua.Netlink;
using NfLua.Scripting;

namespace NfLua.Daemon.Hosting;

/// <summary>The kernel's interface names (followed by <see cref="InterfaceTable"/>) as rules read them in nflua.meta.</summary>
internal sealed class KernelInterfaceNames(InterfaceTable table) : IInterfaceNames
{
    public long Version => table.Version;

    public ReadOnlySpan<byte> Name(uint index) => table.Name(index);
}

using System.Text;
using NfLua.Packets.Capture;
using NfLua.Scripting;

namespace NfLua.Cli.Offline;

/// <summary>
/// The packet context <c>test</c> gives a rule: interface names (from the capture and the options) numbered 1, 2, 3...
/// as the kernel numbers its interfaces, and each record's <see cref="PacketMeta"/>: the capture's direction and
/// interface first (inbound: hook input and indev; outbound: hook output and outdev), then the options over them.
/// </summary>
internal sealed class CaptureInterfaces : IInterfaceNames
{
    private readonly List<byte[]> _names = [];
    private readonly Dictionary<string, uint> _indexes = new(StringComparer.Ordinal);
    private readonly PacketContext _context;

    public CaptureInterfaces(PacketContext context) => _context = context;

    /// <inheritdoc/>
    public long Version => 1;

    /// <inheritdoc/>
    public ReadOnlySpan<byte> Name(uint index) => index >= 1 && index <= _names.Count ? _names[(int)index - 1] : default;

    /// <summary>The context of one record's packet.</summary>
    public PacketMeta MetaOf(in CaptureRecord record)
    {
        PacketMeta meta = PacketMeta.None;
        if (record.Direction == CaptureDirection.Inbound)
        {
            meta.Hook = PacketHook.Input;
            meta.InputInterface = IndexOf(record.InterfaceName);
        }
        else if (record.Direction == CaptureDirection.Outbound)
        {
            meta.Hook = PacketHook.Output;
            meta.OutputInterface = IndexOf(record.InterfaceName);
        }

        meta.Hook = _context.Hook ?? meta.Hook;
        meta.InputInterface = _context.InputDevice is string input ? IndexOf(input) : meta.InputInterface;
        meta.OutputInterface = _context.OutputDevice is string output ? IndexOf(output) : meta.OutputInterface;
        meta.HasUid = _context.Uid.HasValue;
        meta.Uid = _context.Uid ?? 0;
        meta.HasGid = _context.Gid.HasValue;
        meta.Gid = _context.Gid ?? 0;
        meta.Mark = _context.Mark ?? 0;
        // NFQUEUE gives the source hardware address of a packet that came in on a link with one, not of one going out.
        if (meta.Hook is not (PacketHook.Output or PacketHook.Postrouting) && !record.SourceHardwareAddress.IsEmpty)
        {
            meta.SetHardwareAddress(record.SourceHardwareAddress.Span);
        }

        return meta;
    }

    private uint IndexOf(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return 0;
        }

        if (!_indexes.TryGetValue(name, out uint index))
        {
            _names.Add(Encoding.UTF8.GetBytes(name));
            index = (uint)_names.Count;
            _indexes[name] = index;
        }

        return index;
    }
}

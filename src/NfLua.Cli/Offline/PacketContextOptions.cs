using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using NfLua.Scripting;

namespace NfLua.Cli.Offline;

/// <summary>
/// <c>test</c>'s options that supply or override what <c>nflua.meta(pkt)</c> shows for every packet: the hook, the
/// interfaces, the sending socket's uid and gid, the incoming mark.
/// </summary>
internal sealed class PacketContextOptions
{
    private const int MaxInterfaceName = 15; // IFNAMSIZ less its terminator

    private static readonly string[] s_hooks = ["prerouting", "input", "forward", "output", "postrouting"];

    public Option<string?> Hook { get; } = CreateHook();

    public Option<string?> InputDevice { get; } = Device("--indev", "the input interface's name for every packet (nflua.meta(pkt).indev); default: a pcapng capture's interface for packets it marks inbound");

    public Option<string?> OutputDevice { get; } = Device("--outdev", "the output interface's name for every packet (nflua.meta(pkt).outdev); default: a pcapng capture's interface for packets it marks outbound");

    public Option<uint?> Uid { get; } = Number("--uid", "UID", "the sending socket's uid for every packet (nflua.meta(pkt).uid; default: none, nil)");

    public Option<uint?> Gid { get; } = Number("--gid", "GID", "the sending socket's gid for every packet (nflua.meta(pkt).gid; default: none, nil)");

    public Option<uint?> Mark { get; } = Number("--mark", "MARK", "the mark every packet had when queued (nflua.meta(pkt).mark; default 0), decimal or 0x hexadecimal");

    public void AddTo(Command command)
    {
        command.Options.Add(Hook);
        command.Options.Add(InputDevice);
        command.Options.Add(OutputDevice);
        command.Options.Add(Uid);
        command.Options.Add(Gid);
        command.Options.Add(Mark);
    }

    /// <summary>What the command line gives.</summary>
    public PacketContext Read(ParseResult parse) => new(
        parse.GetValue(Hook) is string hook ? Enum.Parse<PacketHook>(hook, ignoreCase: true) : null,
        parse.GetValue(InputDevice),
        parse.GetValue(OutputDevice),
        parse.GetValue(Uid),
        parse.GetValue(Gid),
        parse.GetValue(Mark));

    private static Option<string?> CreateHook()
    {
        var option = new Option<string?>("--hook")
        {
            Description = "the netfilter hook for every packet (nflua.meta(pkt).hook); default: input or output as a pcapng capture marks each packet's direction, else none (nil)",
            HelpName = "prerouting|input|forward|output|postrouting",
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is string hook && !s_hooks.Contains(hook, StringComparer.Ordinal))
            {
                result.AddError($"--hook must be prerouting, input, forward, output or postrouting, not '{hook}'");
            }
        });
        return option;
    }

    private static Option<string?> Device(string name, string description)
    {
        var option = new Option<string?>(name) { Description = description, HelpName = "IFACE" };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is string device
                && (device.Length is 0 or > MaxInterfaceName || device.Any(c => c == '/' || char.IsWhiteSpace(c) || char.IsControl(c))))
            {
                result.AddError($"{name} must be an interface name (1 to {MaxInterfaceName} characters, no '/' or spaces), not '{device}'");
            }
        });
        return option;
    }

    private static Option<uint?> Number(string name, string helpName, string description) => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result => ParseNumber(result, name),
    };

    private static uint? ParseNumber(ArgumentResult result, string name)
    {
        if (result.Tokens.Count != 1)
        {
            return null;
        }

        string text = result.Tokens[0].Value;
        bool hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (hex
            ? uint.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint value)
            : uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            return value;
        }

        result.AddError($"{name} must be 0 to 4294967295 (or 0x0 to 0xffffffff), not '{text}'");
        return null;
    }
}

/// <summary>What <c>test</c>'s command line says of every packet's context; null: the capture's, or none.</summary>
internal sealed record PacketContext(PacketHook? Hook, string? InputDevice, string? OutputDevice, uint? Uid, uint? Gid, uint? Mark);

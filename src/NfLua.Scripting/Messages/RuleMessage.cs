using System.Buffers.Binary;
using NfLua.Packets;

namespace NfLua.Scripting.Messages;

/// <summary>
/// One slot of a rule's message ring: filled on the rule's thread by copying (never allocating), read by whoever drains
/// the ring. Text longer than its room is cut and flagged. Everything is plain data: the packet's 5-tuple, the
/// interfaces' names as they were when the message was made, the verdicts, the message and the fields.
/// </summary>
public sealed class RuleMessage
{
    /// <summary>Bytes kept of a message.</summary>
    public const int MaxMessageBytes = 512;

    /// <summary>Bytes kept of the encoded fields.</summary>
    public const int MaxFieldBytes = 512;

    private const int InterfaceNameBytes = 16;

    internal readonly byte[] MessageBuffer = new byte[MaxMessageBytes];
    internal readonly byte[] FieldBuffer = new byte[MaxFieldBytes];
    internal readonly byte[] Source = new byte[16];
    internal readonly byte[] Destination = new byte[16];
    internal readonly byte[] InputName = new byte[InterfaceNameBytes];
    internal readonly byte[] OutputName = new byte[InterfaceNameBytes];
    internal int InputNameLength;
    internal int OutputNameLength;

    /// <summary>What it is.</summary>
    public RuleMessageKind Kind { get; internal set; }

    /// <summary>A log line's level.</summary>
    public RuleLogLevel Level { get; internal set; }

    /// <summary>A failure's kind (failure and limit messages).</summary>
    public RuleFailure Failure { get; internal set; }

    /// <summary>When it was made (UTC ticks).</summary>
    public long UtcTicks { get; internal set; }

    /// <summary>The rule's name.</summary>
    public string Rule { get; internal set; } = "";

    /// <summary>The rule's queue.</summary>
    public int Queue { get; internal set; }

    /// <summary>Whether the rule ran in monitor mode.</summary>
    public bool Monitor { get; internal set; }

    /// <summary>The packet's hook.</summary>
    public PacketHook Hook { get; internal set; }

    /// <summary>4 or 6; 0 when the packet is not IP.</summary>
    public int IpVersion { get; internal set; }

    /// <summary>The IP protocol number.</summary>
    public byte Protocol { get; internal set; }

    /// <summary>Whether <see cref="SourcePort"/> and <see cref="DestinationPort"/> are known (TCP, UDP, SCTP).</summary>
    public bool HasPorts { get; internal set; }

    /// <summary>The source port.</summary>
    public ushort SourcePort { get; internal set; }

    /// <summary>The destination port.</summary>
    public ushort DestinationPort { get; internal set; }

    /// <summary>The packet's length.</summary>
    public int PacketLength { get; internal set; }

    /// <summary>What the rule returned (its on-error verdict when it failed).</summary>
    public FilterVerdict RuleVerdict { get; internal set; }

    /// <summary>The queue of a rule's "queue" verdict.</summary>
    public ushort RuleVerdictQueue { get; internal set; }

    /// <summary>The verdict the packet finally got, after every rule of its queue ran (monitor rules' packets too).</summary>
    public FilterVerdict FinalVerdict { get; internal set; }

    /// <summary>The queue of a final "queue" verdict.</summary>
    public ushort FinalVerdictQueue { get; internal set; }

    /// <summary>Messages of this kind the rule's limit refused since the previous one it let through.</summary>
    public long SuppressedBefore { get; internal set; }

    /// <summary>Bytes of the message in use.</summary>
    internal int MessageLength { get; set; }

    /// <summary>Whether the message was cut to <see cref="MaxMessageBytes"/>.</summary>
    public bool MessageTruncated { get; internal set; }

    /// <summary>Bytes of encoded fields in use.</summary>
    internal int FieldLength { get; set; }

    /// <summary>Whether fields were left out for want of room.</summary>
    public bool FieldsTruncated { get; internal set; }

    /// <summary>The message, UTF-8 (as the rule gave it).</summary>
    public ReadOnlySpan<byte> Message => MessageBuffer.AsSpan(0, MessageLength);

    /// <summary>The source address (4 or 16 bytes; empty when not IP).</summary>
    public ReadOnlySpan<byte> SourceAddress => Source.AsSpan(0, IpVersion == 4 ? 4 : IpVersion == 6 ? 16 : 0);

    /// <summary>The destination address.</summary>
    public ReadOnlySpan<byte> DestinationAddress => Destination.AsSpan(0, IpVersion == 4 ? 4 : IpVersion == 6 ? 16 : 0);

    /// <summary>The input interface's name (empty: none or unknown).</summary>
    public ReadOnlySpan<byte> InputInterface => InputName.AsSpan(0, InputNameLength);

    /// <summary>The output interface's name.</summary>
    public ReadOnlySpan<byte> OutputInterface => OutputName.AsSpan(0, OutputNameLength);

    /// <summary>The fields, in the order the rule's table gave them.</summary>
    public FieldEnumerator Fields => new(FieldBuffer.AsSpan(0, FieldLength));

    /// <summary>Fills the packet's part from its bytes and metadata.</summary>
    internal void SetPacket(ReadOnlySpan<byte> packet, in PacketMeta meta, IInterfaceNames? names)
    {
        Hook = meta.Hook;
        PacketLength = meta.Length > 0 ? meta.Length : packet.Length;
        InputNameLength = CopyName(names, meta.InputInterface, InputName);
        OutputNameLength = CopyName(names, meta.OutputInterface, OutputName);
        IpVersion = 0;
        Protocol = 0;
        HasPorts = false;
        SourcePort = DestinationPort = 0;
        if (!PacketParser.TryParse(packet, out PacketInfo info))
        {
            return;
        }

        IpVersion = info.Version;
        Protocol = info.Protocol;
        info.GetSourceAddress(packet).CopyTo(Source);
        info.GetDestinationAddress(packet).CopyTo(Destination);
        if (info.HasTransportHeader && info.Protocol is 6 or 17 or 132)
        {
            HasPorts = true;
            SourcePort = info.SourcePort;
            DestinationPort = info.DestinationPort;
        }
    }

    private static int CopyName(IInterfaceNames? names, uint index, byte[] destination)
    {
        if (names is null || index == 0)
        {
            return 0;
        }

        ReadOnlySpan<byte> name = names.Name(index);
        int length = Math.Min(name.Length, destination.Length);
        name[..length].CopyTo(destination);
        return length;
    }

    /// <summary>Copies the message text in, cut to its room.</summary>
    internal void SetMessage(ReadOnlySpan<byte> text)
    {
        int length = Math.Min(text.Length, MaxMessageBytes);
        text[..length].CopyTo(MessageBuffer);
        MessageLength = length;
        MessageTruncated = length < text.Length;
    }

    /// <summary>Copies the message text in from a string (failures), cut to its room.</summary>
    internal void SetMessage(string text)
    {
        int length = System.Text.Encoding.UTF8.GetMaxByteCount(text.Length) <= MaxMessageBytes
            ? System.Text.Encoding.UTF8.GetBytes(text, MessageBuffer)
            : Utf8Prefix(text);
        MessageLength = length;
        MessageTruncated = length < System.Text.Encoding.UTF8.GetByteCount(text);
    }

    private int Utf8Prefix(string text)
    {
        System.Text.Encoding.UTF8.GetEncoder().Convert(text, MessageBuffer, true, out _, out int used, out _);
        return used;
    }

    internal void ClearFields()
    {
        FieldLength = 0;
        FieldsTruncated = false;
    }

    // Encoded fields: [type][key length][key][value] with type 0 string (u16 length + bytes), 1 integer (8 bytes LE),
    // 2 boolean (1 byte).
    internal bool AddString(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) =>
        Add(0, key, 2 + value.Length, out Span<byte> room) && Write(room, value);

    internal bool AddInteger(ReadOnlySpan<byte> key, long value)
    {
        if (!Add(1, key, 8, out Span<byte> room))
        {
            return false;
        }

        BinaryPrimitives.WriteInt64LittleEndian(room, value);
        return true;
    }

    internal bool AddBoolean(ReadOnlySpan<byte> key, bool value)
    {
        if (!Add(2, key, 1, out Span<byte> room))
        {
            return false;
        }

        room[0] = value ? (byte)1 : (byte)0;
        return true;
    }

    private static bool Write(Span<byte> room, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(room, (ushort)value.Length);
        value.CopyTo(room[2..]);
        return true;
    }

    private bool Add(byte type, ReadOnlySpan<byte> key, int valueLength, out Span<byte> room)
    {
        int needed = 2 + key.Length + valueLength;
        if (key.Length > byte.MaxValue || FieldLength + needed > MaxFieldBytes)
        {
            FieldsTruncated = true;
            room = default;
            return false;
        }

        Span<byte> buffer = FieldBuffer.AsSpan(FieldLength, needed);
        buffer[0] = type;
        buffer[1] = (byte)key.Length;
        key.CopyTo(buffer[2..]);
        room = buffer[(2 + key.Length)..];
        FieldLength += needed;
        return true;
    }

    /// <summary>One field of an alert.</summary>
    /// <param name="Key">Its name, UTF-8.</param>
    /// <param name="Kind">0 a string, 1 an integer, 2 a boolean.</param>
    /// <param name="Text">A string's bytes.</param>
    /// <param name="Number">An integer's value, or a boolean's (1 true, 0 false).</param>
    public readonly ref struct Field(ReadOnlySpan<byte> Key, int Kind, ReadOnlySpan<byte> Text, long Number)
    {
        /// <summary>Its name, UTF-8.</summary>
        public ReadOnlySpan<byte> Key { get; } = Key;

        /// <summary>0 a string, 1 an integer, 2 a boolean.</summary>
        public int Kind { get; } = Kind;

        /// <summary>A string's bytes.</summary>
        public ReadOnlySpan<byte> Text { get; } = Text;

        /// <summary>An integer's value, or a boolean's (1 true, 0 false).</summary>
        public long Number { get; } = Number;
    }

    /// <summary>Walks the encoded fields.</summary>
    public ref struct FieldEnumerator(ReadOnlySpan<byte> encoded)
    {
        private ReadOnlySpan<byte> _rest = encoded;

        /// <summary>The current field.</summary>
        public Field Current { get; private set; }

        /// <summary>For foreach.</summary>
        public readonly FieldEnumerator GetEnumerator() => this;

        /// <summary>Moves to the next field.</summary>
        public bool MoveNext()
        {
            if (_rest.Length < 2)
            {
                return false;
            }

            int type = _rest[0];
            ReadOnlySpan<byte> key = _rest.Slice(2, _rest[1]);
            ReadOnlySpan<byte> value = _rest[(2 + key.Length)..];
            switch (type)
            {
                case 0:
                    int length = BinaryPrimitives.ReadUInt16LittleEndian(value);
                    Current = new Field(key, 0, value.Slice(2, length), 0);
                    _rest = value[(2 + length)..];
                    break;
                case 1:
                    Current = new Field(key, 1, default, BinaryPrimitives.ReadInt64LittleEndian(value));
                    _rest = value[8..];
                    break;
                default:
                    Current = new Field(key, 2, default, value[0]);
                    _rest = value[1..];
                    break;
            }

            return true;
        }
    }
}

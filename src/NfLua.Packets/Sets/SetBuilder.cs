using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NfLua.Packets.Sets;

/// <summary>
/// Collects a set's entries, checking each one (with where it came from), then builds the set.
/// Nothing is built when an entry was refused: a set is replaced whole or not at all.
/// </summary>
public sealed class SetBuilder
{
    /// <summary>Errors after which a file is not read any further.</summary>
    public const int MaxErrors = 10;

    private readonly List<Cidr> _networks = [];
    private readonly List<byte[]> _strings = [];
    private readonly List<string> _errors = [];
    private readonly long _maxMemoryBytes;
    private long _estimatedBytes;
    private bool _stoppedReading;

    /// <summary>A builder for a set of <paramref name="kind"/> that may take at most <paramref name="maxMemoryBytes"/>.</summary>
    public SetBuilder(string name, SetKind kind, long maxMemoryBytes)
    {
        Name = name;
        Kind = kind;
        _maxMemoryBytes = maxMemoryBytes;
    }

    /// <summary>The set's name (for messages).</summary>
    public string Name { get; }

    /// <summary>What the set holds.</summary>
    public SetKind Kind { get; }

    /// <summary>Entries accepted so far.</summary>
    public int Count => Kind == SetKind.Cidr ? _networks.Count : _strings.Count;

    /// <summary>Every refusal so far, each naming where the entry came from (at most <see cref="MaxErrors"/>: a file is not read past them).</summary>
    public IReadOnlyList<string> Errors => _stoppedReading ? [.. _errors, $"(not read further after {MaxErrors} errors)"] : _errors;

    /// <summary>Whether the builder is over its memory limit (adding more is pointless).</summary>
    public bool OverLimit { get; private set; }

    /// <summary>Adds one entry; <paramref name="where"/> names it in an error ("lists/bad.txt:12", "argument 2").</summary>
    public bool Add(ReadOnlySpan<byte> entry, string where)
    {
        if (OverLimit)
        {
            return false;
        }

        string? error;
        switch (Kind)
        {
            case SetKind.Cidr:
                if (Cidr.TryParseUtf8(entry, out Cidr network, out error))
                {
                    _networks.Add(network);
                    Reserve(48, where);
                    return true;
                }

                break;
            case SetKind.Domain:
                if (DomainSet.TryCanonicalize(entry, out byte[] name, out error))
                {
                    _strings.Add(name);
                    Reserve(name.Length + 28, where);
                    return true;
                }

                break;
            default:
                if (entry.IsEmpty)
                {
                    error = "an empty string";
                    break;
                }

                _strings.Add(entry.ToArray());
                Reserve(entry.Length + 28, where);
                return true;
        }

        Fail($"{where}: {error}");
        return false;
    }

    /// <summary>The set, or null when some entry was refused or the set would not fit in its memory limit.</summary>
    public IMatchSet? Build()
    {
        if (_errors.Count > 0 || OverLimit)
        {
            return null;
        }

        uint seed = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));
        IMatchSet set = Kind switch
        {
            SetKind.Cidr => CidrSet.Build(_networks),
            SetKind.Domain => DomainSet.Build(_strings, seed),
            _ => StringSet.Build(_strings, seed),
        };
        if (set.MemoryBytes > _maxMemoryBytes)
        {
            Fail(TooLarge(set.MemoryBytes));
            return null;
        }

        return set;
    }

    /// <summary>Reads a set file: one entry per line; blank lines and lines starting with '#' are skipped, and for
    /// networks and domains so is whatever follows whitespace and a '#'.</summary>
    public void AddFile(string path, string shownPath)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var line = new List<byte>(256);
        int number = 0;
        int b;
        do
        {
            b = file.ReadByte();
            if (b >= 0 && b != '\n')
            {
                line.Add((byte)b);
                continue;
            }

            if (b < 0 && line.Count == 0)
            {
                break;
            }

            number++;
            string where = $"{shownPath}:{number.ToString(CultureInfo.InvariantCulture)}";
            string text;
            try
            {
                text = s_strictUtf8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(line));
            }
            catch (DecoderFallbackException)
            {
                Fail($"{where}: not UTF-8 text");
                line.Clear();
                continue;
            }

            line.Clear();
            if (number == 1 && text.StartsWith('\uFEFF'))
            {
                text = text[1..]; // a byte order mark, as some editors write
            }

            AddLine(text.TrimEnd('\r'), where);
            if (_errors.Count >= MaxErrors && b >= 0)
            {
                _stoppedReading = true;
                break;
            }
        }
        while (b >= 0 && !OverLimit);
    }

    private static readonly UTF8Encoding s_strictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>Adds one line of a set file (see <see cref="AddFile"/>).</summary>
    public void AddLine(string line, string where)
    {
        ReadOnlySpan<char> text = line.AsSpan().Trim();
        if (text.IsEmpty || text[0] == '#')
        {
            return;
        }

        if (Kind != SetKind.Exact)
        {
            int comment = text.IndexOf('#');
            if (comment > 0 && char.IsWhiteSpace(text[comment - 1]))
            {
                text = text[..comment].TrimEnd();
            }
        }

        if (text.Length > 4096)
        {
            Fail($"{where}: the line is longer than 4096 characters");
            return;
        }

        Span<byte> bytes = stackalloc byte[Encoding.UTF8.GetMaxByteCount(text.Length)];
        int length = Encoding.UTF8.GetBytes(text, bytes);
        Add(bytes[..length], where);
    }

    private void Reserve(long bytes, string where)
    {
        _estimatedBytes += bytes;
        if (_estimatedBytes > _maxMemoryBytes && !OverLimit)
        {
            OverLimit = true;
            Fail($"{where}: {TooLarge(_estimatedBytes)}");
        }
    }

    private string TooLarge(long bytes) =>
        $"set {Name} needs more than {bytes.ToString(CultureInfo.InvariantCulture)} bytes, over its limit of {_maxMemoryBytes.ToString(CultureInfo.InvariantCulture)} (raise max_memory in the set's entry)";

    private void Fail(string error) => _errors.Add(error);
}

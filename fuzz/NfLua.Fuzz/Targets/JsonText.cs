using System.Text;

namespace NfLua.Fuzz.Targets;

/// <summary>Random JSON-ish text: mostly valid values built from a vocabulary, sometimes broken on purpose.</summary>
internal static class JsonText
{
    public static void Value(Random random, StringBuilder json, int depth, IReadOnlyList<byte[]> vocabulary)
    {
        switch (depth == 0 && random.Next(2) == 0 ? 7 : random.Next(depth > 4 ? 5 : 8))
        {
            case 0:
                json.Append(random.Next(4) switch { 0 => "0", 1 => "1", 2 => random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture), _ => "-" + random.NextInt64() });
                break;
            case 1:
                json.Append(random.Next(3) switch { 0 => "true", 1 => "false", _ => "null" });
                break;
            case 2:
            case 3:
                json.Append(Encoding.Latin1.GetString(vocabulary[random.Next(vocabulary.Count)]));
                break;
            case 4:
                json.Append('"').Append(random.Next(3) == 0 ? "\\ud800x" : "rule-" + random.Next(100)).Append('"');
                break;
            case 5:
                json.Append('[');
                for (int i = random.Next(4); i > 0; i--)
                {
                    Value(random, json, depth + 1, vocabulary);
                    json.Append(i > 1 ? "," : "");
                }

                json.Append(']');
                break;
            default:
                json.Append('{');
                int members = random.Next(6);
                for (int i = 0; i < members; i++)
                {
                    json.Append(Encoding.Latin1.GetString(vocabulary[random.Next(vocabulary.Count)])).Append(':');
                    Value(random, json, depth + 1, vocabulary);
                    json.Append(i < members - 1 ? "," : "");
                }

                json.Append('}');
                break;
        }
    }
}

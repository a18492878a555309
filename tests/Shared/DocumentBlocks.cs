namespace NfLua.Testing;

/// <summary>The commands and synopses the documentation shows, read from the files themselves so that tests run or
/// compare what a reader sees; shared by the test projects (linked from tests/Shared).</summary>
internal static class DocumentBlocks
{
    /// <summary>The indented (four-space) code blocks of a Markdown section, in order; each block's lines without the
    /// indentation, a line ending in a backslash joined with the next as the shell would.</summary>
    /// <param name="path">The Markdown file.</param>
    /// <param name="heading">The section's heading line, such as "## Quick start".</param>
    public static IReadOnlyList<IReadOnlyList<string>> IndentedBlocks(string path, string heading)
    {
        string[] lines = File.ReadAllLines(path);
        int start = Array.IndexOf(lines, heading);
        if (start < 0)
        {
            throw new InvalidOperationException($"{path} has no line '{heading}'");
        }

        int level = heading.TakeWhile(c => c == '#').Count();
        var blocks = new List<IReadOnlyList<string>>();
        List<string>? block = null;
        bool fenced = false;
        for (int i = start + 1; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }

            int hashes = line.TakeWhile(c => c == '#').Count();
            if (!fenced && hashes > 0 && hashes <= level && line.Length > hashes && line[hashes] == ' ')
            {
                break;
            }

            if (!fenced && line.StartsWith("    ", StringComparison.Ordinal) && line.Trim().Length > 0)
            {
                block ??= [];
                string text = line[4..];
                if (block.Count > 0 && block[^1].EndsWith('\\'))
                {
                    block[^1] = block[^1][..^1].TrimEnd() + " " + text.Trim();
                }
                else
                {
                    block.Add(text);
                }
            }
            else if (block is not null)
            {
                blocks.Add(block);
                block = null;
            }
        }

        if (block is not null)
        {
            blocks.Add(block);
        }

        return blocks;
    }

    /// <summary>The lines of a program's help under "Synopsis:", trimmed.</summary>
    public static IReadOnlyList<string> HelpSynopsis(string help) =>
        [.. help.Split('\n').SkipWhile(l => l != "Synopsis:").Skip(1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)).Select(l => l.Trim())];

    /// <summary>A man page's section as man(1) renders it (ASCII, no line wrapping), one entry per non-empty line, trimmed.</summary>
    /// <param name="page">The roff source.</param>
    /// <param name="section">The section's name, such as "SYNOPSIS".</param>
    public static IReadOnlyList<string> ManSection(string page, string section)
    {
        ProcessResult man = ProcessRunner.Run("man", ["-l", page], new Dictionary<string, string> { ["MANWIDTH"] = "400", ["MANPAGER"] = "cat", ["LC_ALL"] = "C" });
        if (man.ExitCode != 0)
        {
            throw new InvalidOperationException($"man -l {page}: {man.ExitCode} {man.StdErr}");
        }

        string[] lines = man.StdOut.Split('\n');
        int start = Array.IndexOf(lines, section);
        if (start < 0)
        {
            throw new InvalidOperationException($"{page} has no section {section}");
        }

        return [.. lines.Skip(start + 1).TakeWhile(l => l.Length == 0 || l.StartsWith(' ')).Select(l => l.Trim()).Where(l => l.Length > 0)];
    }
}

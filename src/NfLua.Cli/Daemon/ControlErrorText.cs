using NfLua.Control;

namespace NfLua.Cli.Daemon;

/// <summary>How an error answered by the daemon is printed.</summary>
internal static class ControlErrorText
{
    /// <summary>A compile error as <c>file:line: message</c> (the form editors jump to); other errors as
    /// <c>nflua-ctl: op: message (Name)</c>.</summary>
    public static string Format(string op, ControlError error)
    {
        if (error.Name == ControlErrorName.CompileError && error.File is { } file)
        {
            string location = error.Line is int line ? $"{file}:{line}" : file;

            // Lua's own messages already start with "file:line:"; do not say it twice.
            return error.Message.StartsWith(location + ":", StringComparison.Ordinal)
                ? error.Message
                : $"{location}: {error.Message}";
        }

        return $"nflua-ctl: {op}: {error.Message} ({error.Name})";
    }
}

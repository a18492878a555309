using NfLua.Daemon.Configuration;

namespace NfLua.Daemon;

/// <summary>nfluad's command line (the daemon itself arrives with the rest of the daemon issue).</summary>
internal static class NfluadCommand
{
    public static int Run(string[] args)
    {
        string path = args.Length == 2 && args[0] == "--check-config" ? args[1] : "";
        if (path.Length == 0)
        {
            Console.Error.WriteLine("usage: nfluad --check-config FILE");
            return 2;
        }

        ConfigResult result = ConfigLoader.LoadFile(path);
        foreach (string error in result.Errors)
        {
            Console.Error.WriteLine(error);
        }

        return result.Config is null ? 1 : 0;
    }
}

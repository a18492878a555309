namespace NfLua.Daemon;

internal static class Program
{
    private static int Main(string[] args) => NfluadCommand.Run(args);
}

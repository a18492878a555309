namespace NfLua.Daemon;

internal static class Program
{
    private static int Main(string[] args)
    {
        // Before any thread allocates: see Malloc.LimitArenas for why.
        Interop.Malloc.LimitArenas(2);
        return NfluadCommand.Run(args);
    }
}

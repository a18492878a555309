namespace NfLua.Daemon;

internal static class Program
{
    private static int Main(string[] args)
    {
        // malloc tuning (Interop/Interop.Mallopt.cs says why). The runtime's own threads already made their
        // arenas before Main: the systemd unit's MALLOC_ARENA_MAX covers those; this covers a hand-started
        // nfluad for every thread from here on.
        Interop.Malloc.LimitArenas(2);
        Interop.Malloc.FixMmapThreshold(128 * 1024);
        return NfluadCommand.Run(args);
    }
}

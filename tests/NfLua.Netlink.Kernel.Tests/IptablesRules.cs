namespace NfLua.Netlink.Kernel.Tests;

/// <summary>Rules a test appended; Dispose deletes them again, newest first.</summary>
internal sealed class IptablesRules : IDisposable
{
    private readonly List<string[]> _added = [];

    public void Append(string table, string chain, params string[] rule)
    {
        Iptables.Run(["-t", table, "-A", chain, .. rule]);
        _added.Add(["-t", table, "-D", chain, .. rule]);
    }

    public void Dispose()
    {
        for (int i = _added.Count - 1; i >= 0; i--)
        {
            try
            {
                Iptables.Run(_added[i]);
            }
            catch (InvalidOperationException)
            {
                // Already gone; nothing else to clean.
            }
        }

        _added.Clear();
    }
}

namespace NfLua.Control.Tests;

public sealed class ProcStatusGroupsTests
{
    [Fact]
    public void Parse_StatusWithGroups_ReturnsThem()
    {
        const string status = "Name:\tbash\nUid:\t1000\t1000\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\nGroups:\t4 24 27 1000 \nNgid:\t0\n";

        Assert.Equal([4u, 24u, 27u, 1000u], ProcStatusGroups.Parse(status));
    }

    [Fact]
    public void Parse_EmptyGroupsLine_ReturnsNone()
    {
        Assert.Empty(ProcStatusGroups.Parse("Name:\tx\nGroups:\t\nPid:\t1\n"));
    }

    [Fact]
    public void Read_CurrentProcess_MatchesItsStatusFile()
    {
        IReadOnlyList<uint> groups = ProcStatusGroups.Read(Environment.ProcessId);

        Assert.Equal(ProcStatusGroups.Parse(File.ReadAllText("/proc/self/status")), groups);
    }

    [Fact]
    public void Read_VanishedProcess_ReturnsNone()
    {
        Assert.Empty(ProcStatusGroups.Read(int.MaxValue));
    }
}

namespace NfLua.Control.Tests;

public sealed class ControlAccessPolicyTests
{
    private static PeerCredentials Peer(uint uid, uint gid, params uint[] groups) => new(100, uid, gid, groups);

    [Fact]
    public void IsAllowed_Root_AllowedWithoutGroup()
    {
        Assert.True(new ControlAccessPolicy(null).IsAllowed(Peer(0, 0)));
    }

    [Fact]
    public void IsAllowed_UserWithoutGroupConfigured_Refused()
    {
        Assert.False(new ControlAccessPolicy(null).IsAllowed(Peer(1000, 1000, 1000)));
    }

    [Fact]
    public void IsAllowed_PrimaryGroupMatches_Allowed()
    {
        Assert.True(new ControlAccessPolicy(500).IsAllowed(Peer(1000, 500)));
    }

    [Fact]
    public void IsAllowed_SupplementaryGroupMatches_Allowed()
    {
        Assert.True(new ControlAccessPolicy(500).IsAllowed(Peer(1000, 1000, 27, 500)));
    }

    [Fact]
    public void IsAllowed_OtherGroups_Refused()
    {
        var policy = new ControlAccessPolicy(500);

        Assert.False(policy.IsAllowed(Peer(1000, 1000, 27, 501)));
        Assert.Contains("neither root nor a member of group 500", policy.Describe(Peer(1000, 1000)), StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_GroupWithAName_NamesItForTheOperator()
    {
        var policy = new ControlAccessPolicy(500, "nflua");

        Assert.Equal("uid 1000 (pid 100) is neither root nor a member of group nflua (gid 500)", policy.Describe(Peer(1000, 1000)));
    }

    [Fact]
    public void GroupFile_NameOf_FindsTheGroupOrNull()
    {
        using var directory = new TempDirectory();
        string path = directory.File("group");
        File.WriteAllText(path, "root:x:0:\nbroken line\nnflua:x:998:alice,bob\n");

        Assert.Equal("nflua", GroupFile.NameOf(998, path));
        Assert.Equal("root", GroupFile.NameOf(0, path));
        Assert.Null(GroupFile.NameOf(999, path));
        Assert.Null(GroupFile.NameOf(998, directory.File("missing")));
    }
}

namespace NfLua.Packets.Tests;

public sealed class FlowKeyTests
{
    private static readonly byte[] s_client = [192, 168, 1, 10];
    private static readonly byte[] s_server = [192, 168, 1, 20];

    [Fact]
    public void FromPacket_IPv4Udp_TakesProtocolAddressesAndPorts()
    {
        byte[] packet = SamplePackets.Bytes(SamplePackets.IPv4Udp);
        Assert.True(PacketParser.TryParse(packet, out PacketInfo info));

        FlowKey key = FlowKey.FromPacket(packet, info);

        Assert.Equal(FlowKey.Create(IpProtocol.Udp, s_client, 5353, s_server, 53), key);
        Assert.Equal(4, key.Version);
        Assert.Equal(IpProtocol.Udp, key.Protocol);
        Assert.Equal((ushort)5353, key.SourcePort);
        Assert.Equal((ushort)53, key.DestinationPort);
    }

    [Fact]
    public void FromPacket_IPv6_RoundTripsTheAddresses()
    {
        byte[] packet = SamplePackets.Bytes(SamplePackets.IPv6Udp);
        Assert.True(PacketParser.TryParse(packet, out PacketInfo info));
        FlowKey key = FlowKey.FromPacket(packet, info);

        byte[] source = new byte[16];
        byte[] destination = new byte[16];
        Assert.True(key.TryWriteSourceAddress(source));
        Assert.True(key.TryWriteDestinationAddress(destination));
        Assert.Equal(TestPackets.IPv6Source, source);
        Assert.Equal(TestPackets.IPv6Destination, destination);
        Assert.False(key.TryWriteSourceAddress(new byte[15]));
    }

    [Fact]
    public void Equals_OppositeDirections_DifferUntilCanonical()
    {
        FlowKey request = FlowKey.Create(IpProtocol.Tcp, s_client, 40000, s_server, 22);
        FlowKey reply = FlowKey.Create(IpProtocol.Tcp, s_server, 22, s_client, 40000);

        Assert.NotEqual(request, reply);
        Assert.Equal(reply, request.Reverse());
        Assert.Equal(request.Canonical(), reply.Canonical());
        Assert.Equal(request.Canonical().GetHashCode(), reply.Canonical().GetHashCode());
        Assert.NotEqual(request.IsCanonical, reply.IsCanonical);
    }

    [Fact]
    public void Canonical_SameAddressBothEnds_OrdersByPort()
    {
        FlowKey key = FlowKey.Create(IpProtocol.Udp, s_client, 9000, s_client, 53);
        Assert.False(key.IsCanonical);
        Assert.Equal((ushort)53, key.Canonical().SourcePort);
        Assert.True(key.Canonical().IsCanonical);
    }

    [Fact]
    public void Equals_DifferentProtocolOrPortOrVersion_IsFalse()
    {
        FlowKey key = FlowKey.Create(IpProtocol.Tcp, s_client, 1, s_server, 2);
        byte[] v6Client = new byte[16];
        byte[] v6Server = new byte[16];
        s_client.CopyTo(v6Client, 12);
        s_server.CopyTo(v6Server, 12);

        Assert.NotEqual(key, FlowKey.Create(IpProtocol.Udp, s_client, 1, s_server, 2));
        Assert.NotEqual(key, FlowKey.Create(IpProtocol.Tcp, s_client, 1, s_server, 3));
        Assert.NotEqual(key, FlowKey.Create(IpProtocol.Tcp, v6Client, 1, v6Server, 2));
        Assert.True(key == FlowKey.Create(IpProtocol.Tcp, s_client, 1, s_server, 2));
        Assert.True(key != key.Reverse());
    }

    [Fact]
    public void GetHashCode_ManyFlows_SpreadsOverBuckets()
    {
        var hashes = new HashSet<int>();
        for (ushort port = 1; port <= 1000; port++)
        {
            hashes.Add(FlowKey.Create(IpProtocol.Tcp, s_client, port, s_server, 443).GetHashCode());
        }

        Assert.True(hashes.Count > 990);
    }

    [Fact]
    public void Create_MismatchedAddressLengths_Throws()
    {
        Assert.Throws<ArgumentException>(() => FlowKey.Create(IpProtocol.Tcp, s_client, 1, new byte[16], 2));
        Assert.Throws<ArgumentException>(() => FlowKey.Create(IpProtocol.Tcp, new byte[5], 1, new byte[5], 2));
    }

    [Fact]
    public void ToString_IPv4_ShowsBothEndpoints()
    {
        Assert.Equal(
            "proto 6 192.168.1.10:40000 -> 192.168.1.20:22",
            FlowKey.Create(IpProtocol.Tcp, s_client, 40000, s_server, 22).ToString());
    }
}

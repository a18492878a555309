// nfluad, netfilter queues and iptables exist on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// The configuration target drives nfluad's loader, which is Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// The harness drives nfluad's configuration loader, which is Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// The scripts are bash on Linux, and so are their tests.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

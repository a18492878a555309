using System.Runtime.Versioning;

// The tests use Unix file modes and setpriv: Linux only, like NfLua.
[assembly: SupportedOSPlatform("linux")]

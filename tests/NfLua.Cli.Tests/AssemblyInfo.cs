using System.Runtime.Versioning;

// Unix sockets and NfLua's native Lua: Linux only, like NfLua.
[assembly: SupportedOSPlatform("linux")]

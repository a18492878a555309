using System.IO.MemoryMappedFiles;

namespace NfLua.Fuzz.Engine;

/// <summary>
/// The input being run, kept in a shared memory-mapped file: when native code kills the process (an abort or a
/// segfault that no handler sees), the kernel still holds the page, so the file names the killer. Copying into
/// mapped memory costs a memcpy per input, where writing a file per input would cost a system call or two.
/// </summary>
internal sealed class InflightInput : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly int _capacity;

    public InflightInput(string path, int capacity)
    {
        Path = path;
        _capacity = capacity;
        _file = MemoryMappedFile.CreateFromFile(path, FileMode.Create, mapName: null, capacity: sizeof(int) + capacity);
        _view = _file.CreateViewAccessor();
    }

    /// <summary>The file; deleted on a clean exit.</summary>
    public string Path { get; }

    public void Record(byte[] input)
    {
        int length = Math.Min(input.Length, _capacity);
        _view.Write(0, length);
        _view.WriteArray(sizeof(int), input, 0, length);
    }

    /// <summary>Reads the input a dead process left behind (the file's first 4 bytes are its length).</summary>
    public static byte[] ReadLeftOver(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        int length = file.Length >= sizeof(int) ? BitConverter.ToInt32(file, 0) : 0;
        return length > 0 && length <= file.Length - sizeof(int) ? file[sizeof(int)..(sizeof(int) + length)] : [];
    }

    public void Dispose()
    {
        _view.Dispose();
        _file.Dispose();
        File.Delete(Path);
    }
}

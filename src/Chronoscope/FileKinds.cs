using System.Runtime.InteropServices;

namespace Chronoscope;

/// <summary>Finds the <see cref="FileKind"/> of a path.</summary>
internal static class FileKinds
{
    private const int ELoop = 40;   // Linux's errno for "too many levels of symbolic links"
    private const int ENoEnt = 2;
    private const int ENotDir = 20;

    /// <summary>What <paramref name="path"/> names after following links; on systems without <c>stat</c>, what .NET can tell.</summary>
    public static FileKind Of(string path)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64))
            return System.IO.Directory.Exists(path) ? FileKind.Directory : File.Exists(path) ? FileKind.Regular : FileKind.Missing;
        var buffer = new byte[256]; // struct stat is 144 bytes on x86-64, 128 on arm64
        int result;
        try
        {
            result = Stat(path, buffer);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return System.IO.Directory.Exists(path) ? FileKind.Directory : File.Exists(path) ? FileKind.Regular : FileKind.Missing;
        }
        if (result != 0)
        {
            return Marshal.GetLastPInvokeError() switch
            {
                ENoEnt or ENotDir => FileKind.Missing,
                ELoop => FileKind.LinkLoop,
                _ => FileKind.Unknown,
            };
        }
        // st_mode follows st_dev, st_ino and (on x86-64 only) st_nlink, each 8 bytes.
        var modeOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 24 : 16;
        var mode = BitConverter.ToUInt32(buffer, modeOffset) & 0xF000;
        return mode switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x2000 => FileKind.CharacterDevice,
            0x1000 => FileKind.Fifo,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => FileKind.Unknown,
        };
    }

    /// <summary>The (device, inode) pair that identifies an existing file however it is named; null when there is none.</summary>
    public static (ulong Device, ulong Inode)? Identity(string path)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64))
            return File.Exists(path) ? (0, (ulong)Path.GetFullPath(path).GetHashCode(StringComparison.Ordinal)) : null;
        var buffer = new byte[256];
        try
        {
            if (Stat(path, buffer) != 0)
                return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
        return (BitConverter.ToUInt64(buffer, 0), BitConverter.ToUInt64(buffer, 8)); // st_dev, st_ino
    }

    /// <summary>
    /// Null when <paramref name="path"/> is a regular file (links followed), else what it is instead, for a one-line
    /// refusal: "no such file", "expected a file, found a named pipe (FIFO)". Reading a pipe would block, a device never end.
    /// </summary>
    public static string? NotAFile(string path)
    {
        var kind = Of(path);
        return kind switch
        {
            FileKind.Regular => null,
            FileKind.Missing => "no such file.",
            _ => $"expected a file, found {Describe(kind)}.",
        };
    }

    /// <summary>"a folder", "a named pipe (FIFO)"... for messages.</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Missing => "nothing (no such file)",
        FileKind.Regular => "a file",
        FileKind.Directory => "a folder",
        FileKind.CharacterDevice => "a character device",
        FileKind.Fifo => "a named pipe (FIFO)",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        FileKind.LinkLoop => "a loop of symbolic links",
        _ => "something that cannot be examined",
    };

    [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);
}

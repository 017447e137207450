// An MSBuild task (compiled by RoslynCodeTaskFactory, see Chronoscope.targets beside this file; the Chronoscope
// package ships both as buildTransitive/, so applications that reference the package get the same fix).
//
// Why: libLibTorchSharp.so from TorchSharp 0.107.0 declares that it needs GLIBCXX_3.4.32 (GCC 13's
// libstdc++) for a single symbol it never calls. Debian 12, Ubuntu 22.04 and RHEL 9 ship an older
// libstdc++, so the dynamic loader refuses the library and TorchSharp cannot start. Marking that one
// version requirement weak (VER_FLG_WEAK in its Vernaux entry of .gnu.version_r) lets the loader accept
// the library; nothing else changes. The task edits the build output copy only, never the NuGet cache,
// only when the system libstdc++ lacks the version (or when told to always, for a copy that will run
// elsewhere, such as the chronoscope tool's package), and a second run finds nothing to do.
#nullable enable
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class WeakenGlibcxxRequirement : Microsoft.Build.Utilities.Task
{
    const string Version = "GLIBCXX_3.4.32";
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlagWeak = 0x2;

    /// <summary>The output copies of libLibTorchSharp.so to inspect.</summary>
    [Required]
    public ITaskItem[] Libraries { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>Weaken even where this system's libstdc++ has the version (the copy will run on other systems).</summary>
    public bool Always { get; set; }

    public override bool Execute()
    {
        string? provider = FindLibstdcxxWith(Version);
        if (provider != null && !Always)
        {
            Log.LogMessage(MessageImportance.Low, $"{provider} provides {Version}; libLibTorchSharp.so loads as shipped.");
            return true;
        }
        foreach (ITaskItem item in Libraries)
        {
            string path = item.ItemSpec;
            try
            {
                switch (MakeWeak(path))
                {
                    case Outcome.Patched:
                        Log.LogMessage(MessageImportance.High,
                            $"Chronoscope: marked the {Version} requirement of {path} weak ({(provider == null ? "this system's libstdc++ is older" : "for other systems")}).");
                        break;
                    case Outcome.AlreadyWeak:
                        Log.LogMessage(MessageImportance.Low, $"{path}: {Version} requirement already weak.");
                        break;
                    case Outcome.NotRequired:
                        Log.LogMessage(MessageImportance.Low, $"{path} does not require {Version}.");
                        break;
                }
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                Log.LogError($"{path}: could not mark the {Version} requirement weak: {e.Message}");
            }
        }
        return !Log.HasLoggedErrors;
    }

    enum Outcome { Patched, AlreadyWeak, NotRequired }

    /// <summary>Sets VER_FLG_WEAK on the Vernaux entry naming GLIBCXX_3.4.32; writes a temporary file, then renames.</summary>
    static Outcome MakeWeak(string path)
    {
        byte[] elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("expected a 64-bit little-endian ELF file");

        long sectionTable = (long)U64(elf, 0x28);
        int sectionSize = U16(elf, 0x3A), sectionCount = U16(elf, 0x3C);
        for (int s = 0; s < sectionCount; s++)
        {
            long header = sectionTable + (long)s * sectionSize;
            if (U32(elf, header + 4) != ShtGnuVerneed)
                continue;
            long needs = (long)U64(elf, header + 0x18);
            uint needCount = U32(elf, header + 0x2C);
            long strings = (long)U64(elf, sectionTable + (long)U32(elf, header + 0x28) * sectionSize + 0x18);

            long need = needs;
            for (uint n = 0; n < needCount; n++)
            {
                long aux = need + U32(elf, need + 8);
                for (int a = 0, auxCount = U16(elf, need + 2); a < auxCount; a++)
                {
                    if (CString(elf, strings + U32(elf, aux + 8)) == Version)
                    {
                        ushort flags = U16(elf, aux + 4);
                        if ((flags & VerFlagWeak) != 0)
                            return Outcome.AlreadyWeak;
                        flags |= VerFlagWeak;
                        elf[aux + 4] = (byte)flags;
                        elf[aux + 5] = (byte)(flags >> 8);
                        string temporary = path + ".weakening";
                        File.WriteAllBytes(temporary, elf);
                        File.Replace(temporary, path, null); // a rename: no reader sees half a file
                        return Outcome.Patched;
                    }
                    aux += U32(elf, aux + 12);
                }
                need += U32(elf, need + 12);
            }
        }
        return Outcome.NotRequired;
    }

    /// <summary>The first libstdc++.so.6 the loader would consider that defines the version, or null.</summary>
    static string? FindLibstdcxxWith(string version)
    {
        byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
        foreach (string candidate in LibstdcxxCandidates())
        {
            if (File.Exists(candidate) && IndexOf(File.ReadAllBytes(candidate), needle) >= 0)
                return candidate;
        }
        return null;
    }

    static IEnumerable<string> LibstdcxxCandidates()
    {
        var found = new List<string>();
        try
        {
            var start = new ProcessStartInfo("ldconfig", "-p") { RedirectStandardOutput = true, UseShellExecute = false };
            start.Environment["PATH"] = "/sbin:/usr/sbin:" + Environment.GetEnvironmentVariable("PATH");
            using Process? ldconfig = Process.Start(start);
            if (ldconfig != null)
            {
                string listing = ldconfig.StandardOutput.ReadToEnd();
                ldconfig.WaitForExit();
                foreach (string line in listing.Split('\n'))
                {
                    int arrow = line.IndexOf("=>", StringComparison.Ordinal);
                    if (line.TrimStart().StartsWith("libstdc++.so.6 ", StringComparison.Ordinal) && arrow > 0)
                        found.Add(line.Substring(arrow + 2).Trim());
                }
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No ldconfig on this system: the usual folders below still apply.
        }
        found.AddRange(new[]
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6",
            "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
        });
        return found;
    }

    static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = Array.IndexOf(haystack, needle[0]); i >= 0 && i <= haystack.Length - needle.Length;
             i = Array.IndexOf(haystack, needle[0], i + 1))
        {
            int k = 1;
            while (k < needle.Length && haystack[i + k] == needle[k])
                k++;
            if (k == needle.Length)
                return i;
        }
        return -1;
    }

    static ushort U16(byte[] b, long at) => Check(b, at, 2) ? (ushort)(b[at] | b[at + 1] << 8) : (ushort)0;
    static uint U32(byte[] b, long at) => Check(b, at, 4) ? (uint)(U16(b, at) | U16(b, at + 2) << 16) : 0;
    static ulong U64(byte[] b, long at) => Check(b, at, 8) ? U32(b, at) | (ulong)U32(b, at + 4) << 32 : 0;

    static bool Check(byte[] b, long at, int size) =>
        at >= 0 && at + size <= b.Length ? true : throw new InvalidDataException($"ELF structure points outside the file (offset {at})");

    static string CString(byte[] b, long at)
    {
        Check(b, at, 1);
        long end = at;
        while (end < b.Length && b[end] != 0)
            end++;
        return Encoding.ASCII.GetString(b, (int)at, (int)(end - at));
    }
}

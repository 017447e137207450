using System.Runtime.InteropServices;
using TorchSharp;

namespace Chronoscope;

/// <summary>
/// libtorch's CPU allocator replaced by one that keeps the large blocks tensors free for the next tensors of their size
/// (<see cref="BlockPool"/>). A training step allocates and frees the same blocks in the same order at every step;
/// under glibc's heap the holes they leave do not fit the next step's requests, and the heap grows to about twice what
/// lives in it at once (FordA's shape: at most 601 MB live, heap 1,152 MB, resident peak 1,313 MB; docs/speed.md).
/// Here each block of <see cref="SmallestKept"/> or more is a memory map of its own, kept when freed: after the first
/// step a step maps nothing, and the resident peak follows the live one. Smaller blocks go to libtorch's own
/// allocator, as before.
/// <para>
/// libtorch's allocator is a C++ object (c10::Allocator): this builds one in native memory, its virtual table pointing
/// at the methods below and at c10's own where they need no change, and registers it with <c>c10::SetCPUAllocator</c>.
/// That follows libtorch's ABI (the Itanium C++ ABI and libstdc++'s layout of c10::DataPtr, checked on libtorch 2.10
/// for Linux x64), so it is installed only there, once every symbol it needs is found;
/// <c>CHRONOSCOPE_ALLOCATOR=system</c> declines it.
/// </para>
/// </summary>
internal static unsafe class TensorBlockCache
{
    /// <summary>Blocks smaller than this stay with libtorch's allocator (glibc's heap).</summary>
    internal const long SmallestKept = 256 << 10;

    /// <summary>The environment variable that declines the cache when set to <c>system</c>.</summary>
    internal const string Variable = "CHRONOSCOPE_ALLOCATOR";

    private const int ProtectReadWrite = 0x3, MapPrivateAnonymous = 0x22, AdviseHugePage = 14;
    private const long HugePage = 2 << 20;

    private static readonly Lock InstallGate = new();
    private static readonly BlockPool Pool = new(Map, Unmap);
    private static delegate* unmanaged<nuint, nint> _allocateSmall;
    private static nint _freeSmall;

    /// <summary>The allocator object libtorch calls, once installed (else 0).</summary>
    internal static nint Allocator { get; private set; }

    /// <summary>Whether the cache is libtorch's CPU allocator in this process.</summary>
    internal static bool Installed => Allocator != 0;

    /// <summary>Bytes in live blocks, in kept free blocks, and the most ever live at once.</summary>
    internal static (long Live, long Kept, long PeakLive) Statistics => Pool.Statistics;

    /// <summary>Installs the cache as libtorch's CPU allocator, once; false where it cannot be (see the class).</summary>
    internal static bool Install()
    {
        lock (InstallGate)
        {
            if (Installed)
                return true;
            if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64
                || Environment.GetEnvironmentVariable(Variable) == "system")
                return false;
            _ = torch.get_num_threads(); // loads libtorch
            if (!NativeLibrary.TryLoad("libc10.so", out var c10)
                || !NativeLibrary.TryGetExport(c10, "_ZN3c1015SetCPUAllocatorEPNS_9AllocatorEh", out var setAllocator)
                || !NativeLibrary.TryGetExport(c10, "_ZN3c1015GetCPUAllocatorEv", out var getAllocator)
                || !NativeLibrary.TryGetExport(c10, "_ZN3c109alloc_cpuEm", out var allocateSmall)
                || !NativeLibrary.TryGetExport(c10, "_ZN3c108free_cpuEPv", out var freeSmall)
                || !NativeLibrary.TryGetExport(c10, "_ZNK3c109Allocator18is_simple_data_ptrERKNS_7DataPtrE", out var isSimple)
                || !NativeLibrary.TryGetExport(c10, "_ZNK3c109Allocator17default_copy_dataEPvPKvm", out var copyData)
                || !NativeLibrary.TryGetExport(c10, "_ZTIN3c109AllocatorE", out var typeInfo))
                return false;
            _allocateSmall = (delegate* unmanaged<nuint, nint>)allocateSmall;
            _freeSmall = freeSmall;

            // c10::Allocator's virtual table: the offset to the top, the type's information, then its virtual methods in
            // declaration order (two destructors, allocate, is_simple_data_ptr, raw_deleter, copy_data).
            var table = (nint*)NativeMemory.AllocZeroed(8, (nuint)sizeof(nint));
            table[1] = typeInfo;
            table[2] = (nint)(delegate* unmanaged<nint, void>)&Destroy;
            table[3] = (nint)(delegate* unmanaged<nint, void>)&Destroy;
            table[4] = (nint)(delegate* unmanaged<DataPtr*, nint, nuint, DataPtr*>)&Allocate;
            table[5] = isSimple;
            table[6] = (nint)(delegate* unmanaged<nint, nint>)&RawDeleter;
            table[7] = copyData;
            var allocator = (nint*)NativeMemory.AllocZeroed(1, (nuint)sizeof(nint));
            allocator[0] = (nint)(table + 2);
            // Priority 1 outranks the default allocator's 0.
            ((delegate* unmanaged<nint, byte, void>)setAllocator)((nint)allocator, 1);
            if (((delegate* unmanaged<nint>)getAllocator)() == (nint)allocator)
                Allocator = (nint)allocator;
            return Installed;
        }
    }

    /// <summary>Unmaps every kept free block (the end of a fit).</summary>
    internal static void Release() => Pool.Release();

    /// <summary>c10::DataPtr as libstdc++ lays it out: the data, the context's deleter and the context, the device.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct DataPtr
    {
        public nint Data;
        public nint Deleter;
        public nint Context;
        public sbyte DeviceType; // 0: the CPU
        public sbyte DeviceIndex; // -1: none
    }

    [UnmanagedCallersOnly]
    private static void Destroy(nint self)
    {
        // never called: libtorch keeps its allocators for the process's life
    }

    [UnmanagedCallersOnly]
    private static nint RawDeleter(nint self) => (nint)(delegate* unmanaged<nint, void>)&Free;

    [UnmanagedCallersOnly]
    private static DataPtr* Allocate(DataPtr* result, nint self, nuint bytes)
    {
        var small = (long)bytes < SmallestKept;
        var block = small ? _allocateSmall(bytes) : Pool.Take((long)bytes);
        if (block == 0 && !small)
            Environment.FailFast($"out of memory: the system refused {bytes:N0} bytes for a tensor");
        result->Data = block;
        result->Context = block;
        result->Deleter = small ? _freeSmall : (nint)(delegate* unmanaged<nint, void>)&Free;
        result->DeviceType = 0;
        result->DeviceIndex = -1;
        return result;
    }

    // A block of the pool, or (through raw_deleter) a small one of libtorch's allocator.
    [UnmanagedCallersOnly]
    private static void Free(nint block)
    {
        if (!Pool.Return(block))
            ((delegate* unmanaged<nint, void>)_freeSmall)(block);
    }

    private static nint Map(long size)
    {
        var block = Mmap(0, (nuint)size, ProtectReadWrite, MapPrivateAnonymous, -1, 0);
        if (block == -1)
            return 0;
        if (size >= HugePage)
            _ = Madvise(block, (nuint)size, AdviseHugePage); // a fault per 2 MiB instead of per 4 KiB, where the kernel allows
        return block;
    }

    private static void Unmap(nint block, long size) => _ = Munmap(block, (nuint)size);

    [DllImport("libc", EntryPoint = "mmap")]
    private static extern nint Mmap(nint address, nuint length, int protection, int flags, int descriptor, nint offset);

    [DllImport("libc", EntryPoint = "munmap")]
    private static extern int Munmap(nint address, nuint length);

    [DllImport("libc", EntryPoint = "madvise")]
    private static extern int Madvise(nint address, nuint length, int advice);
}

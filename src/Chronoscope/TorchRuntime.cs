using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using TorchSharp;

namespace Chronoscope;

/// <summary>Process-wide settings of the libtorch engine; programs (the command line, benchmarks) call these at startup.</summary>
public static class TorchRuntime
{
    private const int MallocTrimThreshold = -1; // M_TRIM_THRESHOLD
    private const int MallocMmapThreshold = -3; // M_MMAP_THRESHOLD

    private static torch.Device _device = torch.CPU;
    private static readonly object GlobalGenerator = new();

    /// <summary>
    /// Holds libtorch's global random generator for this thread until disposed (re-entrant): seeding and building a
    /// network under it gives the same weights whatever other threads build meanwhile. Every network's construction
    /// takes it.
    /// </summary>
    internal static IDisposable LockGenerator()
    {
        Monitor.Enter(GlobalGenerator);
        return new GeneratorLock();
    }

    private sealed class GeneratorLock : IDisposable
    {
        private bool _released;

        public void Dispose()
        {
            if (_released)
                return;
            _released = true;
            Monitor.Exit(GlobalGenerator);
        }
    }

    /// <summary>
    /// Where models and batches live: the CPU (the default), or a CUDA GPU when a CUDA build of libtorch is referenced
    /// (TorchSharp-cuda-linux / TorchSharp-cuda-windows instead of TorchSharp-cpu). Set it before creating learners or
    /// loading models. Datasets stay in main memory; each batch is copied to the device.
    /// </summary>
    public static torch.Device Device
    {
        get => _device;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.type == DeviceType.CUDA && !torch.cuda.is_available())
            {
                throw new InvalidOperationException(
                    "CUDA is not available: this build references TorchSharp-cpu (or no GPU and driver are present); reference TorchSharp-cuda-linux or TorchSharp-cuda-windows instead, see the README.");
            }
            _device = value;
        }
    }

    /// <summary>The number of threads libtorch computes with (its intra-op pool).</summary>
    public static int Threads
    {
        get => torch.get_num_threads();
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            torch.set_num_threads(value);
        }
    }

    /// <summary>Whether the CPU has AMX-BF16 (matrix tiles; oneDNN's bfloat16 convolutions then take other kernels).</summary>
    // Declared before NativeBFloat16, which reads it: static initializers run in this order.
    internal static bool AmxBFloat16 { get; } = HasCpuIdBit(7, 0, edx: true, 22);

    /// <summary>
    /// Whether the CPU computes bfloat16 natively: AVX-512 with its BF16 extension (CPUID leaf 7, subleaf 1, EAX bit 5)
    /// or AMX-BF16 (leaf 7, subleaf 0, EDX bit 22), which libtorch's oneDNN kernels use. Elsewhere bfloat16 is emulated
    /// and slower than float32.
    /// </summary>
    public static bool NativeBFloat16 { get; } = DetectNativeBFloat16();

    private static bool DetectNativeBFloat16() => HasCpuIdBit(7, 1, edx: false, 5) || AmxBFloat16;

    /// <summary>A feature bit of CPUID leaf <paramref name="leaf"/>, subleaf <paramref name="subleaf"/> (EAX or EDX), on an x86 CPU whose AVX-512 the system enables.</summary>
    private static bool HasCpuIdBit(int leaf, int subleaf, bool edx, int bit)
    {
        // Avx512F.IsSupported also says the operating system saves the AVX-512 registers.
        if (!X86Base.IsSupported || !Avx512F.IsSupported || X86Base.CpuId(0, 0).Eax < leaf)
            return false;
        var registers = X86Base.CpuId(leaf, subleaf);
        return ((edx ? registers.Edx : registers.Eax) & (1 << bit)) != 0;
    }

    /// <summary>
    /// Keeps glibc from returning memory to the system after every batch. A dispose scope frees a whole batch at once;
    /// glibc then trims and maps the memory again for the next batch (measured: 5× PyTorch's page faults, 14% slower
    /// on small sets). Raising both thresholds closes the gap; either alone makes it worse. The mmap threshold is 1 GiB:
    /// at 32 MiB (glibc's own at most) a larger tensor (a batch of 256 at L = 500, or of 64 at L = 1,500) was mapped
    /// afresh and faulted in page by page at every use (an epoch at L = 1,500 took 69 s against 40 s; docs/speed.md).
    /// Then, on Linux x64, tensors' blocks of 256 KiB or more leave glibc's heap for a cache of memory maps kept by size
    /// class (<see cref="TensorBlockCache"/>), where a step's blocks are reused instead of fragmenting the heap: the
    /// resident peak of a FordA-size fit falls from about 1.4 GB to 0.85 GB (docs/speed.md). Returns false where there
    /// is no glibc (other systems, musl), where it does nothing.
    /// </summary>
    public static bool TuneAllocator()
    {
        if (!OperatingSystem.IsLinux())
            return false;
        try
        {
            var tuned = Mallopt(MallocMmapThreshold, 1 << 30) == 1 && Mallopt(MallocTrimThreshold, 1 << 30) == 1;
            TensorBlockCache.Install();
            return tuned;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int Mallopt(int parameter, int value);

    /// <summary>The glibc tunable (2.35 and later) that asks for transparent huge pages under malloc's heap.</summary>
    internal const string HugePageTunable = "glibc.malloc.hugetlb=1";

    /// <summary>
    /// Starts this program again in its own process (the same process id, arguments and environment) with glibc's heap
    /// on transparent huge pages, <see cref="HugePageTunable"/> added to <c>GLIBC_TUNABLES</c>, where that helps: Linux,
    /// glibc 2.35 or later, and the kernel giving huge pages only on request (<c>madvise</c> in
    /// /sys/kernel/mm/transparent_hugepage/enabled). A training step frees and takes back hundreds of megabytes, and
    /// each return of free memory to the system is paid for in page faults when the next batch touches it again: 2 MiB
    /// pages instead of 4 KiB make those faults ~13× fewer and a FordA-size epoch 17-44% shorter on a 2-core virtual
    /// machine, for 4-15% more resident memory at the peak (docs/speed.md). glibc reads the
    /// setting only when a process starts, hence the restart. Call it first in <c>Main</c>, before reading any input;
    /// it returns when it did not restart (elsewhere, when <c>GLIBC_TUNABLES</c> already names
    /// <c>glibc.malloc.hugetlb</c>, which is also how to decline it, or when the restart failed).
    /// </summary>
    /// <param name="compileOptimized">
    /// Also start the new process with .NET's tiered compilation off (<see cref="TieredCompilationVariable"/>, unless
    /// the environment sets it): each method compiled optimized at its first call, where tiering runs unoptimized code
    /// first and recompiles the hot methods in the background, on the cores training uses. For programs that train:
    /// short fits gain (GunPoint's 25 pooled epochs 0.282, 0.287 against 0.322, 0.323 s an epoch; ECG200's default fit
    /// 19.3, 21.1 against 19.8, 21.6 s), long ones take alike (1,280 series of 500), and starting costs more
    /// (<c>chronoscope --help</c> 0.37 against 0.24 s; docs/speed.md).
    /// </param>
    public static void RestartWithHugePages(bool compileOptimized = false)
    {
        if (!OperatingSystem.IsLinux())
            return;
        var tunables = Environment.GetEnvironmentVariable("GLIBC_TUNABLES");
        if (tunables?.Contains("glibc.malloc.hugetlb", StringComparison.Ordinal) == true)
            return;
        try
        {
            if (!File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled").Contains("[madvise]", StringComparison.Ordinal)
                || !Version.TryParse(Marshal.PtrToStringUTF8(GlibcVersion()), out var glibc) || glibc < new Version(2, 35))
                return;
            // The process's own arguments as it was started (for `dotnet app.dll`, the host's too).
            var arguments = File.ReadAllText("/proc/self/cmdline").TrimEnd('\0').Split('\0');
            var environment = RestartEnvironment(Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? ""), compileOptimized);
            Execve("/proc/self/exe", [.. arguments, null], [.. environment, null]);
            // Still here: the restart failed, and this process carries on as it is.
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or IOException or UnauthorizedAccessException)
        {
            // not glibc, or no /proc or /sys to read: carry on as it is
        }
    }

    /// <summary>
    /// The environment <see cref="RestartWithHugePages"/> starts the program again with, as NAME=value lines:
    /// <paramref name="current"/> with <see cref="HugePageTunable"/> added to <c>GLIBC_TUNABLES</c>, and with
    /// <paramref name="compileOptimized"/> tiered compilation off unless <paramref name="current"/> says otherwise.
    /// </summary>
    internal static IEnumerable<string> RestartEnvironment(IReadOnlyDictionary<string, string> current, bool compileOptimized)
    {
        var tunables = current.GetValueOrDefault("GLIBC_TUNABLES");
        var environment = current.Where(e => e.Key != "GLIBC_TUNABLES").Select(e => $"{e.Key}={e.Value}")
            .Append($"GLIBC_TUNABLES={(string.IsNullOrEmpty(tunables) ? "" : tunables + ":")}{HugePageTunable}");
        return compileOptimized && !current.ContainsKey(TieredCompilationVariable)
            ? environment.Append($"{TieredCompilationVariable}=0")
            : environment;
    }

    /// <summary>The .NET runtime's switch of tiered compilation, 0 for off (see <see cref="RestartWithHugePages"/>).</summary>
    internal const string TieredCompilationVariable = "DOTNET_TieredCompilation";

    /// <summary>Whether glibc was asked for huge pages under its heap when this process started.</summary>
    internal static bool HugePages =>
        Environment.GetEnvironmentVariable("GLIBC_TUNABLES")?.Split(':').Contains(HugePageTunable) == true;

    /// <summary>
    /// <paramref name="tunables"/> (a <c>GLIBC_TUNABLES</c> value) without what <see cref="RestartWithHugePages"/> added:
    /// for child processes that should run as they would without Chronoscope (the PyTorch reference in benchmarks).
    /// Null when nothing is left.
    /// </summary>
    internal static string? WithoutHugePageTunable(string? tunables)
    {
        var rest = (tunables ?? "").Split(':').Where(t => t.Length > 0 && t != HugePageTunable).ToArray();
        return rest.Length == 0 ? null : string.Join(':', rest);
    }

    [DllImport("libc", EntryPoint = "gnu_get_libc_version")]
    private static extern nint GlibcVersion();

    [DllImport("libc", EntryPoint = "execve")]
    private static extern int Execve([MarshalAs(UnmanagedType.LPUTF8Str)] string path,
        [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string?[] arguments,
        [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string?[] environment);

    /// <summary>
    /// Gives glibc's free heap pages back to the system (<c>malloc_trim(0)</c>); the learner calls it after an epoch, and
    /// between batches when the free heap exceeds 2 GiB, at most every 5 s of training.
    /// Training fragments glibc's heap: live memory stays flat (~70 MB between epochs at L=500, ~600 MB at a step's
    /// peak) while the heap, kept since <see cref="TuneAllocator"/> raised the trim threshold, grows by 150-200 MB an
    /// epoch with free chunks no batch reuses. Trimming after each epoch makes the resident memory climb 40-50 MB an
    /// epoch instead, for about a second of page faults an epoch (benchmarks/README.md, Memory). Does nothing where
    /// there is no glibc.
    /// </summary>
    internal static void ReleaseFreeMemory()
    {
        if (!OperatingSystem.IsLinux())
            return;
        try
        {
            MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // not glibc: nothing to give back this way
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    /// <summary>glibc's heap in bytes (<c>mallinfo2</c>): handed out, free inside its arenas, the arenas' size, in mmap'd chunks and their count.</summary>
    internal readonly record struct HeapStatistics(long Used, long Free, long Arenas, long Mapped, long MappedChunks);

    /// <summary>glibc's heap now, or null where it cannot be read (not glibc, or glibc before 2.33).</summary>
    internal static HeapStatistics? Heap()
    {
        if (!OperatingSystem.IsLinux())
            return null;
        try
        {
            var info = MallInfo2();
            return new HeapStatistics((long)info.UsedBytes, (long)info.FreeBytes, (long)info.ArenaBytes, (long)info.MappedBytes, (long)info.MappedChunks);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MallocStatistics // glibc's struct mallinfo2, field for field
    {
        public nuint ArenaBytes;   // arena: non-mmapped space
        public nuint FreeChunks;   // ordblks
        public nuint FastBlocks;   // smblks
        public nuint MappedChunks; // hblks
        public nuint MappedBytes;  // hblkhd
        public nuint Unused;       // usmblks
        public nuint FastBytes;    // fsmblks
        public nuint UsedBytes;    // uordblks
        public nuint FreeBytes;    // fordblks
        public nuint TopBytes;     // keepcost
    }

    [DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallocStatistics MallInfo2();

    private static int _nnpackDisabled;

    /// <summary>
    /// Turns libtorch's NNPACK convolutions off, once per process. Before each convolution NNPACK could run (stride 1,
    /// no padding, kernels under 17 wide: the paper's 10 and 20 after their explicit "same" padding), libtorch tries to
    /// start NNPACK, and where NNPACK does not support the CPU (AVX-512 machines such as this project's) it logs
    /// "Could not initialize NNPACK! Reason: Unsupported hardware." on standard error every time: hundreds of lines per
    /// forward pass. With NNPACK off (PyTorch's <c>torch.backends.nnpack.set_flags(False)</c>) oneDNN runs them, as it
    /// does every other convolution. Returns false where libtorch does not export the switch.
    /// </summary>
    internal static bool DisableNnpack()
    {
        if (Interlocked.Exchange(ref _nnpackDisabled, 1) == 1)
            return true;
        try
        {
            SetUserEnabledNnpack(GlobalContext(), false);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Whether libtorch may use NNPACK (<c>torch.backends.nnpack.enabled</c>).</summary>
    internal static bool NnpackEnabled => UserEnabledNnpack(GlobalContext());

    // at::globalContext(), at::Context::setUserEnabledNNPACK(bool) and userEnabledNNPACK(), C++ symbols of libtorch (a member function
    // takes the object as its first argument).
    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static extern void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.I1)] bool enabled);

    [DllImport("libtorch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledNNPACKEv")]
    [return: MarshalAs(UnmanagedType.I1)]
    private static extern bool UserEnabledNnpack(IntPtr context);
}

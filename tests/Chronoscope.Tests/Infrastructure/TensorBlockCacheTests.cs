using System.Runtime.InteropServices;
using System.Text.Json;
using Chronoscope.Tests.Packaging;
using Chronoscope.Tests.TestSupport;
using TorchSharp;

namespace Chronoscope.Tests.Infrastructure;

/// <summary>
/// The block cache as libtorch's CPU allocator (the whole suite runs with it, as the command line does:
/// <see cref="TestSupport.ProcessSetup"/>). Linux x64 only, where it is installed.
/// </summary>
public sealed class TensorBlockCacheTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate nint AllocateMethod(nint result, nint self, nuint bytes);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate nint RawDeleterMethod(nint self);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void Deleter(nint block);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate nint GetAllocator();

    [DllImport("LibTorchSharp")]
    private static extern nint THSTensor_data(nint tensor);

    private static bool Supported => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64;

    private static T Export<T>(string symbol) =>
        Marshal.GetDelegateForFunctionPointer<T>(NativeLibrary.GetExport(NativeLibrary.Load("libc10.so"), symbol));

    [Fact]
    public void Should_Be_Libtorchs_CPU_Allocator_Once_Installed()
    {
        if (!Supported)
            return;

        Assert.True(TensorBlockCache.Install());

        Assert.Equal(TensorBlockCache.Allocator, Export<GetAllocator>("_ZN3c1015GetCPUAllocatorEv")());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("system")]
    public void Should_Train_Under_The_Cache_In_The_Real_Command_Line_And_Say_So(string? allocator)
    {
        // Given the real command line, with the cache (the default) or declining it
        var run = _folder.Combine(allocator ?? "cache");
        var (exitCode, output) = ChildProcess.Run(ChildProcess.Dotnet, [Path.Combine(AppContext.BaseDirectory, "Chronoscope.Cli.dll"),
            "train", "GunPoint", "--epochs", "2", "--depth", "2", "--filters", "8", "--no-report", "--out", run], _folder.Path, TimeSpan.FromMinutes(3),
            new Dictionary<string, string> { ["CHRONOSCOPE_DATA"] = _folder.Combine("data"), [TensorBlockCache.Variable] = allocator ?? "" });

        // Then it trains and exits cleanly (the cache's methods are called until libtorch's last tensor goes), and its
        // record says whether the cache was libtorch's allocator
        Assert.True(exitCode == 0, $"exit {exitCode}: {output}");
        using var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")));
        Assert.Equal(Supported && allocator is null, record.RootElement.GetProperty("settings").GetProperty("cached_tensor_blocks").GetBoolean());
    }

    [Fact]
    public void Should_Fill_A_DataPtr_As_Libtorch_Reads_It_And_Free_Both_Kinds_Of_Block_Through_Raw_Deleter()
    {
        // Given the allocator's virtual methods, called as C++ calls them (the result's address first, then the object)
        if (!Supported)
            return;
        Assert.True(TensorBlockCache.Install());
        var allocator = TensorBlockCache.Allocator;
        var table = Marshal.ReadIntPtr(allocator);
        var allocate = Marshal.GetDelegateForFunctionPointer<AllocateMethod>(Marshal.ReadIntPtr(table, 2 * IntPtr.Size));
        var rawDeleter = Marshal.GetDelegateForFunctionPointer<RawDeleterMethod>(Marshal.ReadIntPtr(table, 4 * IntPtr.Size))(allocator);
        var freeCpu = NativeLibrary.GetExport(NativeLibrary.Load("libc10.so"), "_ZN3c108free_cpuEPv");
        var result = Marshal.AllocHGlobal(32);
        try
        {
            foreach (var (bytes, expectedDeleter) in new[] { (3_000_000, rawDeleter), (1_000, freeCpu) })
            {
                // When a block of that size is allocated
                Marshal.Copy(Enumerable.Repeat((byte)0xAB, 32).ToArray(), 0, result, 32);
                Assert.Equal(result, allocate(result, allocator, (nuint)bytes));

                // Then the data is its own context, the deleter frees it, the device is the CPU without an index
                var data = Marshal.ReadIntPtr(result, 0);
                Assert.NotEqual(0, data);
                Assert.Equal(expectedDeleter, Marshal.ReadIntPtr(result, 8));
                Assert.Equal(data, Marshal.ReadIntPtr(result, 16));
                Assert.Equal((byte)0, Marshal.ReadByte(result, 24));
                Assert.Equal((byte)0xFF, Marshal.ReadByte(result, 25));
                Assert.Equal(0, data % 64); // libtorch's alignment
                Marshal.Copy(Enumerable.Repeat((byte)0x5A, bytes).ToArray(), 0, data, bytes); // the whole block is writable
                Marshal.GetDelegateForFunctionPointer<Deleter>(rawDeleter)(data); // raw_deallocate's path, for either kind
            }
        }
        finally
        {
            Marshal.FreeHGlobal(result);
        }
    }

    [Fact]
    public void Should_Give_A_Disposed_Tensors_Block_To_The_Next_Tensor_Of_Its_Size_Class()
    {
        // Given a tensor of an odd size (10,873,124 bytes: its class, 11 MiB, is no other test's), its block noted
        if (!Supported)
            return;
        Assert.True(TensorBlockCache.Install());
        const int count = 2_718_281;
        nint address;
        using (var twos = torch.full(count, 2f))
        {
            Assert.Equal(2.0 * count, twos.sum().item<float>());
            address = THSTensor_data(twos.Handle);
        }

        // When the next tensor of that class is made
        using var ones = torch.ones(count - 1000);

        // Then it takes the same block, and computes as it should there
        Assert.Equal(address, THSTensor_data(ones.Handle));
        Assert.Equal(count - 1000.0, ones.sum().item<float>());
        Assert.True(TensorBlockCache.Statistics.Live >= 11L << 20);
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Chronoscope.Tests.TestSupport;

/// <summary>The test process set up as the command line sets itself up: libtorch's CPU allocator is the block cache.</summary>
internal static class ProcessSetup
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "A test assembly: every test should run under the allocator the programs install.")]
    internal static void Run() => TensorBlockCache.Install();
}

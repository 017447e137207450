using TorchSharp;

namespace Chronoscope.Tests.TestSupport;

/// <summary>
/// Fails the test when tensors created on this thread inside the <c>using</c> block outlive it.
/// TorchSharp counts live tensors per thread, so the code under test must run synchronously on the test's thread.
/// </summary>
internal sealed class TensorLeakCheck : IDisposable
{
    private readonly long _before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    public void Dispose()
    {
        var leaked = DisposeScopeManager.Statistics.ThreadTotalLiveCount - _before;
        Assert.True(leaked == 0, $"{leaked} tensor(s) leaked: {DisposeScopeManager.Statistics}");
    }
}

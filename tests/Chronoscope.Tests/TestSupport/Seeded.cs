using TorchSharp;

namespace Chronoscope.Tests.TestSupport;

/// <summary>
/// Builds under libtorch's global generator, seeded: the lock keeps tests running in parallel from drawing between the
/// seed and the draws that follow it, so a test's random network is the same in every run (one drew other weights now
/// and then, and its check found logit(x) = logit(baseline)).
/// </summary>
internal static class Seeded
{
    public static T Build<T>(int seed, Func<T> build)
    {
        using (TorchRuntime.LockGenerator())
        {
            torch.manual_seed(seed);
            return build();
        }
    }
}

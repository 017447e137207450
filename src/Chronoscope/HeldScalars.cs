using TorchSharp;

namespace Chronoscope;

/// <summary>
/// Scalars held for the process's life, for TorchSharp calls that take one. TorchSharp 0.107 hands libtorch a Scalar's
/// native address and keeps no reference to the managed object during the call, so a Scalar made for the call (a number
/// converted implicitly, or the alpha that <c>add(Tensor)</c> and <c>add_(Tensor)</c> make for themselves) may be
/// finalized by a garbage collection another thread starts meanwhile, and libtorch then reads freed memory (reproduced:
/// training beside a thread that allocates without a break failed within ten epochs with "toLong: Expected false to be
/// true"; <see cref="CollectionPause"/> keeps ordinary collections out of such calls). Pass these, or a Scalar held in a
/// <c>using</c> across the call.
/// </summary>
internal static class HeldScalars
{
    /// <summary>1, for the alpha of additions and the counter of BatchNorm's batches.</summary>
    internal static readonly Scalar One = 1L;

    /// <summary>NaN, for padding a max pool's window.</summary>
    internal static readonly Scalar NaN = double.NaN;

    /// <summary>−∞, for padding a max pool's window.</summary>
    internal static readonly Scalar NegativeInfinity = double.NegativeInfinity;
}

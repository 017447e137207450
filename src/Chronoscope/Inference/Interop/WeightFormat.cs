namespace Chronoscope.Inference.Interop;

/// <summary>How a <c>state_dict</c> is stored on disk.</summary>
public enum WeightFormat
{
    /// <summary>PyTorch's <c>torch.save</c> zip format (a pickle of tensors plus their raw bytes), read by <c>torch.load</c>.</summary>
    PyTorch,

    /// <summary>safetensors: a JSON index and raw little-endian tensor bytes, no pickle at all.</summary>
    Safetensors,
}

namespace Chronoscope.Inference.Interop;

/// <summary>
/// A weights file that cannot be imported (not a state_dict, a missing key, a wrong shape, truncated) or a model that
/// cannot be exported as asked. The message names the file and, where there is one, the first key that does not fit.
/// </summary>
public sealed class ModelInteropException : ChronoscopeException
{
    public ModelInteropException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        Path = path;
    }

    /// <summary>The file the problem is about.</summary>
    public string Path { get; }
}

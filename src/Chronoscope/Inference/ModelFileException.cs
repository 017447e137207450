namespace Chronoscope.Inference;

/// <summary>A model file that cannot be loaded (not a model, truncated, corrupt, from a newer version) or data that does not fit the model.</summary>
public sealed class ModelFileException : ChronoscopeException
{
    public ModelFileException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        Path = path;
    }

    /// <summary>The model file.</summary>
    public string Path { get; }
}

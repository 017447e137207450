namespace Chronoscope;

/// <summary>
/// The base of every error Chronoscope raises for a user's mistake or an environment problem
/// (a malformed file, a missing dataset, a model that does not fit the data). Messages say what was
/// expected, what was found, where, and how to fix it; callers show them as one line.
/// </summary>
public abstract class ChronoscopeException : Exception
{
    protected ChronoscopeException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

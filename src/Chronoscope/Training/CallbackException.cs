namespace Chronoscope.Training;

/// <summary>A training callback failed: which one, in which event, and the error it raised (<see cref="Exception.InnerException"/>).</summary>
public sealed class CallbackException : Exception
{
    public CallbackException(string callback, string eventName, Exception inner)
        : base($"the {callback} callback failed in {eventName}: {inner.Message}", inner)
    {
        Callback = callback;
        EventName = eventName;
    }

    /// <summary>The callback's type name.</summary>
    public string Callback { get; }

    /// <summary>The event it was handling, e.g. <c>AfterEpoch</c>.</summary>
    public string EventName { get; }
}

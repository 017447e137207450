namespace Chronoscope.Fuzz;

/// <summary>With <c>CHRONOSCOPE_FUZZ_VERBOSE=1</c> (for replaying an input by hand) the targets say what the reader did.</summary>
internal static class Verbose
{
    private static readonly bool On = Environment.GetEnvironmentVariable("CHRONOSCOPE_FUZZ_VERBOSE") == "1";

    public static void Say(string message)
    {
        if (On)
            Console.Error.WriteLine(message);
    }
}

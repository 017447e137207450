using Chronoscope.Cli;

namespace Chronoscope.Tests.Cli;

public sealed class ExitCodesTests
{
    [Fact]
    public void Should_Keep_The_Codes_The_README_And_Shells_Know()
    {
        // The README promises 1 for data or model problems and 2 for a wrong command line; a shell reports a process ended
        // by a signal as 128 + its number (SIGINT 2, SIGTERM 15); 70 is sysexits.h's EX_SOFTWARE, an internal error.
        Assert.Equal(
            (0, 1, 2, 70, 128 + 2, 128 + 15),
            (ExitCodes.Success, ExitCodes.Failure, ExitCodes.Usage, ExitCodes.Internal, ExitCodes.Cancelled, ExitCodes.Terminated));
    }
}

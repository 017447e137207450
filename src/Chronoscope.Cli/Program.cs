using Chronoscope.Cli;

// The whole program: real consoles in, an exit code out. Everything else is in ChronoscopeCli.
// Once, before any tensor: glibc's heap on huge pages (a restart, except for help, which computes nothing), and kept
// from trimming and re-mapping memory after every batch (see TorchRuntime); the commands that train also compile
// optimized from the start.
if (!args.Any(a => a is "-h" or "--help" or "-?" or "--version"))
    Chronoscope.TorchRuntime.RestartWithHugePages(compileOptimized: args.Any(a => a is "train" or "tutorial" or "lr-find"));
Chronoscope.TorchRuntime.TuneAllocator();
var context = CliContext.ForProcess();
return await new ChronoscopeCli(context).RunAsync(args);

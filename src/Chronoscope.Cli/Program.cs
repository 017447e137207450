using Chronoscope.Cli;

// The whole program: real consoles in, an exit code out. Everything else is in ChronoscopeCli.
// Once, before any tensor: keep glibc from trimming and re-mapping memory after every batch (see TorchRuntime).
Chronoscope.TorchRuntime.TuneAllocator();
var context = CliContext.ForProcess();
return await new ChronoscopeCli(context).RunAsync(args);

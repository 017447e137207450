using Chronoscope.Cli;

// The whole program: real consoles in, an exit code out. Everything else is in ChronoscopeCli.
var context = CliContext.ForProcess();
return await new ChronoscopeCli(context).RunAsync(args);

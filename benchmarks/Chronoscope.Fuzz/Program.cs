using Chronoscope.Data.Formats;
using SharpFuzz;

namespace Chronoscope.Fuzz;

/// <summary>
/// Fuzz targets for afl-fuzz through SharpFuzz: <c>Chronoscope.Fuzz arff|ts|tsv|txt|csv|any|model|import</c> reads input
/// after input from afl-fuzz (standard input) and reports any exception other than the reader's documented one as a crash
/// (<c>any</c>: a file without an extension, read in the format its first line shows; <c>import</c>: a PyTorch
/// state_dict or safetensors file). <c>Chronoscope.Fuzz seed-model FILE</c> writes a seed for the model target,
/// <c>seed-import FOLDER</c> six for the import target. Outside afl-fuzz the target runs once
/// on standard input, so a crash file replays with <c>dotnet Chronoscope.Fuzz.dll arff &lt; crash</c> and prints its
/// stack trace. benchmarks/fuzz/run.sh builds, instruments and runs these; see benchmarks/README.md.
/// </summary>
internal static class Program
{
    private const string Usage = "usage: Chronoscope.Fuzz arff|ts|tsv|txt|csv|any|model|import   (input on standard input)\n" +
                                 "       Chronoscope.Fuzz seed-model FILE                         (a small model file, without its checksum)\n" +
                                 "       Chronoscope.Fuzz seed-import FOLDER                      (a small network of each variant, .pt and .safetensors)";

    public static int Main(string[] args)
    {
        if (args is ["seed-model", var seedPath])
        {
            ModelTarget.WriteSeed(seedPath);
            return 0;
        }
        if (args is ["seed-import", var seedFolder])
        {
            ImportTarget.WriteSeeds(seedFolder);
            return 0;
        }
        Action<Stream>? target = args switch
        {
            ["arff"] => new DatasetTarget(DatasetFormat.Arff).Run,
            ["ts"] => new DatasetTarget(DatasetFormat.Ts).Run,
            ["tsv"] => new DatasetTarget(DatasetFormat.Tsv).Run,
            ["txt"] => new DatasetTarget(DatasetFormat.Txt).Run,
            ["csv"] => new DatasetTarget(DatasetFormat.Csv).Run,
            ["any"] => new DatasetTarget(null).Run,
            ["model"] => new ModelTarget().Run,
            ["import"] => new ImportTarget().Run,
            _ => null,
        };
        if (target is null)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        // Out of process: a hang (afl-fuzz's -t) or an uncatchable failure (stack overflow) restarts the child
        // that runs the target instead of ending the whole fuzzing session.
        Fuzzer.OutOfProcess.Run(target);
        return 0;
    }
}

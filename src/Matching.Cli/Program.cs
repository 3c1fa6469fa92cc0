using System.CommandLine;
using Matching.Cli.Commands;
using Matching.Cli.Hosting;

namespace Matching.Cli;

/// <summary>The <c>matching</c> command: a thin host over the Matching library.</summary>
internal static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the command line with the given writers (stdout for results, stderr for logs).</summary>
    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var host = new CommandHost(stdout, stderr);
        var root = new RootCommand("Matching: recommends university research achievements (科技成果) for enterprise technical demands (技术需求), and the reverse.")
        {
            MatchCommand.Create(host),
            IndexCommand.Create(host),
            EvaluateCommand.Create(host),
            TrainCommand.Create(host),
            AgendaCommand.Create(host),
            ExplainCommand.Create(host),
            SynthCommand.Create(host),
            EncodeCommand.Create(host),
            SiloCommand.Create(host),
        };

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"error: {error.Message}");
            }

            stderr.WriteLine("Run 'matching --help' (or 'matching VERB --help') for usage.");
            return ExitCodes.Usage;
        }

        return parse.Invoke(new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            EnableDefaultExceptionHandler = false,
        });
    }
}

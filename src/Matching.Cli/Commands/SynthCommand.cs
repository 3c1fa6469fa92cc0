using System.CommandLine;
using System.Text;
using Matching.Evaluation;
using Matching.Ingestion;
using Matching.Cli.Hosting;

namespace Matching.Cli.Commands;

/// <summary><c>matching synth</c>: generate a large corpus for speed and memory measurements.</summary>
internal static class SynthCommand
{
    public static Command Create(CommandHost host)
    {
        var achievements = CommonOptions.PositiveInt("--achievements", 10_000, "Achievements to generate.");
        var demands = CommonOptions.PositiveInt("--demands", 1_000, "Demands to generate.");
        var output = new Option<string>("--out", "-o") { Description = "Output folder: achievements.jsonl and demands.jsonl.", Required = true, HelpName = "DIR" };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed and source give byte-identical files.", DefaultValueFactory = _ => 1 };
        var from = new Option<string?>("--from") { Description = "Source corpus of achievements to recombine (.csv, .jsonl, .xlsx), e.g. the CSL abstracts (achievements.jsonl). Default: the sample event.", HelpName = "FILE" };

        var command = new Command("synth", "Generate a realistic corpus by recombining the sentences, titles and keywords of a real source corpus (deterministic).")
        {
            achievements, demands, output, seed, from,
        };

        command.SetAction(parse => host.Execute(() =>
        {
            var sourcePath = parse.GetValue(from) ?? SampleEvent.AchievementsCsv;
            var source = host.ReadAchievements(sourcePath, ReadOptions.Default);
            var directory = Path.GetFullPath(parse.GetValue(output)!);
            Directory.CreateDirectory(directory);
            var achievementsFile = Path.Combine(directory, "achievements.jsonl");
            var demandsFile = Path.Combine(directory, "demands.jsonl");
            var encoding = new UTF8Encoding(false);
            using (var a = new StreamWriter(achievementsFile + ".tmp", false, encoding, 1 << 20) { NewLine = "\n" })
            using (var d = new StreamWriter(demandsFile + ".tmp", false, encoding, 1 << 20) { NewLine = "\n" })
            {
                CorpusSynthesizer.Generate(source, parse.GetValue(achievements), parse.GetValue(demands), parse.GetValue(seed), a, d);
            }

            File.Move(achievementsFile + ".tmp", achievementsFile, overwrite: true);
            File.Move(demandsFile + ".tmp", demandsFile, overwrite: true);
            host.Out.WriteLine(achievementsFile);
            host.Out.WriteLine(demandsFile);
            return ExitCodes.Success;
        }));
        return command;
    }
}

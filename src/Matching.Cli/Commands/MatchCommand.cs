using System.CommandLine;
using System.Globalization;
using Matching.Aggregation;
using Matching.Engine;
using Matching.Reporting;
using Matching.Scheduling;
using Matching.Cli.Hosting;
using Matching.Ingestion;

namespace Matching.Cli.Commands;

/// <summary><c>matching match</c>: recommendations both ways, university–enterprise pairs, agenda and report.</summary>
internal static class MatchCommand
{
    public static Command Create(CommandHost host)
    {
        var achievements = CommonOptions.Achievements("Achievements file (.csv, .tsv, .jsonl or .xlsx). With neither input given, the embedded sample event is used.");
        var demands = CommonOptions.Demands();
        var output = new Option<string>("--out", "-o") { Description = "Output folder (created if missing).", DefaultValueFactory = _ => "out", HelpName = "DIR" };
        var topK = CommonOptions.PositiveInt("--top-k", 10, "Recommendations per demand and per achievement.");
        var index = new Option<string?>("--index") { Description = "Keep the indexes in this folder and update them incrementally (default: in memory).", HelpName = "DIR" };
        var analyzer = CommonOptions.Analyzer();
        var encoding = CommonOptions.Encoding();
        var sheet = CommonOptions.Sheet();
        var onBadRow = CommonOptions.OnBadRow();
        var model = CommonOptions.Model("Reranker: a model zip, or none for BM25 order. Default: the shipped model.");
        var options = new Option<string?>("--options") { Description = "Event rules (JSON): title, hard filters, soft preferences, pair filters, agenda shape. See the README.", HelpName = "FILE" };
        var capacityFile = new Option<string?>("--capacity-file") { Description = "CSV organization,capacity,unavailable_slots for the agenda.", HelpName = "FILE" };
        var slots = new Option<int?>("--slots") { Description = "Agenda slots (overrides the options file; default 8).", HelpName = "N" };
        var tables = new Option<int?>("--tables") { Description = "Agenda tables (overrides the options file; default 20).", HelpName = "T" };
        var defaultCapacity = new Option<int?>("--default-capacity") { Description = "Meetings an organisation can staff unless the capacity file says otherwise (default 4).", HelpName = "K" };
        var noAgenda = new Option<bool>("--no-agenda") { Description = "Plan no meeting agenda." };
        var preferencesFile = AgendaCommand.PreferencesOption();
        var maxCounterparts = new Option<int?>("--max-counterparts") { Description = "Exposure cap: no organisation is proposed to more than N counterparts (overrides the options file; default: no cap).", HelpName = "N" };
        var noFairnessFloor = new Option<bool>("--no-fairness-floor") { Description = "Do not guarantee every organisation with a strong match one meeting first (where feasible)." };
        var noReport = new Option<bool>("--no-report") { Description = "Write only the CSV tables and run (no HTML/XLSX/JSON report): for large batches." };
        var direction = new Option<string>("--direction")
        {
            Description = "both (default): recommendations per demand and per achievement. demands: demands are the only queries (no achievement_matches.csv; pairs from the demands' lists) — for catalogues with far more achievements than demands.",
            DefaultValueFactory = _ => "both",
        };
        direction.AcceptOnlyFromAmong("both", "demands");
        var reverse = new Option<string>("--reverse")
        {
            Description = "How each achievement's list is made (with --direction both). query (default): the achievement is a query of its own. derived: the demands whose ranked lists (reranked depth, before the top-k cut) hold it, by the pair's strength — no second pass of queries, for large batches.",
            DefaultValueFactory = _ => "query",
        };
        reverse.AcceptOnlyFromAmong("query", "derived");
        var maxQueryTerms = CommonOptions.MaxQueryTerms();
        var threads = CommonOptions.Threads("Threads for indexing and queries; outputs do not depend on it.");
        var semantic = new SemanticOptions();
        var feedback = new FeedbackOptions();

        var command = new Command("match", "Recommend achievements for every demand and demands for every achievement, aggregate university–enterprise pairs, plan the meeting agenda and write the report (CSV, HTML, XLSX, JSON).")
        {
            achievements, demands, output, topK, index, analyzer, encoding, sheet, onBadRow, model,
            options, capacityFile, slots, tables, defaultCapacity, noAgenda, noReport, direction, reverse, maxQueryTerms, threads,
            preferencesFile, maxCounterparts, noFairnessFloor,
        };
        var cluster = new SiloCommand.MatchOptions();
        cluster.AddTo(command);
        var limits = new InputLimitOptions();
        limits.AddTo(command);
        var reportLimits = new ReportLimitOptions();
        reportLimits.AddTo(command);
        var maxAnalyzedChars = CommonOptions.MaxAnalyzedChars();
        command.Add(maxAnalyzedChars);
        semantic.AddTo(command);
        feedback.AddTo(command);
        var clock = new ClockOptions();
        clock.AddTo(command);

        command.SetAction(parse => host.Execute(() =>
        {
            var eventOptions = parse.GetValue(options) is { } optionsPath ? EventOptions.Load(optionsPath) : new EventOptions();
            eventOptions = WithAgendaOverrides(eventOptions, parse.GetValue(slots), parse.GetValue(tables), parse.GetValue(defaultCapacity), parse.GetValue(noAgenda));
            eventOptions = WithPlanningOverrides(eventOptions, parse.GetValue(maxCounterparts), parse.GetValue(noFairnessFloor));
            if (eventOptions.Agenda is { } agendaOptions)
            {
                eventOptions = eventOptions with { Agenda = clock.Apply(agendaOptions, parse) };
            }
            if (parse.GetValue(preferencesFile) is not null && eventOptions.Agenda is null)
            {
                throw new UsageException("--preferences shapes the agenda: drop --no-agenda (or the preferences)");
            }
            var derived = parse.GetValue(reverse) == "derived";
            if (derived && parse.GetValue(direction) != "both")
            {
                throw new UsageException("--reverse derived makes the achievements' lists: it needs --direction both");
            }

            if (semantic.On(parse) && parse.GetValue(cluster.Cluster) is not null)
            {
                // Silos rank with their own replicas, which have no semantic route: their lists would differ.
                throw new UsageException("--semantic on does not work with --cluster yet: silos rank by BM25 candidates only");
            }

            if (parse.GetValue(feedback.Prf) == "on" && parse.GetValue(cluster.Cluster) is not null)
            {
                // Silos build their queries without feedback: their lists would differ.
                throw new UsageException("--prf on does not work with --cluster yet: silos rank by queries without feedback");
            }

            var retrieval = feedback.Apply(parse, new Matching.Retrieval.RetrievalOptions { MaxQueryTerms = parse.GetValue(maxQueryTerms) });
            var (ranker, bm25Strength) = host.RankerForLists(
                host.LoadModel(parse.GetValue(model)!, semantic.On(parse)), host.Bm25Strength(parse.GetValue(model)!), semantic.On(parse), retrieval.Feedback);

            var engineOptions = new EngineOptions
            {
                IndexPath = parse.GetValue(index),
                Analyzer = CommonOptions.ParseAnalyzer(parse.GetValue(analyzer)!),
                Ranker = ranker,
                Bm25Strength = bm25Strength,
                IndexThreads = parse.GetValue(threads),
                Retrieval = retrieval,
                MaxAnalyzedChars = parse.GetValue(maxAnalyzedChars),
                Semantic = semantic.On(parse),
                SemanticDepth = semantic.DepthOf(parse),
                Encoder = semantic.Load(parse, host),
            };

            var (engine, achievementList, demandList) = OpenEvent(parse.GetValue(achievements), parse.GetValue(demands), engineOptions, host,
                () => limits.ReadOptions(parse, parse.GetValue(encoding), parse.GetValue(sheet), parse.GetValue(onBadRow)!));
            using var owned = engine;

            // Checked against the inputs before any work: a misspelt organisation or a slot past the last fails now.
            var capacities = parse.GetValue(capacityFile) is { } capacityPath
                ? CapacityReader.Read(capacityPath,
                    [.. achievementList.Select(a => a.Organization).Concat(demandList.Select(d => d.Organization)).Where(o => o.Length > 0).ToHashSet(StringComparer.Ordinal)],
                    eventOptions.Agenda?.Slots)
                : [];
            if (parse.GetValue(preferencesFile) is { } preferencesPath && eventOptions.Agenda is { } agendaShape)
            {
                var directory = new EventDirectory(
                    achievementList.Select(a => a.Organization).Concat(demandList.Select(d => d.Organization)).Where(o => o.Length > 0).ToHashSet(StringComparer.Ordinal),
                    demandList.Where(d => d.Organization.Length > 0).ToDictionary(d => d.Id, d => d.Organization, StringComparer.Ordinal),
                    achievementList.Where(a => a.Organization.Length > 0).ToDictionary(a => a.Id, a => a.Organization, StringComparer.Ordinal));
                var preferences = PreferenceReader.Read(preferencesPath, directory);
                host.Log($"read {preferences.Count} stated preferences from {preferencesPath}");
                eventOptions = eventOptions with { Agenda = agendaShape with { Preferences = preferences } };
            }

            var k = parse.GetValue(topK);
            host.Log($"indexed {engine.AchievementCount} achievements and {engine.DemandCount} demands; matching top {k} {(parse.GetValue(direction) == "both" ? (derived ? "both ways, achievements' lists derived from the demands'" : "both ways") : "per demand")} ({(ranker is null ? "BM25" : "BM25 top " + engineOptions.RerankDepth + ", reranked")})");
            var withReport = !parse.GetValue(noReport);
            var queries = achievementList.Count + demandList.Count;
            if (queries >= LargeBatch && (withReport || (parse.GetValue(direction) == "both" && !derived)))
            {
                host.Log(string.Create(CultureInfo.InvariantCulture,
                    $"hint: {queries:N0} records is a large batch: --reverse derived (achievements' lists from the demands', no second pass of queries) or --direction demands (only demands as queries), and --no-report (tables only), make it much faster and smaller; see benchmarks/README.md, \"Scale\""));
            }
            using var clusterRun = cluster.Connect(parse, host, engine, parse.GetValue(model)!);
            using var progress = new ProgressLine(host.Err, "matching");
            var result = EventPlanner.Plan(engine, demandList, achievementList, eventOptions, k, capacities, new EventRunOptions
            {
                Threads = parse.GetValue(threads),
                Progress = progress,
                WithReport = withReport,
                AchievementQueries = parse.GetValue(direction) == "both",
                Reverse = derived ? ReverseLists.Derived : ReverseLists.Query,
                Runner = clusterRun?.Runner,
                Report = reportLimits.Read(parse),
            });
            progress.Finish();
            if (host.DataQuality.Count > 0)
            {
                result = result with { Report = result.Report with { DataQuality = [.. host.DataQuality] } };
            }

            var files = EventOutputWriter.Write(
                parse.GetValue(output)!,
                result,
                // Every recommendation is one of the inputs (the planner drops indexed records the inputs lack), so
                // the inputs name them all: no second copy of the records read back from the index.
                achievementList.ToDictionary(a => a.Id, StringComparer.Ordinal),
                demandList.ToDictionary(d => d.Id, StringComparer.Ordinal),
                withReport,
                reportLimits.Read(parse));
            foreach (var file in files)
            {
                host.Out.WriteLine(file);
            }

            var summary = result.Report.Summary;
            host.Log($"{summary.DemandsWithStrongMatch} of {summary.Demands} demands have a strong match (strength ≥ {summary.StrongThreshold.ToString(CultureInfo.InvariantCulture)}); {result.Report.Pairs.Count} university–enterprise pairs");
            if (result.Report.Agenda is { } agenda)
            {
                host.Log(AgendaCommand.Describe(agenda));
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>From this many records, <c>match</c> suggests <c>--direction demands</c> and <c>--no-report</c>.</summary>
    internal const int LargeBatch = 20_000;

    /// <summary>The event's engine and records: the input files (updating <c>--index</c> when given); with no input
    /// files, the records already in <c>--index</c> (never the sample event, which would be added to the user's
    /// index); with neither, the embedded sample event in memory.</summary>
    private static (MatchingEngine Engine, IReadOnlyList<Achievement> Achievements, IReadOnlyList<Demand> Demands) OpenEvent(
        string? achievementsPath, string? demandsPath, EngineOptions engineOptions, CommandHost host, Func<ReadOptions> readOptions)
    {
        if ((achievementsPath is null) != (demandsPath is null))
        {
            throw new UsageException("give both --achievements and --demands (or neither, for the sample event or the records of --index)");
        }

        if (achievementsPath is null && engineOptions.IndexPath is { } indexPath)
        {
            if (!Directory.Exists(indexPath))
            {
                throw new UsageException($"no input files and no index in {indexPath}: give --achievements and --demands to build it");
            }

            var opened = MatchingEngine.Open(engineOptions);
            host.Log($"no input files: matching the records already in the index {indexPath}");
            return (opened, opened.Achievements().ToList(), opened.Demands().ToList());
        }

        if (achievementsPath is null)
        {
            achievementsPath = CommandHost.SampleFile("achievements.csv");
            demandsPath = CommandHost.SampleFile("demands.csv");
            host.Log($"no inputs given: using the embedded sample event in {SampleEvent.Directory}");
        }

        var options = readOptions();
        var achievements = host.ReadAchievements(achievementsPath, options);
        var demands = host.ReadDemands(demandsPath!, options);
        using (new Heartbeat(host.Err, string.Create(CultureInfo.InvariantCulture, $"indexing {achievements.Count:N0} achievements and {demands.Count:N0} demands")))
        {
            return (MatchingEngine.Create(achievements, demands, engineOptions), achievements, demands);
        }
    }

    /// <summary>The exposure cap and fairness floor from the command line, over the options file's.</summary>
    private static EventOptions WithPlanningOverrides(EventOptions options, int? maxCounterparts, bool noFairnessFloor)
    {
        if (options.Agenda is not { } agenda)
        {
            return options;
        }

        if (maxCounterparts is < 0)
        {
            throw new UsageException("--max-counterparts must be 0 (no cap) or more");
        }

        return options with
        {
            Agenda = agenda with
            {
                MaxCounterparts = maxCounterparts ?? agenda.MaxCounterparts,
                FairnessFloor = agenda.FairnessFloor && !noFairnessFloor,
            },
        };
    }

    private static EventOptions WithAgendaOverrides(EventOptions options, int? slots, int? tables, int? defaultCapacity, bool noAgenda)
    {
        if (noAgenda)
        {
            return options with { Agenda = null };
        }

        if (options.Agenda is null && slots is null && tables is null && defaultCapacity is null)
        {
            return options;
        }

        var agenda = options.Agenda ?? new AgendaOptions();
        agenda = agenda with
        {
            Slots = slots ?? agenda.Slots,
            Tables = tables ?? agenda.Tables,
            DefaultCapacity = defaultCapacity ?? agenda.DefaultCapacity,
        };
        var updated = options with { Agenda = agenda };
        try
        {
            updated.Validate("command line");
        }
        catch (InputFormatException e)
        {
            throw new UsageException(e.Problem);
        }

        return updated;
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Matching.Engine;
using Matching.Retrieval;
using Orleans;
using Orleans.Runtime;

namespace Matching.Cluster;

/// <summary>How a cluster run cuts and sends its work.</summary>
public sealed record ClusterRunOptions
{
    /// <summary>Queries per batch. Default 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Batches in flight per silo (one computes while the next travels). Default 2.</summary>
    public int InFlightPerSilo { get; init; } = 2;

    /// <summary>How often the live silos are listed (new silos take work from the next listing on). Default 1 s.</summary>
    public TimeSpan DiscoveryPeriod { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the run waits with no compatible silo live before it fails. Default 20 s.</summary>
    public TimeSpan WaitForSilos { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>A batch call that takes longer fails and the silo is dropped from the run. Default 2 min. (Batches of a
    /// silo that hangs are re-run elsewhere long before: see the remarks of <see cref="ClusterQueryRunner"/>.)</summary>
    public TimeSpan BatchTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Failed calls of one batch (an error on the silo, the silo lost, a timeout), on whatever silos, after
    /// which the run stops with a <see cref="ClusterException"/> naming the batch instead of re-sending it forever.
    /// Default 4.</summary>
    public int MaxBatchFailures { get; init; } = 4;
}

/// <summary>What a cluster run did, per direction.</summary>
/// <param name="Queries">Queries run.</param>
/// <param name="Batches">Batches they were cut into.</param>
/// <param name="Attempts">Batch calls made (more than <paramref name="Batches"/> when some were re-run).</param>
/// <param name="BatchesBySilo">Accepted batches per silo.</param>
/// <param name="OverheadMilliseconds">Mean per accepted batch of round trip minus the silo's own time: serialization,
/// network and scheduling.</param>
/// <param name="Seconds">Wall-clock time of the direction.</param>
public sealed record ClusterRunStats(int Queries, int Batches, int Attempts, IReadOnlyDictionary<string, int> BatchesBySilo, double OverheadMilliseconds, double Seconds);

/// <summary>Runs a batch's queries on the live silos of an Orleans cluster: cuts them into batches, sends each to a
/// silo whose replica (index content and model hash) equals the coordinator's, re-sends the batches of a silo that
/// fails, and reassembles the lists in input order — so outputs are those of a local run.</summary>
/// <remarks>Work is pulled: every compatible silo gets <see cref="ClusterRunOptions.InFlightPerSilo"/> worker loops
/// that take the next batch as soon as they finish one, so faster silos do more, and a silo that joins mid-run gets
/// loops from the next listing on. When nothing is left to hand out, idle loops re-run the oldest batch still in
/// flight elsewhere if it has taken far longer than batches usually do (a hung or killed silo then costs one batch
/// time, not a membership timeout); the first result of a batch wins, later ones are dropped.</remarks>
public sealed class ClusterQueryRunner : IQueryRunner
{
    private readonly ClusterConnection _connection;
    private readonly ReplicaIdentity _expected;
    private readonly ClusterRunOptions _options;
    private readonly Action<string> _log;
    private readonly ConcurrentDictionary<SiloAddress, SiloState> _silos = new();
    private readonly List<ClusterRunStats> _stats = [];
    private int _listingFailures;

    /// <summary>Creates the runner.</summary>
    /// <param name="connection">A connected client of the cluster.</param>
    /// <param name="expected">The coordinator's replica identity: only silos with the same one are used.</param>
    /// <param name="options">Batch size and timings.</param>
    /// <param name="log">Where the run reports silos joining, refused or failing.</param>
    public ClusterQueryRunner(ClusterConnection connection, ReplicaIdentity expected, ClusterRunOptions options, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.InFlightPerSilo, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchFailures, 1);
        _connection = connection;
        _expected = expected;
        _options = options;
        _log = log;
    }

    /// <summary>Per direction, in the order run.</summary>
    public IReadOnlyList<ClusterRunStats> Stats
    {
        get
        {
            lock (_stats)
            {
                return [.. _stats];
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<IReadOnlyList<Candidate>> RankDemands(MatchingEngine engine, IReadOnlyList<Demand> demands, int depth, Action? onQueryDone)
    {
        ArgumentNullException.ThrowIfNull(demands);
        return Run(QueryKind.Demands, [.. demands.Select(RecordJson.Write)], [.. demands.Select(d => d.Id)], depth, onQueryDone);
    }

    /// <inheritdoc />
    public IReadOnlyList<IReadOnlyList<Candidate>> RankAchievements(MatchingEngine engine, IReadOnlyList<Achievement> achievements, int depth, Action? onQueryDone)
    {
        ArgumentNullException.ThrowIfNull(achievements);
        return Run(QueryKind.Achievements, [.. achievements.Select(RecordJson.Write)], [.. achievements.Select(a => a.Id)], depth, onQueryDone);
    }

    private IReadOnlyList<IReadOnlyList<Candidate>> Run(QueryKind kind, string[] queries, string[] ids, int depth, Action? onQueryDone) =>
        Task.Run(() => RunAsync(kind, queries, ids, depth, onQueryDone)).GetAwaiter().GetResult();

    private async Task<IReadOnlyList<IReadOnlyList<Candidate>>> RunAsync(QueryKind kind, string[] queries, string[] ids, int depth, Action? onQueryDone)
    {
        var results = new IReadOnlyList<Candidate>[queries.Length];
        if (queries.Length == 0)
        {
            return results;
        }

        var clock = Stopwatch.StartNew();
        var size = _options.BatchSize;
        var run = new RunState((queries.Length + size - 1) / size, _options.MaxBatchFailures);
        var workers = new List<Task>();
        var started = new HashSet<(SiloAddress, int)>();
        var bySilo = new ConcurrentDictionary<string, int>();
        var attempts = 0;
        double overhead = 0;

        async Task Work(SiloAddress silo, SiloState state, int epoch)
        {
            while (!run.Finished.IsCompleted && !state.Dead && state.Epoch == epoch)
            {
                var batch = run.Take(silo);
                if (batch is null)
                {
                    await Task.WhenAny(run.Finished, run.Changed(), Task.Delay(200)).ConfigureAwait(false);
                    continue;
                }

                var b = batch.Value;
                var start = b * size;
                var count = Math.Min(size, queries.Length - start);
                var request = new BatchRequest(kind, _expected.Key, depth, queries[start..(start + count)], b);
                var callClock = Stopwatch.StartNew();
                BatchResult result;
                var client = _connection.Client;
                try
                {
                    Interlocked.Increment(ref attempts);
                    result = await client.GetGrain<IReplicaGrain>(silo.ToParsableString()).Rank(request).WaitAsync(run.CallTimeout(_options.BatchTimeout)).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    // Re-queued, unless this was the batch's last allowed failure: then the run stops.
                    run.Failed(b, silo, $"on silo {silo}: {e.GetType().Name}: {FirstLine(e.Message)}");
                    if (e is TimeoutException && !run.Finished.IsCompleted)
                    {
                        // A call that outlives ten batch times was most likely lost with a killed silo or gateway
                        // (Orleans would only give up on it after its response timeout): its batch is re-queued,
                        // and a new client routes through the live gateways only. The silo is asked again at
                        // the next listing and gets new workers if it answers.
                        await _connection.ReconnectAsync(client).ConfigureAwait(false);
                    }

                    if (!run.Finished.IsCompleted && state.MarkFailed(epoch))
                    {
                        _log($"cluster: silo {silo} failed ({e.GetType().Name}: {FirstLine(e.Message)}); its unfinished batches go to the other silos");
                    }

                    return;
                }

                if (result.Refused || result.Replica != _expected.Key || result.Lists.Length != count)
                {
                    // Never use a result of another replica; drop the silo from this run.
                    run.Release(b, silo);
                    state.Refusal = $"answered as replica {result.Replica}";
                    if (state.MarkFailed(epoch))
                    {
                        _log($"cluster: silo {silo} answered as replica {result.Replica} instead of {_expected.Key}; its results are not used");
                    }

                    return;
                }

                if (run.Claim(b, silo))
                {
                    for (var i = 0; i < count; i++)
                    {
                        results[start + i] = ReplicaService.FromWire(result.Lists[i]);
                    }

                    bySilo.AddOrUpdate(silo.ToString(), 1, (_, n) => n + 1);
                    lock (run)
                    {
                        overhead += Math.Max(0, callClock.Elapsed.TotalMilliseconds - result.Milliseconds);
                    }

                    run.Done(b, callClock.Elapsed);
                    for (var i = 0; i < count; i++)
                    {
                        onQueryDone?.Invoke();
                    }
                }
                else
                {
                    run.Release(b, silo);
                }
            }
        }

        var lastLive = Stopwatch.StartNew();
        while (!run.Finished.IsCompleted)
        {
            await DiscoverAsync().ConfigureAwait(false);
            foreach (var (silo, state) in _silos)
            {
                if (state.Compatible && !state.Dead && started.Add((silo, state.Epoch)))
                {
                    var epoch = state.Epoch;
                    for (var slot = 0; slot < _options.InFlightPerSilo; slot++)
                    {
                        workers.Add(Task.Run(() => Work(silo, state, epoch)));
                    }
                }
            }

            if (_silos.Values.Any(s => s.Compatible && !s.Dead))
            {
                lastLive.Restart();
            }
            else if (lastLive.Elapsed > _options.WaitForSilos)
            {
                throw new ClusterException(NoSiloMessage());
            }

            await Task.WhenAny(run.Finished, Task.Delay(_options.DiscoveryPeriod)).ConfigureAwait(false);
        }

        if (run.GaveUp is { } failed)
        {
            var start = failed.Batch * size;
            var end = Math.Min(queries.Length, start + size) - 1;
            throw new ClusterException(string.Create(CultureInfo.InvariantCulture,
                $"batch #{failed.Batch} of the {kind.ToString().ToLowerInvariant()} ({end - start + 1} queries, {ids[start]} … {ids[end]}) failed {failed.Failures} times, the last {failed.LastError}; a batch is tried at most {_options.MaxBatchFailures} times, so the run stops (nothing is written)"));
        }

        var stats = new ClusterRunStats(queries.Length, run.Count, attempts,
            bySilo.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value),
            overhead / run.Count, clock.Elapsed.TotalSeconds);
        lock (_stats)
        {
            _stats.Add(stats);
        }

        _log(string.Create(CultureInfo.InvariantCulture,
            $"cluster: {queries.Length} {kind.ToString().ToLowerInvariant()} in {stats.Seconds:0.0} s ({queries.Length / Math.Max(0.001, stats.Seconds):0.0} /s), {run.Count} batches on {stats.BatchesBySilo.Count} silo(s) ({string.Join(", ", stats.BatchesBySilo.Select(p => $"{p.Key}: {p.Value}"))}); {attempts - run.Count} re-sent; coordination {stats.OverheadMilliseconds:0.0} ms/batch"));
        return results;
    }

    private async Task DiscoverAsync()
    {
        Dictionary<SiloAddress, SiloStatus> hosts;
        var client = _connection.Client;
        try
        {
            hosts = await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            _listingFailures = 0;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Typically every gateway this client knows is gone: a new client reads the live ones from Redis.
            if (_listingFailures++ == 0)
            {
                _log($"cluster: could not list the silos ({FirstLine(e.Message)}); reconnecting");
            }

            await _connection.ReconnectAsync(client).ConfigureAwait(false);
            return;
        }

        var describing = new List<Task>();
        foreach (var silo in hosts.Keys)
        {
            var state = _silos.GetOrAdd(silo, _ => new SiloState());
            // A silo whose call failed is asked again while it is listed: the failure may have been this client's
            // (its gateway died), not the silo's. A dead one stops being listed once the membership evicts it.
            if (state.Dead && state.Refusal is null && state.FailedFor > TimeSpan.FromSeconds(2))
            {
                state.Revive();
            }

            if (state.Identity is not null || state.Dead)
            {
                continue;
            }

            describing.Add(DescribeAsync(silo, state));
        }

        await Task.WhenAll(describing).ConfigureAwait(false);
    }

    private async Task DescribeAsync(SiloAddress silo, SiloState state)
    {
        try
        {
            var identity = await _connection.Client.GetGrain<IReplicaGrain>(silo.ToParsableString()).Describe().WaitAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
            state.Identity = identity;
            if (identity.Key == _expected.Key)
            {
                state.Compatible = true;
                _log($"cluster: silo {silo} joined the run ({identity})");
            }
            else
            {
                state.Refusal = Replicas.Difference(_expected, identity);
                _log($"cluster: refusing silo {silo}: {state.Refusal}");
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not (or no longer) a Matching silo, or gone: asked again at the next listing while it is listed.
            state.Failures++;
            if (state.Failures == 1)
            {
                _log($"cluster: silo {silo} does not answer ({e.GetType().Name}: {FirstLine(e.Message)})");
            }
        }
    }

    private string NoSiloMessage()
    {
        var refused = _silos.Where(p => p.Value.Refusal is not null).Select(p => $"{p.Key} ({p.Value.Refusal})").ToList();
        return $"no silo serving this run's replica ({_expected}) is live after waiting {_options.WaitForSilos.TotalSeconds:0} s" +
            (refused.Count > 0 ? "; refused: " + string.Join("; ", refused) : "") +
            "; start silos with `matching silo --index DIR` on an index built from the same inputs (and the same --model)";
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }

    /// <summary>One silo as this coordinator sees it.</summary>
    private sealed class SiloState
    {
        private int _dead;
        private int _epoch;
        private long _failedAt;

        public ReplicaIdentity? Identity { get; set; }

        public int Epoch => Volatile.Read(ref _epoch);

        public TimeSpan FailedFor => Stopwatch.GetElapsedTime(Interlocked.Read(ref _failedAt));

        public bool Compatible { get; set; }

        public string? Refusal { get; set; }

        public int Failures { get; set; }

        public bool Dead => Volatile.Read(ref _dead) == 1;

        /// <summary>True for the caller that marked it (so the failure is logged once per epoch).</summary>
        public bool MarkFailed(int epoch)
        {
            lock (this)
            {
                if (epoch != _epoch || _dead == 1)
                {
                    return false;
                }

                _dead = 1;
                _failedAt = Stopwatch.GetTimestamp();
                return true;
            }
        }

        /// <summary>Asks the silo again at the next listing (new workers get a new epoch).</summary>
        public void Revive()
        {
            lock (this)
            {
                _epoch++;
                Identity = null;
                Compatible = false;
                _dead = 0;
            }
        }
    }

    /// <summary>The batches of one direction: pending, in flight (where, since when), failed calls, done.</summary>
    private sealed class RunState
    {
        private readonly Queue<int> _pending = new();
        private readonly int _maxFailures;
        private readonly int[] _failures;
        private readonly bool[] _done;
        private readonly DateTime?[] _started;
        private readonly List<SiloAddress>[] _runningOn;
        private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _remaining;
        private double _doneSeconds;
        private int _doneCount;

        public RunState(int count, int maxFailures)
        {
            Count = count;
            _maxFailures = maxFailures;
            _failures = new int[count];
            _done = new bool[count];
            _started = new DateTime?[count];
            _runningOn = new List<SiloAddress>[count];
            for (var b = 0; b < count; b++)
            {
                _pending.Enqueue(b);
                _runningOn[b] = [];
            }

            _remaining = count;
        }

        public int Count { get; }

        /// <summary>Finished: every batch done, or <see cref="GaveUp"/> set.</summary>
        public Task Finished => _finished.Task;

        /// <summary>The batch that failed <c>maxFailures</c> times, which ended the run; null while none has.</summary>
        public (int Batch, int Failures, string LastError)? GaveUp { get; private set; }

        /// <summary>How long a batch call may take: ten times the mean batch time so far, at least 10 s, at most
        /// <paramref name="max"/> (which also applies before any batch is done).</summary>
        public TimeSpan CallTimeout(TimeSpan max)
        {
            lock (this)
            {
                return _doneCount == 0 ? max : TimeSpan.FromSeconds(Math.Min(max.TotalSeconds, Math.Max(10, 10 * _doneSeconds / _doneCount)));
            }
        }

        public Task Changed()
        {
            lock (this)
            {
                return _changed.Task;
            }
        }

        /// <summary>The next pending batch; else a straggler to re-run (in flight elsewhere for more than three
        /// times the mean batch time, and at least a second); else null.</summary>
        public int? Take(SiloAddress silo)
        {
            lock (this)
            {
                while (_pending.Count > 0)
                {
                    var b = _pending.Dequeue();
                    if (!_done[b])
                    {
                        Start(b, silo);
                        return b;
                    }
                }

                if (_doneCount == 0)
                {
                    return null;
                }

                var threshold = TimeSpan.FromSeconds(Math.Max(1, 3 * _doneSeconds / _doneCount));
                var now = DateTime.UtcNow;
                int? oldest = null;
                for (var b = 0; b < Count; b++)
                {
                    if (!_done[b] && _started[b] is { } t && now - t > threshold && !_runningOn[b].Contains(silo) &&
                        (oldest is null || t < _started[oldest.Value]))
                    {
                        oldest = b;
                    }
                }

                if (oldest is { } straggler)
                {
                    Start(straggler, silo);
                }

                return oldest;
            }
        }

        /// <summary>True for the first result of a batch (which the caller then stores).</summary>
        public bool Claim(int b, SiloAddress silo)
        {
            lock (this)
            {
                _runningOn[b].Remove(silo);
                if (_done[b])
                {
                    return false;
                }

                _done[b] = true;
                return true;
            }
        }

        public void Done(int b, TimeSpan took)
        {
            lock (this)
            {
                _doneSeconds += took.TotalSeconds;
                _doneCount++;
                _remaining--;
                Signal();
                if (_remaining == 0)
                {
                    _finished.TrySetResult();
                }
            }
        }

        /// <summary>A failed call: counted against the batch, which then goes back to the queue like a released one, or,
        /// at its last allowed failure, ends the run.</summary>
        public void Failed(int b, SiloAddress silo, string error)
        {
            lock (this)
            {
                if (!_done[b] && ++_failures[b] >= _maxFailures && GaveUp is null)
                {
                    GaveUp = (b, _failures[b], error);
                    _finished.TrySetResult();
                }

                Release(b, silo);
            }
        }

        /// <summary>A failed or dropped attempt: the batch goes back to the queue unless it is done or running elsewhere.</summary>
        public void Release(int b, SiloAddress silo)
        {
            lock (this)
            {
                _runningOn[b].Remove(silo);
                if (!_done[b] && _runningOn[b].Count == 0)
                {
                    _started[b] = null;
                    _pending.Enqueue(b);
                    Signal();
                }
            }
        }

        private void Start(int b, SiloAddress silo)
        {
            _runningOn[b].Add(silo);
            _started[b] ??= DateTime.UtcNow;
        }

        private void Signal()
        {
            var changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            changed.TrySetResult();
        }
    }
}

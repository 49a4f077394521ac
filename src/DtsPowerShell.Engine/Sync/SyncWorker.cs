using System.Threading.Channels;
using DtsPowerShell.Engine.Apply;
using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Changes;
using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Schema;
using DtsPowerShell.Engine.Selection;
using DtsPowerShell.Engine.Snapshot;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace DtsPowerShell.Engine.Sync;

/// <summary>
/// Runs one job to the end: schema initialisation, data initialisation, then the binlog applied for as long as it
/// runs. Where it stands lives on the target (<see cref="CheckpointStore"/>), so a run that was killed at any instant
/// goes on from there. Transient failures (a server restarting, a dropped link) are retried with back-off; anything
/// else stops the job as Failed with what happened.
/// </summary>
public sealed class SyncWorker(SyncJob job, ConnectionSettings source, ConnectionSettings target, SyncWorkerOptions options, ILogger log)
{
    private readonly CheckpointStore checkpoints = new(job.Id);
    private readonly SchemaStore schemas = new(job.Id);
    private volatile bool stopRequested;
    private int consecutiveFailures;
    private readonly CancellationTokenSource stopping = new();
    private OriginMarker? origin;
    private string targetServer = "";
    private readonly ServerWatch sourceWatch = new("source", source, log);
    private readonly ServerWatch targetWatch = new("target", target, log);

    public SyncProgress Progress { get; } = new();

    public SyncJobState State { get; private set; } = SyncJobState.Starting;

    /// <summary>What stopped the job, or the transient failure it is retrying after.</summary>
    public string? LastError { get; private set; }

    /// <summary>Which server has stopped answering and for how long, or null while both answer (the run waits for it meanwhile).</summary>
    public string? Unanswered => sourceWatch.Describe() ?? targetWatch.Describe();

    /// <summary>Transient failures retried since the run began.</summary>
    public int Retries { get; private set; }

    /// <summary>Whether the initial sync is finished (progress is then 100).</summary>
    public bool InitialSyncDone { get; private set; }

    /// <summary>Asks the run to stop at the next transaction boundary (between chunks while copying).</summary>
    public void RequestStop()
    {
        stopRequested = true;
        stopping.Cancel();
    }

    /// <summary>Runs until stopped (returns <see cref="SyncJobState.Stopped"/>) or failed (<see cref="SyncJobState.Failed"/>).</summary>
    public async Task<SyncJobState> RunAsync(CancellationToken cancellationToken)
    {
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watches = Task.WhenAll(sourceWatch.RunAsync(watching.Token), targetWatch.RunAsync(watching.Token));
        try
        {
            return await RunUntilEndAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await watching.CancelAsync().ConfigureAwait(false);
            await watches.ConfigureAwait(false);
        }
    }

    private async Task<SyncJobState> RunUntilEndAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await RunOnceAsync(cancellationToken).ConfigureAwait(false);
                State = SyncJobState.Stopped;
                LastError = null;
                return State;
            }
            catch (Exception e) when ((stopRequested || cancellationToken.IsCancellationRequested) && (e is OperationCanceledException || TransientErrors.IsTransient(e)))
            {
                State = SyncJobState.Stopped;
                return State;
            }
            catch (Exception e) when (TransientErrors.IsTransient(e))
            {
                var failures = ++consecutiveFailures;
                Retries++;
                var delay = TimeSpan.FromMilliseconds(Math.Min(options.MaxRetryDelay.TotalMilliseconds, 500 * Math.Pow(2, Math.Min(failures - 1, 10))));
                LastError = $"Retrying in {delay.TotalSeconds:0.#} s (attempt {failures}): {e.Message}";
                log.LogWarning(e, "Transient failure; retrying in {Delay} s (attempt {Attempt}).", delay.TotalSeconds, failures);
                try
                {
                    await Task.Delay(delay, stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    State = SyncJobState.Stopped;
                    return State;
                }
            }
            catch (Exception e)
            {
                State = SyncJobState.Failed;
                LastError = Describe(e);
                log.LogError(e, "The job failed: {Error}", LastError);
                return State;
            }
        }
    }

    private async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping.Token);
        var token = linked.Token;
        await using var sourceConnection = await MySqlConnectionFactory.OpenForSyncAsync(source, options.Timeout, token).ConfigureAwait(false);
        await using var targetConnection = await MySqlConnectionFactory.OpenForSyncAsync(target, options.Timeout, token).ConfigureAwait(false);
        await CheckpointStore.CreateAsync(targetConnection, token).ConfigureAwait(false);
        await SchemaStore.CreateAsync(targetConnection, token).ConfigureAwait(false);
        await DdlJournal.CreateAsync(targetConnection, token).ConfigureAwait(false);
        await OriginMarker.CreateAsync(targetConnection, token).ConfigureAwait(false);
        await LockJobAsync(targetConnection, token).ConfigureAwait(false);
        await NameServersAsync(sourceConnection, targetConnection, token).ConfigureAwait(false);
        var checkpoint = await checkpoints.ReadAsync(targetConnection, token).ConfigureAwait(false);
        var resync = checkpoint?.Phase == SyncPhase.Resync;
        if (resync)
        {
            log.LogInformation("Job {Id} starts over (Start-DtsSync -Resync): its schema is read and every table copied from a new snapshot.", job.Id);
            checkpoint = null;
        }

        var stored = checkpoint is null ? null : await schemas.LoadAsync(targetConnection, token).ConfigureAwait(false);
        SchemaTracker tracker;
        if (checkpoint is not null && stored is not null)
        {
            tracker = new SchemaTracker(stored);
        }
        else
        {
            // The schema rows are decoded with starts as the source has it now; from here on, only its DDL changes it.
            if (checkpoint is not null)
            {
                log.LogWarning("Job {Id} has no tracked schema (an earlier version created it): it is read from the source now, so DDL run since the job's position is not reflected in it.", job.Id);
            }

            (tracker, var position) = await CaptureAsync(sourceConnection, job.Selection, needPosition: checkpoint is null && (resync || job.StartPosition is null), token).ConfigureAwait(false);
            await schemas.SaveCaptureAsync(targetConnection, tracker.Tables, token).ConfigureAwait(false);
            checkpoint ??= await FirstCheckpointAsync(sourceConnection, targetConnection, tracker, position, resync, token).ConfigureAwait(false);
        }

        var held = await checkpoints.ReadObjectsAsync(targetConnection, token).ConfigureAwait(false);
        if (held is null)
        {
            await checkpoints.WriteObjectsAsync(targetConnection, null, job.Selection, token).ConfigureAwait(false);
        }
        else if (SelectionChange.Between(held, job.Selection) is { IsNone: false } change)
        {
            if (checkpoint.Phase != SyncPhase.Incremental)
            {
                throw new SyncStoppedException($"The objects of job {job.Id} were changed before its initial sync was done ({string.Join(", ", held)} on the target, {string.Join(", ", job.Selection.Objects)} now). Start-DtsSync -Resync copies the job's tables again, as it names them now, from a new snapshot.");
            }

            if (await ChangeObjectsAsync(sourceConnection, targetConnection, tracker, checkpoint, change, token).ConfigureAwait(false) is not { } changed)
            {
                return;
            }

            (tracker, checkpoint) = changed;
        }

        var tables = tracker.Tables.Select(t => t.Schema).ToList();
        var targets = tables.ToDictionary(t => (t.Database, t.Name), t => new TargetTable(t, job.NameMapping));

        if (checkpoint.Phase == SyncPhase.Schema)
        {
            State = SyncJobState.InitializingSchema;
            await using (var schemaConnection = await MySqlConnectionFactory.OpenForSyncAsync(target, options.Timeout, token).ConfigureAwait(false))
            {
                await new SchemaInitializer(sourceConnection, schemaConnection, job.Selection, job.NameMapping, log).CreateTablesAsync(tracker.Tables.ToList(), token).ConfigureAwait(false);
            }

            Failpoint.Hit("schema-init");
            checkpoint = checkpoint with { Phase = SyncPhase.Data };
            await checkpoints.WriteAsync(targetConnection, null, checkpoint, token).ConfigureAwait(false);
        }

        if (checkpoint.Phase == SyncPhase.Data)
        {
            // The binlog is followed from where the schema was read (a job of an earlier version: from its oldest copy).
            var copied = await CopyDataAsync(targetConnection, sourceConnection, tracker, tables, targets, positioned: checkpoint.Position is not null, token).ConfigureAwait(false);
            var start = checkpoint.Position ?? copied;
            if (job.InitialSync.HasFlag(InitialSync.Schema))
            {
                await using var schemaConnection = await MySqlConnectionFactory.OpenForSyncAsync(target, options.Timeout, token).ConfigureAwait(false);
                await new SchemaInitializer(sourceConnection, schemaConnection, job.Selection, job.NameMapping, log).CreateTriggersAsync(token).ConfigureAwait(false);
            }

            checkpoint = new Checkpoint(SyncPhase.Incremental, start);
            await checkpoints.WriteAsync(targetConnection, null, checkpoint, token).ConfigureAwait(false);
        }

        InitialSyncDone = true;
        State = SyncJobState.Synchronizing;
        LastError = null;
        consecutiveFailures = 0;
        if (options.StopWhenSynchronizing)
        {
            Progress.Position = checkpoint.Position;
            return;
        }

        Progress.Position ??= checkpoint.Position;
        await StreamAsync(sourceConnection, targetConnection, tracker, checkpoint.Position!, job.Selection, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Brings the target from the objects it holds to those the job names now (Set-DtsSyncJob changed them while it was
    /// stopped). Removed tables stop being followed at the checkpoint. Added ones are read from the source with a position
    /// P they hold at; the kept ones are first synced up to P, as before the change; then the added tables are created,
    /// tracked as of P and marked to be copied (each from a snapshot of its own, its changes before that skipped), in one
    /// transaction with the checkpoint at P: from there the job follows all it names, as after a resync of those tables.
    /// </summary>
    /// <returns>The tracked tables and checkpoint after the change; null when a stop came first (the next start does it again).</returns>
    private async Task<(SchemaTracker Tracker, Checkpoint Checkpoint)?> ChangeObjectsAsync(
        MySqlConnection sourceConnection, MySqlConnection targetConnection, SchemaTracker tracker, Checkpoint checkpoint, SelectionChange change, CancellationToken cancellationToken)
    {
        log.LogInformation("The job's objects changed: {Added} added, {Removed} removed.", change.Added.Count == 0 ? "none" : string.Join(", ", change.Added), change.Removed.Count == 0 ? "none" : string.Join(", ", change.Removed));
        var removed = tracker.Tables.Where(t => !change.Keeps(t.Schema.Database, t.Schema.Name)).ToList();
        var kept = new SchemaTracker(tracker.Tables.Where(t => change.Keeps(t.Schema.Database, t.Schema.Name)).ToList());
        var position = checkpoint.Position!;
        var added = new List<TrackedTable>();
        if (change.Added.Count > 0)
        {
            var (capture, at) = await CaptureAsync(sourceConnection, new ObjectSelection(change.Added), needPosition: true, cancellationToken).ConfigureAwait(false);
            added.AddRange(capture.Tables.Where(t => change.Brings(t.Schema.Database, t.Schema.Name)));
            if (change.Kept.Count > 0)
            {
                log.LogInformation("Syncing the objects it kept up to {Position}, where the added ones join.", at);
                await StreamAsync(sourceConnection, targetConnection, kept, position, new ObjectSelection(change.Kept), at!, cancellationToken).ConfigureAwait(false);
                if (stopRequested)
                {
                    return null;
                }
            }

            position = at!;
            if (job.InitialSync.HasFlag(InitialSync.Schema) && added.Count > 0)
            {
                await using var schemaConnection = await MySqlConnectionFactory.OpenForSyncAsync(target, options.Timeout, cancellationToken).ConfigureAwait(false);
                await new SchemaInitializer(sourceConnection, schemaConnection, new ObjectSelection(change.Added), job.NameMapping, log).CreateTablesAsync(added, cancellationToken).ConfigureAwait(false);
            }
        }

        var copying = added.Count > 0 && job.InitialSync.HasFlag(InitialSync.Data);
        var next = new Checkpoint(copying ? SyncPhase.Data : SyncPhase.Incremental, position);
        await using (var transaction = await targetConnection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            var schemaChanges = removed.ToDictionary(t => (t.Schema.Database, t.Schema.Name), _ => (TrackedTable?)null);
            foreach (var table in added)
            {
                schemaChanges[(table.Schema.Database, table.Schema.Name)] = table;
            }

            await schemas.SaveAsync(targetConnection, transaction, schemaChanges, cancellationToken).ConfigureAwait(false);
            foreach (var table in removed)
            {
                await checkpoints.DeleteTableAsync(targetConnection, transaction, table.Schema.Database, table.Schema.Name, cancellationToken).ConfigureAwait(false);
            }

            foreach (var table in added)
            {
                var (database, name) = (table.Schema.Database, table.Schema.Name);
                await checkpoints.WriteTableAsync(targetConnection, transaction, copying ? TableCopyState.ToCopy(database, name, position) : TableCopyState.Copied(database, name, position), cancellationToken).ConfigureAwait(false);
            }

            await checkpoints.WriteObjectsAsync(targetConnection, transaction, job.Selection, cancellationToken).ConfigureAwait(false);
            await checkpoints.WriteAsync(targetConnection, transaction, next, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        log.LogInformation("The job now follows {Count} tables from {Position}; {Copied} added tables to copy.", kept.Tables.Count + added.Count, position, copying ? added.Count : 0);
        return (new SchemaTracker([.. kept.Tables, .. added]), next);
    }

    /// <summary>
    /// The selected tables as the source has them now; with <paramref name="needPosition"/>, also the binlog position
    /// they hold at: read between two captures that agree, so no DDL falls between the schema and the position.
    /// </summary>
    private static async Task<(SchemaTracker Tracker, BinlogPosition? Position)> CaptureAsync(MySqlConnection sourceConnection, ObjectSelection selection, bool needPosition, CancellationToken cancellationToken)
    {
        var tracker = await SchemaTracker.CaptureAsync(sourceConnection, selection, cancellationToken).ConfigureAwait(false);
        while (needPosition)
        {
            var position = await SnapshotPosition.CurrentAsync(sourceConnection, cancellationToken).ConfigureAwait(false);
            var again = await SchemaTracker.CaptureAsync(sourceConnection, selection, cancellationToken).ConfigureAwait(false);
            if (again.Tables.Select(t => t.CreateStatement).SequenceEqual(tracker.Tables.Select(t => t.CreateStatement)))
            {
                return (again, position);
            }

            tracker = again;
        }

        return (tracker, null);
    }

    /// <summary>
    /// Where a new job (or one started over) begins: its schema, its copy, or the binlog. A job started over copies
    /// every table whatever its initial sync: each is marked to be copied.
    /// </summary>
    private async Task<Checkpoint> FirstCheckpointAsync(MySqlConnection sourceConnection, MySqlConnection targetConnection, SchemaTracker tracker, BinlogPosition? position, bool resync, CancellationToken cancellationToken)
    {
        Checkpoint checkpoint;
        if (resync)
        {
            // Every table marked to be copied, with the checkpoint, at once: a kill in between must not leave some unmarked.
            checkpoint = new Checkpoint(job.InitialSync.HasFlag(InitialSync.Schema) ? SyncPhase.Schema : SyncPhase.Data, position);
            await using var transaction = await targetConnection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            foreach (var table in tracker.Tables)
            {
                await checkpoints.WriteTableAsync(targetConnection, transaction, TableCopyState.ToCopy(table.Schema.Database, table.Schema.Name, position!), cancellationToken).ConfigureAwait(false);
            }

            await checkpoints.WriteAsync(targetConnection, transaction, checkpoint, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return checkpoint;
        }

        if (job.InitialSync.HasFlag(InitialSync.Schema))
        {
            checkpoint = new Checkpoint(SyncPhase.Schema, position);
        }
        else if (job.InitialSync.HasFlag(InitialSync.Data))
        {
            checkpoint = new Checkpoint(SyncPhase.Data, position);
        }
        else
        {
            var start = job.StartPosition is { } given ? ToPosition(BinlogStart.Parse(given)) : position ?? await SnapshotPosition.CurrentAsync(sourceConnection, cancellationToken).ConfigureAwait(false);
            checkpoint = new Checkpoint(SyncPhase.Incremental, start);
        }

        await checkpoints.WriteAsync(targetConnection, null, checkpoint, cancellationToken).ConfigureAwait(false);
        return checkpoint;
    }

    /// <summary>
    /// Holds the job's lock on the target for as long as this connection lives: a second worker of the same job (two
    /// starts at once) would apply the same changes again. A killed worker's connection, and its lock, go with it.
    /// </summary>
    private async Task LockJobAsync(MySqlConnection targetConnection, CancellationToken cancellationToken)
    {
        // GET_LOCK answers 1 (taken), 0 (held by another connection) or NULL (an error).
        var taken = await targetConnection.ScalarAsync("SELECT GET_LOCK(@name, 0)", cancellationToken, ("@name", $"dts-job-{job.Id}")).ConfigureAwait(false);
        if (taken is null or DBNull || Convert.ToInt64(taken, System.Globalization.CultureInfo.InvariantCulture) != 1)
        {
            throw new SyncStoppedException($"Another worker already runs job {job.Id} against this target (it holds the lock dts-job-{job.Id}); this one stops without changing anything. Stop-DtsSync stops the other.");
        }
    }

    /// <summary>Names both servers: the job marks its writes with its source's name, and leaves out what its target's name marks.</summary>
    private async Task NameServersAsync(MySqlConnection sourceConnection, MySqlConnection targetConnection, CancellationToken cancellationToken)
    {
        var sourceName = await OriginMarker.ServerNameAsync(sourceConnection, cancellationToken).ConfigureAwait(false);
        targetServer = await OriginMarker.ServerNameAsync(targetConnection, cancellationToken).ConfigureAwait(false);
        origin = new OriginMarker(job.Id, sourceName);
        if (string.Equals(sourceName, targetServer, StringComparison.OrdinalIgnoreCase))
        {
            log.LogWarning("The source and the target both call themselves {Name} (host name and port): if another job syncs the other way, its changes cannot be told from this job's and are left out.", sourceName);
        }
    }

    /// <summary>MariaDB's GTID state at a file position (BINLOG_GTID_POS), so the status shows every domain from the start; null elsewhere.</summary>
    private async Task<string?> GtidAtAsync(BinlogPosition position, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await MySqlConnectionFactory.OpenForSyncAsync(source, options.Timeout, cancellationToken).ConfigureAwait(false);
            if (!ServerVersion.Parse(connection.ServerVersion).IsMariaDb)
            {
                return null;
            }

            return await connection.ScalarAsync("SELECT BINLOG_GTID_POS(@file, @position)", cancellationToken, ("@file", position.File), ("@position", position.Position)).ConfigureAwait(false) as string is { Length: > 0 } gtids ? gtids : null;
        }
        catch (MySqlException e) when (!TransientErrors.IsTransient(e))
        {
            log.LogDebug("No GTID state for {Position}: {Error}", position, e.Message);
            return null;
        }
    }

    private static async Task<bool> LocalInfileAsync(MySqlConnection targetConnection, CancellationToken cancellationToken)
    {
        return Convert.ToInt64(await targetConnection.ScalarAsync("SELECT @@GLOBAL.local_infile", cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    private static BinlogPosition ToPosition(BinlogStart start) => start.Position ?? new BinlogPosition("", 4, start.GtidSet);

    /// <summary>
    /// Copies the tables not copied yet and returns the oldest copy's position. With <c>positioned</c> (the tracked schema
    /// holds at the position the binlog is followed from), a table changed before its copy is copied with its new
    /// structure: the schema follows the DDL in the binlog, the target does not run it again.
    /// </summary>
    private async Task<BinlogPosition> CopyDataAsync(MySqlConnection targetConnection, MySqlConnection sourceConnection, SchemaTracker tracker, IReadOnlyList<TableSchema> tables,
        Dictionary<(string, string), TargetTable> targets, bool positioned, CancellationToken cancellationToken)
    {
        // The tables marked to be copied (a resync), and, in a job that copies its data, those not copied yet.
        var states = (await checkpoints.ReadTablesAsync(targetConnection, cancellationToken).ConfigureAwait(false)).ToDictionary(s => (s.Database, s.Table));
        var pending = tables.Where(t => states.TryGetValue((t.Database, t.Name), out var state) ? !state.Done : job.InitialSync.HasFlag(InitialSync.Data))
            .OrderByDescending(t => t.EstimatedRows).ToList();
        if (pending.Count == 0)
        {
            return states.Values.Select(s => s.From).Min() ?? await SnapshotPosition.CurrentAsync(sourceConnection, cancellationToken).ConfigureAwait(false);
        }

        State = SyncJobState.InitializingData;
        var counted = tables.Where(t => states.ContainsKey((t.Database, t.Name)) || pending.Contains(t)).ToList();
        Progress.SetTotal(counted.Sum(t => Math.Max(t.EstimatedRows, states.GetValueOrDefault((t.Database, t.Name))?.RowsCopied ?? 0)));
        Progress.SetCopied(states.Values.Sum(s => s.RowsCopied));
        var results = new System.Collections.Concurrent.ConcurrentDictionary<(string, string), TableCopyState>(states);
        var loadData = options.LoadData && await LocalInfileAsync(targetConnection, cancellationToken).ConfigureAwait(false);
        log.LogInformation("Copying {Count} tables, {Parallel} at a time, with {Method}.", pending.Count, options.CopyParallelism, loadData ? "LOAD DATA LOCAL" : "INSERT statements (the target's local_infile is off)");
        var copier = new TableCopier(source, target, checkpoints, Progress, options.Timeout, log)
        {
            ChunkRows = options.ChunkRows,
            ChunkBytes = options.ChunkBytes,
            LoadData = loadData,
            RecreateTarget = positioned && job.InitialSync.HasFlag(InitialSync.Schema) ? RecreateTargetAsync : null,
        };
        await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = options.CopyParallelism, CancellationToken = cancellationToken }, async (table, token) =>
        {
            var copy = await copier.CopyAsync(targets[(table.Database, table.Name)], tracker.Find(table.Database, table.Name)!.CreateStatement, states.GetValueOrDefault((table.Database, table.Name)), token).ConfigureAwait(false);
            results[(table.Database, table.Name)] = copy;
        }).ConfigureAwait(false);

        Progress.SetTotal(Progress.RowsCopied);
        // Incremental sync starts where the oldest copy was taken; each table skips what its own copy holds.
        return results.Values.Select(r => r.From).Min()
            ?? await SnapshotPosition.CurrentAsync(sourceConnection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates a target table again with the source's structure now (a DDL ran on it before its copy), and says how the copy writes it.</summary>
    private async Task<TargetTable> RecreateTargetAsync(TableSchema table, string create, CancellationToken cancellationToken)
    {
        await using var sourceConnection = await MySqlConnectionFactory.OpenForSyncAsync(source, options.Timeout, cancellationToken).ConfigureAwait(false);
        var schema = (await SourceSchemaReader.ReadAsync(sourceConnection, table.Database, [table.Name], cancellationToken).ConfigureAwait(false)).SingleOrDefault()
            ?? throw new SyncStoppedException($"{table} is gone from the source (dropped or renamed before its copy began). Start-DtsSync -Resync copies the job's tables again from a new snapshot.");
        await using var targetConnection = await MySqlConnectionFactory.OpenForSyncAsync(target, options.Timeout, cancellationToken).ConfigureAwait(false);
        await new SchemaInitializer(sourceConnection, targetConnection, job.Selection, job.NameMapping, log).CreateTableAsync(schema, create, replace: true, cancellationToken).ConfigureAwait(false);
        return new TargetTable(schema, job.NameMapping);
    }

    /// <summary>
    /// Follows the binlog from <paramref name="start"/> for the tables <paramref name="tracker"/> holds, as
    /// <paramref name="selection"/> chooses, until a stop request or, with <paramref name="stopBefore"/>, until every
    /// transaction that begins before it is applied.
    /// </summary>
    private async Task StreamAsync(
        MySqlConnection sourceConnection,
        MySqlConnection targetConnection,
        SchemaTracker tracker,
        BinlogPosition start,
        ObjectSelection selection,
        BinlogPosition? stopBefore,
        CancellationToken cancellationToken)
    {
        var targets = tracker.Tables.ToDictionary(t => (t.Schema.Database, t.Schema.Name), t => new TargetTable(t.Schema, job.NameMapping));
        var copies = (await checkpoints.ReadTablesAsync(targetConnection, cancellationToken).ConfigureAwait(false)).ToDictionary(c => (c.Database, c.Table));
        await using var scratchConnection = await MySqlConnectionFactory.OpenForSyncAsync(target, options.Timeout, cancellationToken).ConfigureAwait(false);
        var scratch = await ScratchDatabase.OpenAsync(scratchConnection, job.Id, cancellationToken).ConfigureAwait(false);
        // The reader's own schema, moved on by each statement as it reads it; the applier's (tracker) moves as it applies.
        var timeline = new SchemaTimeline(tracker.Tables, scratch, scratchConnection, selection, job.NameMapping);
        var binder = new TableMapBinder(timeline.SchemaOf, await SourceSchemaReader.ReadCollationIdsAsync(sourceConnection, cancellationToken).ConfigureAwait(false));
        using var streaming = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var filter = ChangeFilter.ForSelection(selection, OwnTablesRead);
        var client = new BinlogClient(source, new BinlogClientOptions { ReconnectAttempts = 0, Timeout = options.Timeout, HeartbeatPeriod = TimeSpan.FromSeconds(1), TableMapped = binder.Bind, DecodeRowsOf = filter.DecodesRowsOf }, log);
        var changes = Channel.CreateBounded<Change>(new BoundedChannelOptions(256) { SingleReader = true, SingleWriter = true });
        var binlogStart = start.File.Length == 0 && start.GtidSet is { } gtids ? BinlogStart.AtGtid(gtids) : BinlogStart.At(start with { GtidSet = start.GtidSet ?? await GtidAtAsync(start, cancellationToken).ConfigureAwait(false) });
        var reading = Task.Run(async () =>
        {
            try
            {
                await foreach (var change in ChangeStream.ReadAsync(client, binlogStart, timeline, streaming.Token).ConfigureAwait(false))
                {
                    await changes.Writer.WriteAsync(change, streaming.Token).ConfigureAwait(false);
                }

                changes.Writer.Complete();
            }
            catch (Exception e)
            {
                changes.Writer.Complete(e);
            }
        }, CancellationToken.None);
        var heartbeat = new HeartbeatWriter(source, job.Id, options.Timeout, log).RunAsync(streaming.Token);
        try
        {
            var ddl = new DdlApplier(targetConnection, job.Id, tracker, schemas, new DdlJournal(job.Id, origin), job.NameMapping, targets, log);
            await using var targetSink = new TargetSink(targetConnection, checkpoints, targets, ddl, start, Progress, options.Applier with { ConflictPolicy = job.ConflictPolicy }, origin!, log);
            // The copies' overlap first: a statement they hold and the target need not run is left out before the loop
            // guard could take its session for the other half's.
            var loopGuard = new TwoWayLoopGuard(job.Operations == SyncOperations.All ? targetSink : new OperationFilter(targetSink, job.Operations), job.Id, targetServer,
                await OriginMarker.PeerSessionsAsync(targetConnection, job.Id, cancellationToken).ConfigureAwait(false));
            targetSink.SaveWithCheckpoint(loopGuard);
            var sink = new HeartbeatMeter(new CopyOverlap(loopGuard, copies, selection.ContainsTable, start), job.Id, Progress);
            await ChangePump.RunAsync(changes.Reader, sink, start, () => stopRequested, stopBefore, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await streaming.CancelAsync().ConfigureAwait(false);
            await reading.ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
        }
    }

    /// <summary>The sync's own tables whose rows it reads back from the source's binlog: its heartbeat, and a two-way peer's origin marks and DDL journal.</summary>
    private static readonly (string, string)[] OwnTablesRead =
        [(DtsObjects.Database, DtsObjects.HeartbeatTable), (DtsObjects.Database, DtsObjects.OriginTable), (DtsObjects.Database, DtsObjects.DdlPendingTable)];

    private static string Describe(Exception error) => error switch
    {
        SyncStoppedException or SchemaMismatchException or BinlogUnavailableException => error.Message,
        InvalidDataException => $"A binlog event could not be decoded: {error.Message} Report this with the binlog file; Start-DtsSync -Resync copies the job's tables again from a new snapshot, past it.",
        MySqlException { Data: var data } mySql when data[DdlApplier.StatementKey] is string statement =>
            $"The target refused a DDL statement from the source ({mySql.Number}: {mySql.Message}): {statement}. Bring the target's objects to what the source had before this statement, then start the job again: it runs the statement again. Or Start-DtsSync -Resync copies the job's tables again from a new snapshot.",
        MySqlException mySql => $"The server refused a statement ({mySql.Number}): {mySql.Message}",
        _ => $"{error.GetType().Name}: {error.Message}",
    };
}

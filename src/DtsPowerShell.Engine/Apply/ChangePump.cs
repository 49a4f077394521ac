using System.Threading.Channels;
using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Changes;

namespace DtsPowerShell.Engine.Apply;

/// <summary>Hands a change stream, as the reader queues it, to a sink: one transaction after another, flushing whenever the queue runs dry at a boundary.</summary>
public static class ChangePump
{
    private static readonly TimeSpan WaitSlice = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Runs until <paramref name="stopRequested"/> says stop (at a transaction boundary) or the stream fails; with
    /// <paramref name="stopBefore"/> (a transaction boundary), also once every transaction that begins before it is
    /// handed on: the next one begins at or after it, or the stream waits with none pending at it.
    /// </summary>
    /// <param name="changes">The reader's queue.</param>
    /// <param name="sink">Where the changes go.</param>
    /// <param name="start">Where the stream starts.</param>
    /// <param name="stopRequested">Asked at each boundary.</param>
    /// <param name="stopBefore">A position to stop at, or null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    public static async Task RunAsync(ChannelReader<Change> changes, IChangeSink sink, BinlogPosition start, Func<bool> stopRequested, BinlogPosition? stopBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(stopRequested);
        var handed = start;
        var atBoundary = true;
        while (true)
        {
            if (!changes.TryRead(out var change))
            {
                if (atBoundary)
                {
                    await sink.FlushAsync(cancellationToken).ConfigureAwait(false);
                    if (stopRequested() || (stopBefore is not null && handed.CompareTo(stopBefore) >= 0))
                    {
                        return;
                    }
                }

                await WaitAsync(changes, cancellationToken).ConfigureAwait(false);
                continue;
            }

            switch (change)
            {
                case TransactionStart begin when stopBefore is not null && begin.Position.CompareTo(stopBefore) >= 0:
                    await sink.FlushAsync(cancellationToken).ConfigureAwait(false);
                    return;
                case TransactionStart begin:
                    await sink.BeginAsync(begin.Position, cancellationToken).ConfigureAwait(false);
                    break;
                case RowChanges rows:
                    atBoundary = false;
                    await sink.RowsAsync(rows.Rows, ApplyMode.Exact, cancellationToken).ConfigureAwait(false);
                    break;
                case StatementChange statement:
                    atBoundary = false;
                    await sink.StatementAsync(statement, null, cancellationToken).ConfigureAwait(false);
                    break;
                case UnsupportedChange unsupported:
                    throw new SyncStoppedException($"The source's binlog at {handed} holds {unsupported.Reason}, which the sync cannot apply. Start-DtsSync -Resync copies the job's tables again from a new snapshot, past it.");
                case TransactionEnd end:
                    atBoundary = true;
                    handed = end.Position;
                    await sink.EndAsync(end, cancellationToken).ConfigureAwait(false);
                    if (stopRequested())
                    {
                        await sink.FlushAsync(cancellationToken).ConfigureAwait(false);
                        return;
                    }

                    break;
            }
        }
    }

    /// <summary>Waits a little for the next change, so that stop requests are seen while the source is quiet.</summary>
    private static async Task WaitAsync(ChannelReader<Change> changes, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(WaitSlice);
        try
        {
            if (!await changes.WaitToReadAsync(wait.Token).ConfigureAwait(false))
            {
                await changes.Completion.ConfigureAwait(false);
                // The source ended the dump without an error (it shut down): reconnect like after any drop.
                throw new IOException("The source ended the binlog stream.");
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }
}

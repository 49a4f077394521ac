using System.Management.Automation;
using DtsPowerShell.Engine;
using DtsPowerShell.Engine.Apply;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Schema;

namespace DtsPowerShell.Commands;

/// <summary>Writes the SQL that replays the row changes of binlog events, or with -Undo reverses them.</summary>
[Cmdlet(VerbsData.ConvertTo, "DtsSql")]
[OutputType(typeof(string))]
public sealed class ConvertToDtsSqlCommand : PSCmdlet
{
    private readonly ChangeScript script = new();
    private readonly List<List<(RowsEvent, TableSchema)>> transactions = [];
    private string? current;

    [Parameter(Mandatory = true, ValueFromPipeline = true, HelpMessage = "Events from Get-DtsBinlogEvent; those without row changes are passed over.")]
    public BinlogEventView? InputObject { get; set; }

    [Parameter(HelpMessage = "Write the statements that reverse the changes, last first, instead of those that replay them.")]
    public SwitchParameter Undo { get; set; }

    protected override void ProcessRecord()
    {
        if (InputObject is not { Event: RowsEvent rows } view)
        {
            return;
        }

        if (view.Schema is not { } schema)
        {
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException($"The columns of {rows.Table.Database}.{rows.Table.Table} at {view.Position} have no names: the binlog carries none and no schema named them."),
                "ColumnsUnnamed", ErrorCategory.InvalidData, view)
            {
                ErrorDetails = new ErrorDetails($"The columns of {rows.Table.Database}.{rows.Table.Table} at {view.Position} have no names.")
                {
                    RecommendedAction = "Read the events from the server (-Server and -Credential, or -Job), or give Get-DtsBinlogEvent -Path a -Server to name them from.",
                },
            });
            return;
        }

        // Changes of one source transaction arrive together; without a transaction mark each event is its own.
        if (view.Transaction is null || view.Transaction != current || transactions.Count == 0)
        {
            Flush();
            transactions.Add([]);
            current = view.Transaction;
        }

        transactions[^1].Add((rows, schema));
    }

    protected override void EndProcessing()
    {
        Flush();
        if (Undo)
        {
            for (var i = transactions.Count - 1; i >= 0; i--)
            {
                Write(transactions[i]);
            }
        }
    }

    /// <summary>Replaying, a transaction is written as soon as the next one begins; undoing waits for the last.</summary>
    private void Flush()
    {
        if (!Undo && transactions.Count > 0)
        {
            Write(transactions[^1]);
            transactions.Clear();
        }
    }

    private void Write(List<(RowsEvent, TableSchema)> changes)
    {
        try
        {
            WriteObject(script.Transaction(changes, Undo));
        }
        catch (DtsInputException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "PartialRowImage", ErrorCategory.InvalidData, null) { ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = e.Remedy } });
        }
    }
}

using System.Management.Automation;
using DtsPowerShell.Engine;
using DtsPowerShell.Engine.State;

namespace DtsPowerShell;

/// <summary>What every DtsPowerShell cmdlet shares: the state file, Ctrl+C as cancellation, errors with a remedy.</summary>
public abstract class DtsCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private StateStore? store;

    /// <summary>The job state file; by default $env:DTS_STATE_PATH, else DtsPowerShell/state.db in the user's local application data.</summary>
    [Parameter(HelpMessage = "Path of the job state file (default: $env:DTS_STATE_PATH, else DtsPowerShell/state.db in the user's local application data).")]
    [ValidateNotNullOrEmpty]
    public string? StatePath { get; set; }

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops early.</summary>
    protected CancellationToken CancellationToken => stopping.Token;

    protected StateStore Store
    {
        get
        {
            if (store is null)
            {
                var path = StatePaths.Resolve(StatePath is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(StatePath));
                try
                {
                    store = StateStore.Open(path);
                }
                catch (DtsInputException e)
                {
                    ThrowTerminatingError(new ErrorRecord(e, "StateFileUnavailable", ErrorCategory.ResourceUnavailable, StatePath)
                    {
                        ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = e.Remedy },
                    });
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or Microsoft.Data.Sqlite.SqliteException)
                {
                    var error = new ErrorRecord(e, "StateFileUnavailable", ErrorCategory.ResourceUnavailable, StatePath)
                    {
                        ErrorDetails = new ErrorDetails($"Cannot open the job state file '{path}': {e.Message}")
                        {
                            RecommendedAction = "Check that the folder exists and is writable by you, or give another -StatePath.",
                        },
                    };
                    ThrowTerminatingError(error);
                }
            }

            return store!;
        }
    }

    public void Dispose()
    {
        stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    protected override void StopProcessing() => stopping.Cancel();

    /// <summary>
    /// A job's stored connections, passwords decrypted; null, with the error written (or thrown, when
    /// <paramref name="terminating"/>), when the state file does not hold the job or cannot decrypt its passwords.
    /// </summary>
    protected (Engine.Connections.ConnectionSettings Source, Engine.Connections.ConnectionSettings Target)? StoredConnections(Engine.Jobs.SyncJob job, bool terminating)
    {
        ErrorRecord error;
        try
        {
            return Store.Jobs.GetConnections(job);
        }
        catch (KeyNotFoundException)
        {
            error = JobResolver.NotInStateFile(job, Store.Path);
        }
        catch (InvalidOperationException e)
        {
            error = JobResolver.CredentialsUnreadable(e, job, Store.Path);
        }

        if (terminating)
        {
            ThrowTerminatingError(error);
        }

        WriteError(error);
        return null;
    }

    private bool yesToAll;
    private bool noToAll;

    /// <summary>
    /// ShouldProcess for an act graver than the cmdlet's own ConfirmImpact (one that replaces or drops data): it also asks
    /// where $ConfirmPreference is High (the default), as a cmdlet of ConfirmImpact High would, unless -Confirm or -WhatIf
    /// was given (then ShouldProcess has decided).
    /// </summary>
    protected bool ShouldProcessHighImpact(string target, string action)
    {
        if (!ShouldProcess(target, action))
        {
            return false;
        }

        if (MyInvocation.BoundParameters.ContainsKey("Confirm") || MyInvocation.BoundParameters.ContainsKey("WhatIf"))
        {
            return true;
        }

        // ShouldProcess has asked already where the preference is Medium or lower, and nothing asks where it is None.
        var preference = Enum.TryParse<ConfirmImpact>(GetVariableValue("ConfirmPreference")?.ToString(), ignoreCase: true, out var value) ? value : ConfirmImpact.High;
        return preference != ConfirmImpact.High || ShouldContinue($"{action} on {target}?", "Confirm", ref yesToAll, ref noToAll);
    }

    protected static ErrorRecord InputError(DtsInputException error, string id, object? target) => new(error, id, ErrorCategory.InvalidArgument, target)
    {
        ErrorDetails = new ErrorDetails(error.Message) { RecommendedAction = error.Remedy },
    };
}

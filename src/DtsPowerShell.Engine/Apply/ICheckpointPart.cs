using MySqlConnector;

namespace DtsPowerShell.Engine.Apply;

/// <summary>State a decorator keeps on the target that must commit with the checkpoint it holds at.</summary>
public interface ICheckpointPart
{
    /// <summary>Whether it changed since it was last saved.</summary>
    bool Changed { get; }

    /// <summary>Writes it in the transaction that moves the checkpoint.</summary>
    Task SaveAsync(MySqlConnection target, MySqlTransaction transaction, CancellationToken cancellationToken);
}

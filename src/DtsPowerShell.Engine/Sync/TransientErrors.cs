using System.Net.Sockets;
using DtsPowerShell.Engine.Protocol;
using MySqlConnector;

namespace DtsPowerShell.Engine.Sync;

/// <summary>Which failures the worker waits out and retries (a server away or restarting, a dropped link) and which stop the job.</summary>
internal static class TransientErrors
{
    private static readonly HashSet<int> ServerCodes =
    [
        1040, // too many connections
        1053, // server shutdown in progress
        1205, // lock wait timeout
        1213, // deadlock
        1927, // connection killed
        2002, 2003, 2006, 2013, // cannot connect, gone away, lost connection
        4031, // disconnected by the server for inactivity
    ];

    public static bool IsTransient(Exception error) => error switch
    {
        AggregateException aggregate => aggregate.InnerExceptions.All(IsTransient),
        // "Failed to read the result set" and its kind carry the dropped link as the inner exception.
        MySqlException mySql => mySql.IsTransient || ServerCodes.Contains(mySql.Number) || mySql.ErrorCode is MySqlErrorCode.UnableToConnectToHost or MySqlErrorCode.CommandTimeoutExpired
            || (mySql.InnerException is { } cause && IsTransient(cause)),
        MySqlServerException server => ServerCodes.Contains(server.ErrorCode),
        IOException or SocketException or TimeoutException or EndOfStreamException => true,
        _ when error.InnerException is { } inner => IsTransient(inner),
        _ => false,
    };
}

using System.Text;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Protocol;

namespace DtsPowerShell.Engine.Binlog;

/// <summary>Parses QUERY events and the status variables that matter for replaying them.</summary>
internal static class QueryParser
{
    public static QueryEvent Parse(BinlogEventHeader header, ReadOnlySpan<byte> body, int postHeaderLength, bool compressed = false)
    {
        var reader = new SpanReader(body);
        var threadId = reader.ReadUInt32();
        var seconds = reader.ReadUInt32();
        var databaseLength = reader.ReadByte();
        var errorCode = reader.ReadUInt16();
        var statusLength = postHeaderLength >= 13 ? reader.ReadUInt16() : 0;
        reader.Offset = postHeaderLength;
        var status = new SpanReader(reader.ReadBytes(statusLength));
        var database = Encoding.UTF8.GetString(reader.ReadBytes(databaseLength));
        reader.Skip(1);
        ReadOnlySpan<byte> queryBytes = compressed ? MariaDbCompression.DecompressEvent(reader.Rest) : reader.Rest;

        ulong? sqlMode = null;
        ushort? charsetClient = null, collationConnection = null, collationServer = null;
        string? timeZone = null;
        while (!status.AtEnd)
        {
            switch (status.ReadByte())
            {
                case 0: status.Skip(4); break;                              // flags2
                case 1: sqlMode = status.ReadUInt64(); break;
                case 2: status.Skip(status.ReadByte() + 1); break;          // catalog, NUL-terminated
                case 3: status.Skip(4); break;                              // auto_increment increment and offset
                case 4:
                    charsetClient = status.ReadUInt16();
                    collationConnection = status.ReadUInt16();
                    collationServer = status.ReadUInt16();
                    break;
                case 5: timeZone = status.ReadString(status.ReadByte()); break;
                case 6: status.Skip(status.ReadByte()); break;              // catalog
                case 7: status.Skip(2); break;                              // lc_time_names
                case 8: status.Skip(2); break;                              // collation_database
                case 9: status.Skip(8); break;                              // table_map_for_update
                case 10: status.Skip(4); break;                             // master_data_written
                case 11: status.Skip(status.ReadByte()); status.Skip(status.ReadByte()); break; // invoker user, host
                case 12:                                                    // updated databases
                    var count = status.ReadByte();
                    for (var i = 0; i < count && count != 254; i++)
                    {
                        status.ReadNullTerminated();
                    }

                    break;
                case 13: status.Skip(3); break;                             // microseconds
                case 16: status.Skip(1); break;                             // explicit_defaults_for_timestamp
                case 17: status.Skip(8); break;                             // ddl_xid
                case 18: status.Skip(2); break;                             // default_collation_for_utf8mb4
                case 19: status.Skip(1); break;                             // sql_require_primary_key
                case 20: status.Skip(1); break;                             // default_table_encryption
                case 128: status.Skip(3); break;                            // MariaDB: hrnow
                case 129: status.Skip(8); break;                            // MariaDB: xid
                default:
                    // An unknown variable's length is unknown: the rest cannot be read, and is not needed.
                    status.Offset = statusLength;
                    break;
            }
        }

        // The text is in the client's character set (a latin1 client's DDL carries latin1 labels and defaults).
        var query = (charsetClient is { } client && Columns.CharacterSets.ForCollation(client) is { } encoding ? encoding : Encoding.UTF8).GetString(queryBytes);
        return new QueryEvent(header, threadId, seconds, errorCode, database, query, sqlMode, charsetClient, collationConnection, collationServer, timeZone);
    }
}

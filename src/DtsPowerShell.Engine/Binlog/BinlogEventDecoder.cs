using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Protocol;

namespace DtsPowerShell.Engine.Binlog;

/// <summary>
/// Turns the bytes of one event (header included) into an event record. It keeps what later events depend
/// on: the format description in force (header length, checksum) and the table maps by id. CRC32 checksums
/// are verified when the stream carries them. Malformed input throws <see cref="InvalidDataException"/>.
/// </summary>
public sealed class BinlogEventDecoder
{
    private const int HeaderLength = 19;
    // Pre-GA rows events (MySQL 5.1 betas, types 20-22) hold rows in the storage engine's record format, which
    // cannot be read without the table's definition: they are not here and pass on undecoded.
    private static readonly RowsEventFormat?[] RowsEventTypes = RowsEventTypesByCode(new()
    {
        [BinlogEventType.WriteRowsV1] = new(RowsEventKind.Insert, Version2: false),
        [BinlogEventType.UpdateRowsV1] = new(RowsEventKind.Update, Version2: false),
        [BinlogEventType.DeleteRowsV1] = new(RowsEventKind.Delete, Version2: false),
        [BinlogEventType.WriteRowsV2] = new(RowsEventKind.Insert, Version2: true),
        [BinlogEventType.UpdateRowsV2] = new(RowsEventKind.Update, Version2: true),
        [BinlogEventType.DeleteRowsV2] = new(RowsEventKind.Delete, Version2: true),
        [BinlogEventType.PartialUpdateRows] = new(RowsEventKind.Update, Version2: true, PartialJson: true),
        [BinlogEventType.MariaWriteRowsCompressedV1] = new(RowsEventKind.Insert, Version2: false, Compressed: true),
        [BinlogEventType.MariaUpdateRowsCompressedV1] = new(RowsEventKind.Update, Version2: false, Compressed: true),
        [BinlogEventType.MariaDeleteRowsCompressedV1] = new(RowsEventKind.Delete, Version2: false, Compressed: true),
        [BinlogEventType.MariaWriteRowsCompressed] = new(RowsEventKind.Insert, Version2: true, Compressed: true),
        [BinlogEventType.MariaUpdateRowsCompressed] = new(RowsEventKind.Update, Version2: true, Compressed: true),
        [BinlogEventType.MariaDeleteRowsCompressed] = new(RowsEventKind.Delete, Version2: true, Compressed: true),
    });

    private readonly Dictionary<ulong, TableMapEvent> tables = [];
    private readonly Dictionary<ulong, byte[]> tableMapBodies = [];

    public FormatDescription Format { get; private set; } = FormatDescription.Default;

    /// <summary>When false, checksums are stripped but not compared.</summary>
    public bool VerifyChecksums { get; set; } = true;

    /// <summary>
    /// Called with each newly parsed table map before any row of it is decoded: the place to complete its columns
    /// (names, signedness, collations) from a schema when the binlog does not carry them. May throw to refuse the map.
    /// </summary>
    public Action<TableMapEvent>? TableMapped { get; init; }

    /// <summary>
    /// Which tables' rows to decode; a rows event of another table becomes a <see cref="FilteredRowsEvent"/> without
    /// its rows read (the cost of decoding is in the rows). Null decodes every table's rows.
    /// </summary>
    public Func<TableMapEvent, bool>? DecodeRowsOf { get; init; }

    public static BinlogEventHeader ReadHeader(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderLength)
        {
            throw new InvalidDataException($"An event needs at least {HeaderLength} bytes of header; {data.Length} were given.");
        }

        var reader = new SpanReader(data);
        return new BinlogEventHeader(reader.ReadUInt32(), (BinlogEventType)reader.ReadByte(), reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt16());
    }

    public BinlogEvent Decode(ReadOnlySpan<byte> data) => Decode(data, checksummed: true);

    /// <summary>Sets the checksum expected before the first format description event (a dump's first ROTATE carries one).</summary>
    public void AssumeChecksum(BinlogChecksum checksum) => Format = Format with { Checksum = checksum };

    /// <summary>Forgets the table maps (at a new file, where table ids may be reused).</summary>
    public void ResetTables()
    {
        tables.Clear();
        tableMapBodies.Clear();
    }

    private static RowsEventFormat?[] RowsEventTypesByCode(Dictionary<BinlogEventType, RowsEventFormat> formats)
    {
        var byCode = new RowsEventFormat?[256];
        foreach (var (type, format) in formats)
        {
            byCode[(byte)type] = format;
        }

        return byCode;
    }

    /// <summary>Decodes one event; <paramref name="checksummed"/> is false inside a transaction payload, whose events carry no checksum of their own.</summary>
    private BinlogEvent Decode(ReadOnlySpan<byte> data, bool checksummed)
    {
        var header = ReadHeader(data);
        if (header.EventLength != data.Length)
        {
            throw new InvalidDataException($"The {header.Type} event says it is {header.EventLength} bytes long, but {data.Length} bytes were given.");
        }

        if (header.Type == BinlogEventType.FormatDescription)
        {
            return DecodeFormatDescription(header, data);
        }

        if (header.Type == BinlogEventType.StartV3)
        {
            return DecodeStartV3(header, data);
        }

        if (data.Length < Format.HeaderLength)
        {
            throw new InvalidDataException($"The {header.Type} event ending at position {header.NextPosition} is shorter ({data.Length} bytes) than an event header ({Format.HeaderLength}).");
        }

        var body = data[Format.HeaderLength..];
        if (checksummed && Format.Checksum == BinlogChecksum.Crc32)
        {
            if (body.Length < 4)
            {
                throw new InvalidDataException($"The {header.Type} event is too short to hold its checksum.");
            }

            VerifyCrc32(header, data, header.Flags);
            body = body[..^4];
        }

        try
        {
            return DecodeBody(header, body);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"Cannot decode the {header.Type} event ending at position {header.NextPosition}: {e.Message}", e);
        }
    }

    private BinlogEvent DecodeBody(BinlogEventHeader header, ReadOnlySpan<byte> body)
    {
        switch (header.Type)
        {
            case BinlogEventType.Rotate:
            {
                // Table ids are only valid within a file; forgetting them here keeps a long stream's memory flat.
                ResetTables();
                var reader = new SpanReader(body);
                var position = Format.BinlogVersion > 1 ? reader.ReadUInt64() : 4UL;
                return new RotateEvent(header, Encoding.UTF8.GetString(reader.Rest), position);
            }

            case BinlogEventType.Query:
                return QueryParser.Parse(header, body, Format.PostHeaderLength(header.Type, 13));
            case BinlogEventType.MariaQueryCompressed:
                return QueryParser.Parse(header, body, Format.PostHeaderLength(header.Type, 13), compressed: true);
            case var type when RowsEventTypes[(byte)type] is { } rows:
                if (DecodeRowsOf is { } decode)
                {
                    var postHeader = Format.PostHeaderLength(type, 8);
                    var rowsTableId = postHeader == 6 ? new SpanReader(body).ReadUInt32() : new SpanReader(body).ReadUInt48();
                    if (tables.TryGetValue(rowsTableId, out var rowsTable) && !decode(rowsTable))
                    {
                        return new FilteredRowsEvent(header, rows.Kind, rowsTable);
                    }
                }

                return RowsParser.Parse(header, body, Format.PostHeaderLength(type, 8), rows, tables);
            case BinlogEventType.Xid:
                return new XidEvent(header, new SpanReader(body).ReadUInt64());
            case BinlogEventType.TableMap:
            {
                // A table map repeats before every statement on its table; parse it only when its bytes change.
                var postHeaderLength = Format.PostHeaderLength(header.Type, 8);
                var tableId = postHeaderLength == 6 ? new SpanReader(body).ReadUInt32() : new SpanReader(body).ReadUInt48();
                if (tableMapBodies.TryGetValue(tableId, out var known) && body.SequenceEqual(known) && tables.TryGetValue(tableId, out var cached))
                {
                    return cached with { Header = header };
                }

                var map = TableMapParser.Parse(header, body, postHeaderLength, Format.IsMariaDb);
                TableMapped?.Invoke(map);
                tables[map.TableId] = map;
                tableMapBodies[map.TableId] = body.ToArray();
                return map;
            }

            case BinlogEventType.Gtid or BinlogEventType.AnonymousGtid:
                return MySqlGtid(header, body);
            case BinlogEventType.MariaGtid:
                return MariaDbGtid(header, body);
            case BinlogEventType.PreviousGtids:
                return new GtidSetEvent(header, GtidSets.MySqlFromBinary(body));
            case BinlogEventType.MariaGtidList:
                return new GtidSetEvent(header, GtidSets.MariaDbFromList(body));
            case BinlogEventType.MariaBinlogCheckpoint:
            {
                var reader = new SpanReader(body);
                return new BinlogCheckpointEvent(header, reader.ReadString(reader.ReadCount32()));
            }

            case BinlogEventType.MariaAnnotateRows:
                return new RowsQueryEvent(header, body.ToArray());
            case BinlogEventType.RowsQuery:
                return new RowsQueryEvent(header, body[Math.Min(1, body.Length)..].ToArray());
            case BinlogEventType.XaPrepare:
            {
                var reader = new SpanReader(body);
                var onePhase = reader.ReadByte() != 0;
                var formatId = (int)reader.ReadUInt32();
                var gtridLength = reader.ReadCount32();
                var bqualLength = reader.ReadCount32();
                return new XaPrepareEvent(header, onePhase, formatId, reader.ReadBytes(gtridLength).ToArray(), reader.ReadBytes(bqualLength).ToArray());
            }

            case BinlogEventType.Heartbeat:
                return new HeartbeatEvent(header, Encoding.UTF8.GetString(body), header.NextPosition);
            case BinlogEventType.HeartbeatV2:
                return HeartbeatV2(header, body);
            case BinlogEventType.GtidTagged:
                return TaggedGtidParser.Parse(header, body);
            case BinlogEventType.Stop:
                return new StopEvent(header);
            case BinlogEventType.IntVar:
            {
                var reader = new SpanReader(body);
                return new IntVarEvent(header, reader.ReadByte(), reader.ReadUInt64());
            }

            case BinlogEventType.Rand:
            {
                var reader = new SpanReader(body);
                return new RandEvent(header, reader.ReadUInt64(), reader.ReadUInt64());
            }

            case BinlogEventType.UserVar:
                return UserVar(header, body);
            case BinlogEventType.TransactionPayload:
                return TransactionPayloadParser.Parse(header, body, inner => Decode(inner, checksummed: false));
            default:
                return new UnknownEvent(header, body.ToArray());
        }
    }

    private FormatDescriptionEvent DecodeFormatDescription(BinlogEventHeader header, ReadOnlySpan<byte> data)
    {
        var reader = new SpanReader(data[HeaderLength..]);
        var binlogVersion = reader.ReadUInt16();
        var serverVersion = Encoding.ASCII.GetString(reader.ReadBytes(50)).TrimEnd('\0');
        reader.Skip(4);
        var headerLength = reader.ReadByte();
        var checksum = BinlogChecksum.None;
        var typeCount = reader.Remaining;
        if (FormatDescription.HasChecksumAlgorithm(serverVersion))
        {
            // The algorithm byte sits after the post-header lengths, followed by a checksum when it is CRC32.
            var algorithm = data[^5];
            checksum = algorithm == (byte)BinlogChecksum.Crc32 ? BinlogChecksum.Crc32 : BinlogChecksum.None;
            typeCount -= 5;
            if (checksum == BinlogChecksum.Crc32)
            {
                // The server computes this event's checksum with the in-use flag cleared.
                VerifyCrc32(header, data, (ushort)(header.Flags & ~BinlogEventHeader.InUseFlag));
            }
        }

        if (headerLength < HeaderLength || typeCount < 0)
        {
            throw new InvalidDataException($"The format description event is malformed (header length {headerLength}, {typeCount} event types).");
        }

        Format = new FormatDescription(binlogVersion, serverVersion, headerLength, reader.ReadBytes(typeCount).ToArray(), checksum);
        return new FormatDescriptionEvent(header, Format);
    }

    /// <summary>Binlog v1-v3 (MySQL 3.23-4.1) start with START_EVENT_V3 and fixed post-header lengths instead of a format description.</summary>
    private FormatDescriptionEvent DecodeStartV3(BinlogEventHeader header, ReadOnlySpan<byte> data)
    {
        var reader = new SpanReader(data[HeaderLength..]);
        var binlogVersion = reader.ReadUInt16();
        var serverVersion = Encoding.ASCII.GetString(reader.ReadBytes(50)).TrimEnd('\0');
        byte[] postHeaders = [56, 11, 0, 8, 0, 18, 0, 4, 4, 4, 4, 18, 0, 0];
        Format = new FormatDescription(binlogVersion, serverVersion, HeaderLength, postHeaders, BinlogChecksum.None);
        return new FormatDescriptionEvent(header, Format);
    }

    private void VerifyCrc32(BinlogEventHeader header, ReadOnlySpan<byte> data, ushort flagsForChecksum)
    {
        if (!VerifyChecksums)
        {
            return;
        }

        uint actual;
        if (flagsForChecksum != header.Flags)
        {
            var crc = new Crc32();
            Span<byte> head = stackalloc byte[HeaderLength];
            data[..HeaderLength].CopyTo(head);
            BinaryPrimitives.WriteUInt16LittleEndian(head[17..], flagsForChecksum);
            crc.Append(head);
            crc.Append(data[HeaderLength..^4]);
            actual = crc.GetCurrentHashAsUInt32();
        }
        else
        {
            actual = Crc32.HashToUInt32(data[..^4]);
        }

        var expected = BinaryPrimitives.ReadUInt32LittleEndian(data[^4..]);
        if (expected != actual)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"Checksum mismatch in the {header.Type} event ending at position {header.NextPosition}: stored 0x{expected:X8}, computed 0x{actual:X8}."));
        }
    }

    private static GtidEvent MySqlGtid(BinlogEventHeader header, ReadOnlySpan<byte> body)
    {
        var reader = new SpanReader(body);
        reader.Skip(1);
        var sid = new Guid(reader.ReadBytes(16), bigEndian: true);
        var gno = reader.ReadUInt64();
        var gtid = header.Type == BinlogEventType.AnonymousGtid ? null : string.Create(CultureInfo.InvariantCulture, $"{sid:D}:{gno}");
        return new GtidEvent(header, gtid, Standalone: false, CommitId: null);
    }

    private static GtidEvent MariaDbGtid(BinlogEventHeader header, ReadOnlySpan<byte> body)
    {
        const byte standaloneFlag = 1;
        const byte groupCommitIdFlag = 2;
        var reader = new SpanReader(body);
        var sequence = reader.ReadUInt64();
        var domain = reader.ReadUInt32();
        var flags = reader.ReadByte();
        ulong? commitId = (flags & groupCommitIdFlag) != 0 && reader.Remaining >= 8 ? reader.ReadUInt64() : null;
        return new GtidEvent(header, string.Create(CultureInfo.InvariantCulture, $"{domain}-{header.ServerId}-{sequence}"), (flags & standaloneFlag) != 0, commitId);
    }

    /// <summary>MySQL 8.0.26+ heartbeat: type-length-value fields (file name, position), 64-bit positions included.</summary>
    private static HeartbeatEvent HeartbeatV2(BinlogEventHeader header, ReadOnlySpan<byte> body)
    {
        const ulong endMark = 0, fileField = 1, positionField = 2;
        var reader = new SpanReader(body);
        var file = "";
        ulong position = header.NextPosition;
        while (!reader.AtEnd)
        {
            var type = reader.ReadLengthEncoded();
            if (type == endMark)
            {
                break;
            }

            var value = new SpanReader(reader.ReadLengthEncodedBytes());
            if (type == fileField)
            {
                file = Encoding.UTF8.GetString(value.Rest);
            }
            else if (type == positionField)
            {
                position = value.ReadLengthEncoded();
            }
        }

        return new HeartbeatEvent(header, file, position);
    }

    private static UserVarEvent UserVar(BinlogEventHeader header, ReadOnlySpan<byte> body)
    {
        var reader = new SpanReader(body);
        var name = reader.ReadString(reader.ReadCount32());
        if (reader.ReadByte() != 0)
        {
            return new UserVarEvent(header, name, 0, 0, null);
        }

        var type = reader.ReadByte();
        var charset = reader.ReadUInt32();
        var value = reader.ReadBytes(reader.ReadCount32()).ToArray();
        return new UserVarEvent(header, name, type, charset, value);
    }
}

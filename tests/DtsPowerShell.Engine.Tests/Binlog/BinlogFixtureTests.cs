using System.IO.Compression;
using System.Text;
using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;

namespace DtsPowerShell.Engine.Tests.Binlog;

/// <summary>Real binlog files written by MySQL 4.0 to 9.6 and MariaDB 5.5 to 10.5 (see the fixtures' README).</summary>
public class BinlogFixtureTests
{
    // Files the README names as broken on purpose, or as not decodable from the binlog alone: each must fail
    // with an InvalidDataException that says what is wrong, never another exception or a hang.
    private static readonly Dictionary<string, string> Unreadable = new()
    {
        ["mariadb-server/std_data/binlog_before_20574.bin"] = "Checksum mismatch", // encrypted MariaDB binlog
        ["mariadb-server/std_data/bug11747416_32228_binlog.000001"] = "ends inside the event",
        ["mysql-server/std_data/binlog_recovery/duplicate_xid.000001"] = "Checksum mismatch",
        ["mysql-server/std_data/binlog_recovery/duplicate_xid_ddl.000001"] = "Checksum mismatch",
        ["mysql-server/std_data/binlog_recovery/duplicate_xid_xa_prepare.000001"] = "Checksum mismatch",
        ["mysql-server/std_data/binlog_recovery/malformed_xid_xa_commit.000001"] = "Checksum mismatch",
        ["mysql-server/std_data/binlog_recovery/malformed_xid_xa_rollback.000001"] = "Checksum mismatch",
        ["mysql-server/std_data/binlog_truncated_event.000001"] = "ends inside an event header",
        ["mysql-server/std_data/binlog_truncated_prev_gtid_event.000001"] = "ends inside an event header",
        ["mysql-server/std_data/corrupt-relay-bin.000624"] = "Cannot decode the Query event",
        ["mysql-server/std_data/rpl_nogtid_encryption_master-bin.000002"] = "encrypted",
        // MariaDB 10.0's TIMESTAMP(3) is logged without its precision: its rows need the table definition.
        ["tiflow/mysql-bin.000001"] = "steven.t",
    };

    [FixtureTheory]
    [MemberData(nameof(BinlogFixtures.PlainFiles), MemberType = typeof(BinlogFixtures))]
    public void Every_file_decodes_or_fails_with_a_clear_error(string file)
    {
        if (Unreadable.TryGetValue(file, out var expected))
        {
            var error = Assert.Throws<InvalidDataException>(() => Read(file));
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }
        else
        {
            var events = Read(file);
            Assert.NotEmpty(events);
            Assert.DoesNotContain(events, e => e is RowsEvent { Rows.Count: 0 });
        }
    }

    [FixtureFact]
    public void The_fixture_folder_holds_the_documented_139_files() =>
        Assert.Equal(139, BinlogFixtures.All().Count());

    [FixtureFact]
    public void Sakila_has_1462_events_and_47273_inserted_rows()
    {
        using var gzip = new GZipStream(File.OpenRead(BinlogFixtures.PathOf("mysql-binlog-connector-java/mysql-bin.sakila.gz")), CompressionMode.Decompress);
        using var reader = new BinlogFileReader(gzip);
        var events = reader.ReadEvents().ToList();
        var inserts = events.OfType<RowsEvent>().Where(r => r.Kind == RowsEventKind.Insert).ToList();
        Assert.Equal(1462, events.Count);
        Assert.Equal(1374, inserts.Count);
        Assert.Equal(47273, inserts.Sum(r => r.Rows.Count));
        Assert.Equal(16, inserts.Select(r => r.Table.Table).Distinct().Count());
    }

    [FixtureTheory]
    [InlineData("mysql-binlog-connector-java/mysql-bin.checksum-crc32", 303)]
    [InlineData("mysql-binlog-connector-java/mysql-bin.checksum-none", 191)]
    [InlineData("mysql-binlog-connector-rust/mysql-bin.000080", 37)]
    [InlineData("mysql-binlog-connector-rust/mysql-bin.000057", 8)]
    [InlineData("ybinlogp/mysql-bin.default-path", 39)] // ybinlogp's test counts 38 after the format description
    public void Event_counts_match_the_origin_projects_tests(string file, int count) =>
        Assert.Equal(count, Read(file).Count);

    [FixtureFact]
    public void Checksummed_and_unchecksummed_files_are_told_apart()
    {
        Assert.Equal(BinlogChecksum.Crc32, Read("mysql-binlog-connector-java/mysql-bin.checksum-crc32").OfType<FormatDescriptionEvent>().Single().Format.Checksum);
        Assert.Equal(BinlogChecksum.None, Read("mysql-binlog-connector-java/mysql-bin.checksum-none").OfType<FormatDescriptionEvent>().Single().Format.Checksum);
    }

    [FixtureFact]
    public void Binlog_parser_01_has_7_inserts_2_updates_1_delete_and_the_acme_row()
    {
        var rows = Read("binlog-parser/mysql-bin.01").OfType<RowsEvent>().ToList();
        Assert.Equal(7, rows.Where(r => r.Kind == RowsEventKind.Insert).Sum(r => r.Rows.Count));
        Assert.Equal(2, rows.Where(r => r.Kind == RowsEventKind.Update).Sum(r => r.Rows.Count));
        Assert.Equal(1, rows.Where(r => r.Kind == RowsEventKind.Delete).Sum(r => r.Rows.Count));
        var buildings = rows.First(r => r.Table.Table == "buildings" && r.Kind == RowsEventKind.Insert);
        // MySQL 5.6 logs no column charsets, so text comes out as its bytes.
        var texts = buildings.Rows.SelectMany(r => r.After!).OfType<byte[]>().Select(b => Encoding.UTF8.GetString(b)).ToList();
        Assert.Contains("ACME Headquaters", texts);
        Assert.Contains("3950 North 1st Street CA 95134", texts);
    }

    [FixtureFact]
    public void Rows_of_mysql_bin_000080_match_mariadb_binlog()
    {
        var rows = Read("mysql-binlog-connector-rust/mysql-bin.000080").OfType<RowsEvent>().ToList();
        Assert.Equal(3, rows.Where(r => r.Kind == RowsEventKind.Insert).Sum(r => r.Rows.Count));
        Assert.Equal(4, rows.Where(r => r.Kind == RowsEventKind.Delete).Sum(r => r.Rows.Count));
        // mariadb-binlog -vv: INSERT INTO `a`.`emoji` SET @1=2, @2='' (the emoji did not reach the server).
        var emoji = Assert.Single(rows, r => r.Table.Table == "emoji").Rows.Single().After!;
        Assert.Equal(2, emoji[0]);
        Assert.Equal([], Assert.IsType<byte[]>(emoji[1]));
    }

    [FixtureFact]
    public void The_last_event_of_ybinlogp_rotates_to_the_next_file()
    {
        var rotate = Assert.IsType<RotateEvent>(Read("ybinlogp/mysql-bin.default-path")[^1]);
        Assert.Equal("mysql-bin.000008", rotate.NextFile);
        Assert.Equal(4UL, rotate.Position);
    }

    [FixtureFact]
    public void MariaDb_gtid_events_and_lists_read_as_domain_server_sequence()
    {
        var events = Read("binlog-parser/mysql-bin.07");
        Assert.Single(events.OfType<GtidSetEvent>());
        var gtids = events.OfType<GtidEvent>().Select(g => g.Gtid).ToList();
        Assert.Equal(2, gtids.Count);
        Assert.All(gtids, g => Assert.Matches(@"^\d+-\d+-\d+$", g));
        // As mariadb-binlog prints them: "Gtid list [0-3704-2814]", "GTID 0-3704-2815", "GTID 0-3704-2816".
        Assert.Equal("0-3704-2814", events.OfType<GtidSetEvent>().Single().GtidSet);
        Assert.Equal(["0-3704-2815", "0-3704-2816"], gtids);
        Assert.Equal(2, events.OfType<RowsEvent>().Count());
    }

    [FixtureFact]
    public void Json_columns_decode_to_valid_json_text()
    {
        var json = Read("MySqlCdc/mysql-bin.000001").OfType<RowsEvent>()
            .SelectMany(r => r.Rows).SelectMany(r => r.After!)
            .OfType<string>().Where(s => s.StartsWith('{') || s.StartsWith('[')).ToList();
        Assert.NotEmpty(json);
        Assert.All(json, text => System.Text.Json.JsonDocument.Parse(text).Dispose());
        Assert.Contains("{\"id\": 1, \"name\": \"John\"}", json);
    }

    [FixtureFact]
    public void Compressed_transactions_hold_their_decoded_events()
    {
        var payload = Assert.Single(Read("rust_mysql_common/transaction_compression.000001").OfType<TransactionPayloadEvent>());
        Assert.Equal("zstd", payload.Compression);
        Assert.Equal([BinlogEventType.Query, BinlogEventType.TableMap, BinlogEventType.WriteRowsV2, BinlogEventType.Xid], payload.Events.Select(e => e.Header.Type));
        var payloads = Read("mysql-binlog-connector-rust/mysql-bin.000057").OfType<TransactionPayloadEvent>().ToList();
        Assert.Equal(2, payloads.Count);
        Assert.All(payloads, p => Assert.Contains(p.Events, e => e is RowsEvent));
    }

    [FixtureFact]
    public void Tagged_gtids_of_mysql_9_6_read_as_uuid_tag_number_and_extend_the_gtid_state()
    {
        const string Sid = "55778904-0299-11f1-b1b8-4ef0c4956feb";
        var events = Read("rust_mysql_common/binlog_transaction_with_GTID_TAG.000001");
        var previous = Assert.Single(events.OfType<GtidSetEvent>()).GtidSet;
        Assert.Equal($"{Sid}:1-13:mytag:1-2", previous);
        Assert.Equal($"{Sid}:mytag:3", Assert.Single(events.OfType<GtidEvent>()).Gtid);

        var tracker = new TransactionTracker(null, previous);
        events.ForEach(e => tracker.Observe(e));
        Assert.Equal($"{Sid}:1-13:mytag:1-3", tracker.Committed!.GtidSet);
    }

    [FixtureFact]
    public void Partial_json_updates_of_mysql_8_read_as_changes_to_the_document()
    {
        // t(id, json_col, name AS json_col->>'$.name', age AS json_col->'$.age'); UPDATE t SET json_col = JSON_REPLACE(json_col, '$.age', ...)
        var partial = Assert.Single(Read("rust_mysql_common/json.binlog.000001").OfType<RowsEvent>(), r => r.Header.Type == BinlogEventType.PartialUpdateRows);
        Assert.Equal(RowsEventKind.Update, partial.Kind);
        Assert.Equal(6, partial.Rows.Count);
        var first = partial.Rows[0];
        Assert.Equal(1, first.Before![0]);
        var update = Assert.IsType<JsonPartialUpdate>(first.After![1]);
        Assert.Equal(new JsonDiff(JsonDiffOperation.Replace, "$.age", "26"), Assert.Single(update.Diffs));
        Assert.Equal("Joe", first.After[2]);
        Assert.Equal([26, 34, 42, 26, 34, 42], partial.Rows.Select(r => int.Parse(((JsonPartialUpdate)r.After![1]!).Diffs[0].Value!, System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static List<BinlogEvent> Read(string file)
    {
        using var reader = new BinlogFileReader(BinlogFixtures.PathOf(file));
        return reader.ReadEvents().ToList();
    }
}

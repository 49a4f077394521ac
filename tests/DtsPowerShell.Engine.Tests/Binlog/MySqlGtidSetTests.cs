using DtsPowerShell.Engine.Binlog;

namespace DtsPowerShell.Engine.Tests.Binlog;

public class MySqlGtidSetTests
{
    private const string Uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    [Fact]
    public void Parses_merges_and_prints_intervals()
    {
        var set = MySqlGtidSet.Parse($"{Uuid}:1-5:7, {Uuid}:6 ,8e11fa47-71ca-11e1-9e33-c80aa9429562:3");
        Assert.Equal($"{Uuid}:1-7,8e11fa47-71ca-11e1-9e33-c80aa9429562:3", set.ToString());
        set.Add($"{Uuid}:9");
        set.Add($"{Uuid}:8");
        Assert.StartsWith($"{Uuid}:1-9,", set.ToString(), StringComparison.Ordinal);
        Assert.Equal($"{Uuid}:1-9,8e11fa47-71ca-11e1-9e33-c80aa9429562:3", set.ToString());
    }

    [Fact]
    public void Encodes_the_binary_form_that_previous_gtids_events_carry()
    {
        var text = $"{Uuid}:1-5:7-9,8e11fa47-71ca-11e1-9e33-c80aa9429562:3";
        Assert.Equal(text, GtidSets.MySqlFromBinary(MySqlGtidSet.Parse(text).Encode()));
    }

    [Fact]
    public void Tagged_sets_parse_grow_print_and_encode_like_mysql_8_4()
    {
        var set = MySqlGtidSet.Parse($"{Uuid}:1-5:Batch:1-3:7,8e11fa47-71ca-11e1-9e33-c80aa9429562:2");
        set.Add($"{Uuid}:batch:4");
        set.Add($"{Uuid}:6");
        var text = $"{Uuid}:1-6:batch:1-4:7,8e11fa47-71ca-11e1-9e33-c80aa9429562:2";
        Assert.Equal(text, set.ToString());
        var binary = set.Encode();
        Assert.Equal(1, binary[7]); // the tagged format, said in the count's top byte
        Assert.Equal(text, GtidSets.MySqlFromBinary(binary));
    }

    [Fact]
    public void A_set_of_a_hundred_thousand_gaps_decodes_and_grows_whole()
    {
        // Every other transaction: 100,000 separate intervals, as a gappy PREVIOUS_GTIDS can hold.
        var text = string.Join(':', Enumerable.Range(0, 100_000).Select(i => (2 * i) + 1));
        var set = MySqlGtidSet.Parse($"{Uuid}:{text}");
        var decoded = GtidSets.MySqlFromBinary(set.Encode());
        Assert.Equal($"{Uuid}:{text}", decoded);
        for (var i = 0; i < 100_000; i++)
        {
            set.Add($"{Uuid}:{(2 * i) + 2}");
        }

        Assert.Equal($"{Uuid}:1-200000", set.ToString());
    }

    [Fact]
    public void Transaction_numbers_stop_at_mysqls_limit_so_interval_ends_never_wrap()
    {
        var set = MySqlGtidSet.Parse($"{Uuid}:9223372036854775805-9223372036854775806");
        Assert.Equal($"{Uuid}:9223372036854775805-9223372036854775806", GtidSets.MySqlFromBinary(set.Encode()));
        Assert.Throws<DtsInputException>(() => MySqlGtidSet.Parse($"{Uuid}:9223372036854775807"));
        Assert.Throws<InvalidDataException>(() => set.Add($"{Uuid}:18446744073709551615"));
        Assert.Throws<InvalidDataException>(() => set.Add($"{Uuid}:0"));
    }

    [Theory]
    [InlineData(2, "mytag", "has format 2")] // an unknown format in the count's top byte
    [InlineData(1, "my:tag", "not a GTID tag")] // a tag that would print as something else
    [InlineData(1, "9tag", "not a GTID tag")]
    public void Malformed_tagged_binary_sets_are_refused(byte format, string tag, string reason)
    {
        var bytes = new List<byte> { format, 1, 0, 0, 0, 0, 0, format }; // tagged: format in the top and bottom byte, the count between
        bytes.AddRange(Guid.Parse(Uuid).ToByteArray(bigEndian: true));
        bytes.Add((byte)(tag.Length << 1));
        bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(tag));
        bytes.AddRange([1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0]);
        var error = Assert.Throws<InvalidDataException>(() => GtidSets.MySqlFromBinary([.. bytes]));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-uuid:1")]
    [InlineData(Uuid + ":1-5:tag")]
    [InlineData(Uuid + ":1-5:9tag:1")]
    [InlineData(Uuid)]
    [InlineData(Uuid + ":0")]
    [InlineData(Uuid + ":5-3")]
    [InlineData(Uuid + ":x-1")]
    public void Refuses_malformed_sets_with_a_remedy(string text) =>
        Assert.Contains("@@gtid_executed", Assert.Throws<DtsInputException>(() => MySqlGtidSet.Parse(text)).Remedy, StringComparison.Ordinal);

    [Fact]
    public void A_start_that_looks_like_a_mysql_gtid_set_is_one()
    {
        Assert.Equal($"{Uuid}:1-5", BinlogStart.Parse($"{Uuid}:1-5").GtidSet);
        Assert.Equal("0-1-100,1-2-5", BinlogStart.Parse("0-1-100,1-2-5").GtidSet);
        Assert.Equal(new BinlogPosition("mysql-bin.000042", 1540), BinlogStart.Parse("mysql-bin.000042:1540").Position);
        Assert.True(BinlogStart.Parse("oldest").FromOldest);
        Assert.Throws<DtsInputException>(() => BinlogStart.Parse("yesterday"));
    }

    [Theory]
    [InlineData("0-1-1'; SET GLOBAL read_only=1; --")]
    [InlineData("0-1-1, x")]
    public void A_gtid_start_that_is_not_a_gtid_set_never_reaches_the_server(string text) =>
        Assert.Throws<DtsInputException>(() => BinlogStart.AtGtid(text));
}

using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Columns;

namespace DtsPowerShell.Engine.Tests.Binlog;

/// <summary>
/// Inputs that once broke the decoder, rebuilt by hand so they cannot again; and whatever 'build.ps1 Fuzz'
/// copies into FuzzFindings/ beside this file (not committed: findings are mutated fixture bytes, so each
/// crash found is turned into a hand-built case here).
/// </summary>
public class DecoderRegressionTests
{
    [Fact]
    public void A_rows_event_whose_rows_hold_no_bytes_is_refused_not_looped_on()
    {
        // TABLE_MAP for t.t (one INT column), then WRITE_ROWS with width 1 but no column present: each "row" is empty.
        var file = new List<byte>([0xFE, (byte)'b', (byte)'i', (byte)'n']);
        file.AddRange(HandBuiltEvents.Event(19, [1, 0, 0, 0, 0, 0, 0, 0, 1, (byte)'t', 0, 1, (byte)'t', 0, 1, 3, 0, 0]));
        file.AddRange(HandBuiltEvents.Event(23, [1, 0, 0, 0, 0, 0, 0, 0, 1, 0x00, 0x00]));
        var error = Assert.Throws<InvalidDataException>(() => BinlogMutationTests.DecodeAll([.. file]));
        Assert.Contains("no bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_event_length_far_beyond_the_data_is_a_truncation_not_an_allocation()
    {
        var file = new List<byte>([0xFE, (byte)'b', (byte)'i', (byte)'n']);
        var header = HandBuiltEvents.Event(2, []);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(9), 1_000_000_000);
        file.AddRange(header);
        var error = Assert.Throws<InvalidDataException>(() => BinlogMutationTests.DecodeAll([.. file]));
        Assert.Contains("ends inside the event", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_decimal_group_over_nine_digits_is_refused()
    {
        // AFL++ found: DECIMAL(10,2) bytes whose 8-digit group holds 2147483647 made decimal.Parse overflow.
        byte[] packed = [0xFF, 0xFF, 0xFF, 0xFF, 0x00];
        var error = Assert.Throws<InvalidDataException>(() => PackedDecimal.ToValue(packed, 10, 2));
        Assert.Contains("more than", error.Message, StringComparison.Ordinal);
        Assert.Equal("12345678.90", PackedDecimal.ToText([0x80, 0xBC, 0x61, 0x4E, 0x5A], 10, 2));
        Assert.Equal("-12345678.90", PackedDecimal.ToText([0x7F, 0x43, 0x9E, 0xB1, 0xA5], 10, 2));
    }

    [Fact]
    public void A_server_version_with_huge_numbers_is_not_an_overflow()
    {
        // AFL++ found: a format description whose version read "99999999999.0.0" made int.Parse overflow.
        Assert.False(FormatDescription.HasChecksumAlgorithm("99999999999.0.0-log"));
        Assert.True(FormatDescription.HasChecksumAlgorithm("5.6.1"));
        Assert.False(FormatDescription.HasChecksumAlgorithm("5.6.0"));
        Assert.True(FormatDescription.HasChecksumAlgorithm("5.3.0-MariaDB"));
    }

    /// <summary>What 'build.ps1 Fuzz' found, as files beside this source file.</summary>
    internal static string[] FuzzFindings { get; } = Directory.Exists(Path.Combine(SourceDirectory(), "FuzzFindings"))
        ? Directory.GetFiles(Path.Combine(SourceDirectory(), "FuzzFindings"))
        : [];

    [FuzzFindingsFact]
    public void Every_fuzz_finding_decodes_or_fails_cleanly()
    {
        foreach (var input in FuzzFindings)
        {
            var error = Record.Exception(() => BinlogMutationTests.DecodeAll(File.ReadAllBytes(input)));
            Assert.True(error is null or InvalidDataException, $"{Path.GetFileName(input)}: {error}");
        }
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}

using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace DtsPowerShell.Engine.Tests.Binlog;

/// <summary>
/// Inputs that once broke the decoder, kept so they cannot again: hand-built ones here, and whatever
/// 'build.ps1 Fuzz' copies into FuzzFindings/ beside this file.
/// </summary>
public class DecoderRegressionTests
{
    [Fact]
    public void A_rows_event_whose_rows_hold_no_bytes_is_refused_not_looped_on()
    {
        // TABLE_MAP for t.t (one INT column), then WRITE_ROWS with width 1 but no column present: each "row" is empty.
        var file = new List<byte>([0xFE, (byte)'b', (byte)'i', (byte)'n']);
        file.AddRange(Event(19, [1, 0, 0, 0, 0, 0, 0, 0, 1, (byte)'t', 0, 1, (byte)'t', 0, 1, 3, 0, 0]));
        file.AddRange(Event(23, [1, 0, 0, 0, 0, 0, 0, 0, 1, 0x00, 0x00]));
        var error = Assert.Throws<InvalidDataException>(() => BinlogMutationTests.DecodeAll([.. file]));
        Assert.Contains("no bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_event_length_far_beyond_the_data_is_a_truncation_not_an_allocation()
    {
        var file = new List<byte>([0xFE, (byte)'b', (byte)'i', (byte)'n']);
        var header = Event(2, []);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(9), 1_000_000_000);
        file.AddRange(header);
        var error = Assert.Throws<InvalidDataException>(() => BinlogMutationTests.DecodeAll([.. file]));
        Assert.Contains("ends inside the event", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_fuzz_finding_decodes_or_fails_cleanly()
    {
        var findings = Path.Combine(SourceDirectory(), "FuzzFindings");
        foreach (var input in Directory.Exists(findings) ? Directory.GetFiles(findings) : [])
        {
            var error = Record.Exception(() => BinlogMutationTests.DecodeAll(File.ReadAllBytes(input)));
            Assert.True(error is null or InvalidDataException, $"{Path.GetFileName(input)}: {error}");
        }
    }

    private static byte[] Event(byte type, byte[] body)
    {
        var bytes = new byte[19 + body.Length];
        bytes[4] = type;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(9), (uint)bytes.Length);
        body.CopyTo(bytes, 19);
        return bytes;
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}

using DtsPowerShell.Engine.Binlog;
using SharpFuzz;

// Decodes each input AFL++ gives as a binlog file (checksums not verified, so the input reaches the parsers).
// InvalidDataException is the decoder's way to refuse bad input; any other exception, or a hang, is a finding.
Fuzzer.OutOfProcess.Run(stream =>
{
    try
    {
        using var reader = new BinlogFileReader(stream);
        reader.Decoder.VerifyChecksums = false;
        foreach (var _ in reader.ReadEvents())
        {
        }
    }
    catch (InvalidDataException)
    {
    }
});

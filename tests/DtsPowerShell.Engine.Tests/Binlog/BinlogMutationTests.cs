using DtsPowerShell.Engine.Binlog;

namespace DtsPowerShell.Engine.Tests.Binlog;

/// <summary>
/// A bounded mutation pass over every readable fixture: bit flips, truncations and altered length fields.
/// Whatever the damage, decoding ends with events or an <see cref="InvalidDataException"/>: never another
/// exception, never a hang. Checksums are not verified here, so the damage reaches the parsers.
/// </summary>
public class BinlogMutationTests
{
    private const int MutationsPerFile = 200;

    [FixtureTheory]
    [MemberData(nameof(BinlogFixtures.PlainFiles), MemberType = typeof(BinlogFixtures))]
    public void Damaged_files_fail_cleanly(string file)
    {
        var original = File.ReadAllBytes(BinlogFixtures.PathOf(file));
        var random = new Random(file.GetHashCode(StringComparison.Ordinal) ^ original.Length);
        for (var i = 0; i < MutationsPerFile; i++)
        {
            var damaged = Mutate(original, random, out var description);
            var error = Record.Exception(() => DecodeAll(damaged));
            Assert.True(error is null or InvalidDataException, $"{file}, {description}: {error?.GetType().Name}: {error?.Message}\n{error?.StackTrace}");
        }
    }

    internal static void DecodeAll(byte[] bytes)
    {
        using var reader = new BinlogFileReader(new MemoryStream(bytes));
        reader.Decoder.VerifyChecksums = false;
        foreach (var _ in reader.ReadEvents())
        {
        }
    }

    private static byte[] Mutate(byte[] original, Random random, out string description)
    {
        var bytes = (byte[])original.Clone();
        var position = random.Next(4, Math.Max(5, bytes.Length));
        switch (random.Next(4))
        {
            case 0:
                var bit = random.Next(8);
                bytes[Math.Min(position, bytes.Length - 1)] ^= (byte)(1 << bit);
                description = $"bit {bit} flipped at {position}";
                return bytes;
            case 1:
                description = $"truncated to {position} bytes";
                return bytes[..Math.Min(position, bytes.Length)];
            case 2:
                var value = (byte)random.Next(256);
                bytes[Math.Min(position, bytes.Length - 1)] = value;
                description = $"byte at {position} set to {value}";
                return bytes;
            default:
                // Lengths live in every event header (bytes 9-12) and in length-prefixed fields; hit a header.
                var header = EventOffsets(original).OrderBy(_ => random.Next()).FirstOrDefault(4);
                var newLength = (uint)random.Next(0, 1 << 20);
                if (header + 13 <= bytes.Length)
                {
                    BitConverter.TryWriteBytes(bytes.AsSpan(header + 9), newLength);
                }

                description = $"event length at {header} set to {newLength}";
                return bytes;
        }
    }

    private static IEnumerable<int> EventOffsets(byte[] bytes)
    {
        var offset = 4;
        while (offset + 19 <= bytes.Length)
        {
            yield return offset;
            var length = BitConverter.ToInt32(bytes, offset + 9);
            if (length < 19)
            {
                yield break;
            }

            offset += length;
        }
    }
}

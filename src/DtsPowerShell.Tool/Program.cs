using DtsPowerShell.Tool;

// The command-line host of the engine: tools for operators and benchmarks (later also the sync worker).
return args switch
{
    ["binlog-decode", var file] => BinlogDecodeCommand.Run(file, print: null, Console.Error),
    ["binlog-decode", var file, "--print"] => BinlogDecodeCommand.Run(file, Console.OpenStandardOutput(), Console.Error),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dts binlog-decode FILE [--print]");
    Console.Error.WriteLine("  Decodes every event of a binlog file; with --print writes each event and row as text to stdout.");
    return 2;
}

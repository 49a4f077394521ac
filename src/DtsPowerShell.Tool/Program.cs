using DtsPowerShell.Tool;

// The command-line host of the engine: the sync worker, and tools for operators and benchmarks.
return args switch
{
    ["binlog-decode", var file] => BinlogDecodeCommand.Run(file, print: null, Console.Error),
    ["binlog-decode", var file, "--print"] => BinlogDecodeCommand.Run(file, Console.OpenStandardOutput(), Console.Error),
    ["worker", "--state", var state, "--job", var job, .. var flags] => WorkerCommand.Run(state, job, flags),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dts binlog-decode FILE [--print]");
    Console.Error.WriteLine("  Decodes every event of a binlog file; with --print writes each event and row as text to stdout.");
    Console.Error.WriteLine("usage: dts worker --state STATE_FILE --job JOB_ID [--attached] [--until-synchronizing]");
    Console.Error.WriteLine("  Runs a sync job until it is stopped or fails (Start-DtsSync starts it; logs go to logs/JOB_ID.log beside the state file).");
    Console.Error.WriteLine("  --attached: stay in the caller's session; --until-synchronizing: end once the initial sync is done.");
    return 2;
}

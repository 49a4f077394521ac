using DtsPowerShell.Engine.Jobs;
namespace DtsPowerShell.Engine.Precheck.Checks;

internal sealed class MaxAllowedPacketCheck : PrecheckItem
{
    public override string Name => "TargetMaxAllowedPacket";

    public override PrecheckSides Needs => PrecheckSides.Both;

    public override Task<PrecheckResult> RunAsync(PrecheckContext context, CancellationToken cancellationToken)
    {
        var source = context.SourceSession.NumericVariable("max_allowed_packet");
        var target = context.TargetSession.NumericVariable("max_allowed_packet");
        return Task.FromResult(target >= source
            ? Passed(context, $"max_allowed_packet is {target} on the target, {source} on the source.")
            : Failed(context, $"max_allowed_packet is {target} on the target but {source} on the source; rows the source accepts could be refused by the target.",
                $"Run SET GLOBAL max_allowed_packet = {source} on the target and put 'max_allowed_packet={source}' in its my.cnf."));
    }
}

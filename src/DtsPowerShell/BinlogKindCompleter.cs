using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using DtsPowerShell.Engine.Changes;

namespace DtsPowerShell;

/// <summary>Completes Get-DtsBinlogEvent's -Type with the kinds its filter takes.</summary>
public sealed class BinlogKindCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        ChangeFilter.KnownKinds.Where(k => k.StartsWith(wordToComplete ?? "", StringComparison.OrdinalIgnoreCase)).Select(k => new CompletionResult(k));
}

namespace DtsPowerShell.Engine.Precheck;

/// <summary>Which connections a check needs; it is left out when one of them could not be opened.</summary>
[Flags]
internal enum PrecheckSides
{
    Source = 1,
    Target = 2,
    Both = Source | Target,
}

namespace DtsPowerShell;

/// <summary>The ways a cmdlet can be told which jobs to act on.</summary>
internal static class JobParameterSets
{
    public const string ByInputObject = "InputObject";
    public const string ByName = "Name";
    public const string ById = "Id";
}

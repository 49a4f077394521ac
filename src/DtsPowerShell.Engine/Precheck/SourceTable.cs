namespace DtsPowerShell.Engine.Precheck;

/// <summary>A selected base table as the source's <c>information_schema</c> describes it.</summary>
internal sealed record SourceTable(string Database, string Name, string Engine, string? Collation, bool HasKey)
{
    public string Display => $"{Selection.QualifiedName.Display(Database)}.{Selection.QualifiedName.Display(Name)}";
}

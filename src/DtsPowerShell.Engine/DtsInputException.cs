namespace DtsPowerShell.Engine;

/// <summary>A value the user gave cannot be used; <see cref="Remedy"/> says what to give instead.</summary>
public sealed class DtsInputException : Exception
{
    public DtsInputException(string message, string remedy)
        : base(message) => Remedy = remedy;

    public string Remedy { get; }
}

namespace DtsPowerShell.TestServers;

/// <summary>How a throw-away server is configured; the defaults are what a sync source needs.</summary>
public sealed class MariaDbServerOptions
{
    public bool BinlogEnabled { get; set; } = true;

    public string BinlogFormat { get; set; } = "ROW";

    public string BinlogRowImage { get; set; } = "FULL";

    /// <summary>0 picks a unique id (MariaDB does not accept a server id of 0).</summary>
    public int ServerId { get; set; }

    public int LowerCaseTableNames { get; set; }

    /// <summary>Overrides the version string the server reports (MariaDB's <c>--version=</c> option).</summary>
    public string? VersionString { get; set; }

    /// <summary>Gives the server the collation <see cref="CustomCollation.Name"/>, which other servers lack.</summary>
    public bool CustomCollation { get; set; }

    /// <summary>Serves TLS with a certificate from a throw-away authority (<see cref="TestCertificates"/>) that no client trusts.</summary>
    public bool Tls { get; set; }

    /// <summary>Further <c>mariadbd</c> options, e.g. <c>--max-connections=20</c>.</summary>
    public IList<string> ExtraArguments { get; } = new List<string>();
}

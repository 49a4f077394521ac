using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace DtsPowerShell.Engine.Connections;

/// <summary>How a job's connection to a server is secured.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum DtsSslMode
{
    /// <summary>Unencrypted.</summary>
    None,

    /// <summary>TLS when the server offers it, else unencrypted.</summary>
    Preferred,

    /// <summary>TLS, without checking the server's certificate.</summary>
    Required,

    /// <summary>TLS, the certificate signed by a trusted authority.</summary>
    VerifyCA,

    /// <summary>TLS, the certificate trusted and naming the host.</summary>
    VerifyFull,
}

# Shared by the Pester tests: the built module, throw-away MariaDB servers, credentials, child processes.
$script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:Configuration = if ($env:DTS_TEST_CONFIGURATION) { $env:DTS_TEST_CONFIGURATION } else { 'Release' }

function Get-DtsModuleManifest {
    $manifest = Join-Path $script:Root 'artifacts/DtsPowerShell/DtsPowerShell.psd1'
    if (-not (Test-Path $manifest)) { throw "The module is not built: run ./build.ps1 Build first ($manifest is missing)." }
    $manifest
}

# The shared binlog fixtures (DTS_BINLOG_FIXTURES, else ../shared/fixtures/binlog beside the checkout); $null when absent.
function Get-BinlogFixtureFolder {
    $folder = if ($env:DTS_BINLOG_FIXTURES) { $env:DTS_BINLOG_FIXTURES } else { Join-Path $script:Root '../shared/fixtures/binlog' }
    if (Test-Path $folder) { (Resolve-Path $folder).Path } else { $null }
}

# The server's current binlog position as file:position, a -Start for Get-DtsBinlogEvent.
function Get-TestBinlogPosition($Server) { ($Server.Sql('SHOW MASTER STATUS') -split "`t")[0..1] -join ':' }

function Import-TestServers {
    if (-not ('DtsPowerShell.TestServers.MariaDbServer' -as [type])) {
        Add-Type -Path (Join-Path $script:Root "tests/DtsPowerShell.TestServers/bin/$script:Configuration/net10.0/DtsPowerShell.TestServers.dll")
    }
}

function Start-TestServer {
    param(
        [switch] $BinlogOff,
        [string] $BinlogFormat = 'ROW',
        [string] $BinlogRowImage = 'FULL',
        [int] $LowerCaseTableNames = 0,
        [string] $VersionString,
        [switch] $CustomCollation,
        [switch] $Tls,
        [string[]] $ExtraArguments = @()
    )
    Import-TestServers
    $options = [DtsPowerShell.TestServers.MariaDbServerOptions]::new()
    $options.BinlogEnabled = -not $BinlogOff
    $options.BinlogFormat = $BinlogFormat
    $options.BinlogRowImage = $BinlogRowImage
    $options.LowerCaseTableNames = $LowerCaseTableNames
    $options.CustomCollation = [bool]$CustomCollation
    $options.Tls = [bool]$Tls
    if ($VersionString) { $options.VersionString = $VersionString }
    foreach ($argument in $ExtraArguments) { $options.ExtraArguments.Add($argument) }
    [DtsPowerShell.TestServers.MariaDbServer]::Start($options)
}

function New-TestCredential([string] $User, [string] $Password) {
    [pscredential]::new($User, (ConvertTo-SecureString $Password -AsPlainText -Force))
}

# A source ready for sync: database shop with a keyed InnoDB table, and the sync account dts_src.
function Initialize-TestSource($Server) {
    $Server.Sql('CREATE DATABASE IF NOT EXISTS shop; CREATE TABLE IF NOT EXISTS shop.orders (id INT PRIMARY KEY, note VARCHAR(40)) ENGINE=InnoDB; INSERT IGNORE INTO shop.orders VALUES (1, ''first'');')
    $Server.CreateUser('dts_src', 'Src-Secret-41', [string[]]@(
        'GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT, TRIGGER ON *.* TO {user}'
        'GRANT CREATE, INSERT, UPDATE ON `_dts`.* TO {user}'))
}

function Initialize-TestTarget($Server) {
    $Server.CreateUser('dts_tgt', 'Tgt-Secret-42', [string[]]@('GRANT ALL PRIVILEGES ON *.* TO {user}'))
}

function Get-SourceCredential { New-TestCredential 'dts_src' 'Src-Secret-41' }

function Get-TargetCredential { New-TestCredential 'dts_tgt' 'Tgt-Secret-42' }

# Runs PowerShell code in a new process (as a new session of a user would) and returns its output lines.
function Invoke-ChildPwsh([string] $Command) {
    $exe = [Environment]::ProcessPath
    $arguments = @()
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $arguments += Join-Path $PSHOME 'pwsh.dll' }
    $arguments += '-NoProfile', '-NonInteractive', '-Command', $Command
    $output = & $exe @arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "The child PowerShell failed ($LASTEXITCODE): $($output -join [Environment]::NewLine)" }
    $output
}

function Get-NuGetPackageFolder {
    ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
}

# The precheck items in the order Test-DtsPrecheck reports them (the contract its help documents).
function Get-DocumentedCheckName {
    'SourceConnection', 'SourceVersion', 'SourceBinlog', 'SourceBinlogFormat', 'SourceBinlogRowImage', 'SourceServerId',
    'SourcePrivileges', 'SourceObjects', 'SourceBinlogRetention', 'SourcePrimaryKeys', 'SourceTriggers', 'SourceHeartbeat',
    'TargetConnection', 'TargetPrivileges', 'TargetNameConflicts', 'TargetCharsets', 'TargetMaxAllowedPacket',
    'TargetLocalInfile', 'LowerCaseTableNames', 'StorageEngines', 'TargetConnectionLimits'
}

Export-ModuleMember -Function *

<#
.SYNOPSIS
    The main job on throw-away local servers: two MariaDB servers, a sync job between them, its precheck.
.DESCRIPTION
    Run by 'build.ps1 Demo' after the module is built. Starts a source and a target MariaDB on loopback,
    gives the source a small shop database and sync accounts on both sides, creates a job that syncs the
    shop database into shop_copy on the target, runs the precheck, shows the results, and removes
    everything it made (servers stopped by PID, state file deleted).
#>
param([string] $Configuration = 'Release')
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'Pester/TestSupport.psm1')
Import-Module (Get-DtsModuleManifest)

$statePath = Join-Path ([IO.Path]::GetTempPath()) "dts-demo-$([guid]::NewGuid().ToString('N'))/state.db"
$source = $target = $null
try {
    Write-Host 'Starting two throw-away MariaDB servers on loopback...'
    $source = Start-TestServer
    $target = Start-TestServer
    Write-Host "  source $($source.Address) (pid $($source.Pid)), target $($target.Address) (pid $($target.Pid))"
    Initialize-TestSource $source
    $source.Sql(@'
CREATE TABLE shop.customers (id INT PRIMARY KEY, name VARCHAR(50), email VARCHAR(100)) ENGINE=InnoDB;
INSERT INTO shop.customers VALUES (1, 'Ada', 'ada@example.com'), (2, 'Grace', 'grace@example.com');
INSERT INTO shop.orders VALUES (2, 'second'), (3, 'third');
'@)
    Initialize-TestTarget $target

    Write-Host "`nCreating a sync job (state file $statePath):"
    $job = New-DtsSyncJob -Name 'demo' -Source $source.Address -SourceCredential (Get-SourceCredential) `
        -Target $target.Address -TargetCredential (Get-TargetCredential) -Object 'shop' `
        -Mapping @{ 'shop' = 'shop_copy'; 'shop.orders.note' = 'remark' } -StatePath $statePath
    $job | Format-List Id, Name, Source, Target, Objects, Mapping, InitialSync, State | Out-Host

    Write-Host 'Running the precheck:'
    $results = $job | Test-DtsPrecheck -StatePath $statePath
    $results | Format-Table Check, Status, Message -Wrap | Out-Host
    Get-DtsSyncJob -Id $job.Id -StatePath $statePath | Out-Host

    $failed = @($results | Where-Object Status -eq 'Failed')
    if ($failed.Count -gt 0) { throw "The precheck failed: $($failed.Check -join ', ')" }
    Write-Host 'The precheck passed: the job is Ready. (Starting the sync comes with Start-DtsSync in a later release.)'
}
finally {
    $source, $target | Where-Object { $_ } | ForEach-Object Dispose
    Remove-Item -Recurse -Force (Split-Path $statePath) -ErrorAction Ignore
}

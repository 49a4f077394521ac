<#
.SYNOPSIS
    The main job on throw-away local servers: two MariaDB servers, a sync job between them, a live sync.
.DESCRIPTION
    Run by 'build.ps1 Demo' after the module is built. Starts a source and a target MariaDB on loopback,
    gives the source a small shop database and sync accounts on both sides, creates a job that syncs the
    shop database into shop_copy on the target, runs the precheck, starts the sync (schema, data, then the
    binlog), makes changes on the source while it runs, shows the status, checks that every table of the
    target equals the source's, stops the job, and removes everything it made (servers and worker stopped
    by PID, state file deleted).
#>
param([string] $Configuration = 'Release')
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'Pester/TestSupport.psm1')
Import-Module (Get-DtsModuleManifest)

$statePath = Join-Path (New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "dts-demo-$([guid]::NewGuid().ToString('N'))")) 'state.db'
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
INSERT INTO shop.orders SELECT seq, CONCAT('order ', seq) FROM shop.seq_2_to_20000;
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

    Write-Host 'Starting the sync and waiting for the initial sync (schema, then data):'
    $status = $job | Start-DtsSync -Wait -StatePath $statePath
    $status | Out-String -Width 160 | Out-Host
    if ($status.State -ne 'Synchronizing') { throw "The job is $($status.State): $($status.LastError)" }

    Write-Host 'Changing the source while the job runs (inserts, updates, deletes, and a column added after the mapped one):'
    foreach ($i in 1..20) {
        $source.Sql("INSERT INTO shop.customers VALUES ($(100 + $i), 'Customer $i', 'c$i@example.com'); UPDATE shop.orders SET note = 'changed $i' WHERE id = $(10 * $i); DELETE FROM shop.orders WHERE id = $(15000 + $i);") | Out-Null
        if ($i -eq 10) { $source.Sql("ALTER TABLE shop.orders ADD COLUMN shipped DATE NULL AFTER note") | Out-Null }
        if ($i -gt 10) { $source.Sql("UPDATE shop.orders SET shipped = '2026-11-30' WHERE id = $(10 * $i)") | Out-Null }
    }

    $tables = @(@{ Source = 'shop.customers'; Target = 'shop_copy.customers' }, @{ Source = 'shop.orders'; Target = 'shop_copy.orders' })
    function Get-Fingerprint($Server, $Table) { try { ($Server.Sql("CHECKSUM TABLE $Table") -split "`t")[-1] + ' / ' + $Server.Sql("SELECT COUNT(*) FROM $Table") + ' rows' } catch { 'missing' } }
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while (@($tables | Where-Object { (Get-Fingerprint $source $_.Source) -ne (Get-Fingerprint $target $_.Target) }).Count -gt 0) {
        if ([DateTime]::UtcNow -gt $deadline) { throw 'The target did not catch up with the source within 60 s.' }
        Start-Sleep -Milliseconds 200
    }

    Write-Host 'The status while it keeps syncing:'
    Get-DtsSyncStatus -StatePath $statePath | Out-String -Width 160 | Out-Host
    Write-Host 'Every synced table equals the source (CHECKSUM TABLE and row count):'
    $tables | ForEach-Object { [pscustomobject]@{ Source = $_.Source; Target = $_.Target; Checksum = Get-Fingerprint $target $_.Target } } | Format-Table | Out-Host
    Write-Host "Order 10 on the target, its note column mapped to remark: $($target.Sql('SELECT id, remark FROM shop_copy.orders WHERE id = 10'))"
    Write-Host "The ALTER as the target ran it, and the orders table there now:"
    # The worker writes its status once a second: the statement shows there within a second of being applied.
    $deadline = [DateTime]::UtcNow.AddSeconds(10)
    while (-not (Get-DtsSyncStatus -Name 'demo' -StatePath $statePath).RecentStatements -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
    (Get-DtsSyncStatus -Name 'demo' -StatePath $statePath).RecentStatements | Format-Table SourceTime, Outcome, TargetStatement -Wrap | Out-String -Width 160 | Out-Host
    Write-Host ($target.Sql('SHOW CREATE TABLE shop_copy.orders') -split "`t")[1].Replace('\n', "`n")

    Write-Host 'Stopping the job:'
    Stop-DtsSync -Name 'demo' -StatePath $statePath | Out-String -Width 160 | Out-Host

    Write-Host 'Comparing every synced table with its source (Compare-DtsSyncData):'
    $comparison = Compare-DtsSyncData -Name 'demo' -Rechecks 0 -StatePath $statePath
    $comparison | Out-String -Width 160 | Out-Host
    if (@($comparison | Where-Object { -not $_.Equal }).Count -gt 0) { throw 'Compare-DtsSyncData found a difference after the sync.' }
    Write-Host 'Deleting order 10 on the target behind the job''s back, and comparing the orders again:'
    $target.Sql('DELETE FROM shop_copy.orders WHERE id = 10')
    $orders = Compare-DtsSyncData -Name 'demo' -Table 'shop.orders' -Rechecks 0 -StatePath $statePath
    $orders | Format-List Table, TargetTable, Equal, MissingOnTarget | Out-String -Width 160 | Out-Host
    if ((@($orders.MissingOnTarget) -join ',') -ne '10') { throw 'Compare-DtsSyncData did not name the deleted order.' }
}
finally {
    Get-DtsSyncStatus -StatePath $statePath -ErrorAction Ignore | Where-Object WorkerProcessId | ForEach-Object { Stop-Process -Id $_.WorkerProcessId -Force -ErrorAction Ignore }
    $source, $target | Where-Object { $_ } | ForEach-Object Dispose
    Remove-Item -Recurse -Force (Split-Path $statePath) -ErrorAction Ignore
}

# The examples in the help of Get-DtsBinlogEvent and ConvertTo-DtsSql, run as written against a real server: only
# the names a reader would put in are swapped for the test's (the host, the binlog file's name, a position, a GTID),
# $cred is defined, and a job named nightly exists. An example that follows the binlog (-Wait) runs until it has
# written something, then is stopped, as a user stops it with Ctrl+C.
BeforeDiscovery {
    $root = Split-Path (Split-Path $PSScriptRoot)
    $script:examples = foreach ($page in 'Get-DtsBinlogEvent', 'ConvertTo-DtsSql') {
        $text = Get-Content -Raw (Join-Path $root "docs/en-US/$page.md")
        foreach ($match in [regex]::Matches($text, '### (Example [^\r\n]+)\r?\n```powershell\r?\n(?<code>.*?)\r?\n```', 'Singleline')) {
            @{ Page = $page; Title = $match.Groups[1].Value; Code = $match.Groups['code'].Value }
        }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module (Get-DtsModuleManifest) -Force
    $script:server = Start-TestServer
    Initialize-TestSource $server
    $script:position = Get-TestBinlogPosition $server
    # The examples' times of day ('09:00', '12:00') are swapped for times around the test's writes: a test must not
    # depend on the hour it runs at.
    $script:morning = (Get-Date).AddMinutes(-1).ToString('o')
    $server.Sql(@'
CREATE TABLE shop.orders_archive (id INT PRIMARY KEY, note VARCHAR(40)) ENGINE=InnoDB;
INSERT INTO shop.orders VALUES (2, 'second'), (3, 'third');
UPDATE shop.orders SET note = 'changed' WHERE id = 2;
DELETE FROM shop.orders WHERE id = 3;
ALTER TABLE shop.orders_archive ADD COLUMN at DATETIME NULL;
'@)
    $script:noon = (Get-Date).AddMinutes(1).ToString('o')
    $script:binlog = ($position -split ':')[0]
    $script:gtid = ($server.Sql('SELECT @@GLOBAL.gtid_binlog_pos') -split ',')[0]
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "dts-examples-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory $work | Out-Null
    Copy-Item (Join-Path $server.DataDirectory $binlog) (Join-Path $work 'mysql-bin.000042')
    $script:oldStatePath = $env:DTS_STATE_PATH
    $env:DTS_STATE_PATH = Join-Path $work 'state.db'
    $script:cred = Get-SourceCredential
    $script:liveId = 1000
    New-DtsSyncJob -Name nightly -Source $server.Address -SourceCredential $cred -Target 'unused' -TargetCredential $cred -Object shop -SourceSslMode None | Out-Null

    function ConvertTo-Runnable([string] $Code) {
        # The names a reader puts in, as the test server has them.
        $Code -replace '(?m)^\$cred = Get-Credential.*$', '' `
            -replace "'mysql-bin\.000042:1540'", "'$position'" `
            -replace "'mysql-bin\.000042:4'", "'${binlog}:4'" `
            -replace "'0-1-1200'", "'$gtid'" `
            -replace "\(Get-Date '09:00'\)", "(Get-Date '$morning')" `
            -replace "\(Get-Date '12:00'\)", "(Get-Date '$noon')" `
            -replace '(?<![\w./])(db1\.example\.com|mariadb1|db1)(?![\w.])', $server.Address
    }
}

AfterAll {
    $env:DTS_STATE_PATH = $oldStatePath
    if ($server) { $server.Dispose() }
    if ($work) { Remove-Item -Recurse -Force $work -ErrorAction Ignore }
}

Describe 'The help examples of <Page>' -ForEach @(@{ Page = 'Get-DtsBinlogEvent' }, @{ Page = 'ConvertTo-DtsSql' }) {
    It '<Title> runs as written' -ForEach ($examples | Where-Object Page -eq $Page) {
        $runnable = ConvertTo-Runnable $Code
        Push-Location $work
        try {
            if ($runnable -match '\s-Wait\b') {
                # It follows the binlog until stopped: run it aside, write to the server until it has shown something.
                $job = Start-ThreadJob -ScriptBlock ([scriptblock]::Create("Import-Module '$(Get-DtsModuleManifest)'; `$cred = `$using:cred; Set-Location `$using:work; $runnable | Out-String -Stream"))
                try {
                    $deadline = (Get-Date).AddSeconds(60)
                    $shown = ''
                    while ($shown -notmatch 'live|orders' -and $job.State -in 'NotStarted', 'Running' -and (Get-Date) -lt $deadline) {
                        $script:liveId++
                        $server.Sql("INSERT INTO shop.orders VALUES ($liveId, 'live'); UPDATE shop.orders SET note = 'live!' WHERE id = $liveId;")
                        $shown += ($job | Receive-Job -ErrorAction Continue 2>&1 | Out-String)
                    }

                    $job.State | Should -Be 'Running' -Because $shown
                    $shown | Should -Match 'live|orders' -Because 'the rows written while it follows the binlog are shown'
                } finally { $job | Stop-Job -PassThru | Remove-Job -Force }
            } else {
                $output = & ([scriptblock]::Create($runnable)) 2>&1
                @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) | Should -BeNullOrEmpty -Because $runnable
            }
        } finally { Pop-Location }
    }
}

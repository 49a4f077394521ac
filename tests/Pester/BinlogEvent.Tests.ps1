# Get-DtsBinlogEvent against a real MariaDB server, a job's source and the shared binlog fixtures.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module (Get-DtsModuleManifest) -Force
    $script:server = Start-TestServer -ExtraArguments '--binlog-row-metadata=FULL'
    Initialize-TestSource $server
    $script:start = Get-TestBinlogPosition $server
    $server.Sql(@'
CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(20) CHARACTER SET utf8mb4, kind ENUM('book','pen'), price DECIMAL(8,2)) ENGINE=InnoDB;
INSERT INTO shop.items VALUES (1, 'Ünïcode 😀', 'pen', 12.50), (2, 'second', 'book', 3.00);
UPDATE shop.items SET price = 13.75 WHERE id = 1;
DELETE FROM shop.items WHERE id = 2;
INSERT INTO shop.orders VALUES (10, 'ten');
'@)
    # Filler after the events of interest, so that -Count 40 is reached at once instead of by heartbeats.
    $server.Sql('CREATE TABLE shop.filler (id INT PRIMARY KEY) ENGINE=InnoDB;' + ((1..30 | ForEach-Object { "INSERT INTO shop.filler VALUES ($_);" }) -join ''))
    $script:statePath = Join-Path ([IO.Path]::GetTempPath()) "dts-pester-$([guid]::NewGuid().ToString('N'))/state.db"

    function Get-DumpThreadCount {
        [int]$server.Sql("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'")
    }
}

AfterAll {
    if ($server) { $server.Dispose() }
    if ($statePath) { Remove-Item -Recurse -Force (Split-Path $statePath) -ErrorAction Ignore }
}

Describe 'Get-DtsBinlogEvent from a server' {
    It 'streams typed, named row values that an operator can filter and group' {
        $events = Get-DtsBinlogEvent -Server $server.Address -Credential (Get-SourceCredential) -SslMode None -Start $start -Count 40
        $items = $events | Where-Object Table -eq 'items'
        ($items | Group-Object Type | ForEach-Object { "$($_.Name)=$($_.Count)" }) | Should -Be @('DeleteRowsV1=1', 'TableMap=3', 'UpdateRowsV1=1', 'WriteRowsV1=1')
        $insert = $items | Where-Object Type -eq 'WriteRowsV1'
        $insert.Rows.Count | Should -Be 2
        $insert.Rows[0].name | Should -Be 'Ünïcode 😀'
        $insert.Rows[0].kind | Should -Be 'pen'
        $insert.Rows[0].price | Should -Be ([decimal]'12.50')
        $update = ($items | Where-Object Type -eq 'UpdateRowsV1').Rows[0]
        $update.Before.price | Should -Be ([decimal]'12.50')
        $update.After.price | Should -Be ([decimal]'13.75')
        ($items | Where-Object Type -eq 'DeleteRowsV1').Rows[0].id | Should -Be 2
        $events[0].Position | Should -Match '^binlog\.\d+:\d+$'
    }

    It 'stops and closes its connection when the pipeline stops early' {
        $events = Get-DtsBinlogEvent -Server $server.Address -Credential (Get-SourceCredential) -SslMode None -Start $start | Select-Object -First 3
        $events.Count | Should -Be 3
        $deadline = (Get-Date).AddSeconds(30)
        while ((Get-DumpThreadCount) -gt 0 -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 100 }
        Get-DumpThreadCount | Should -Be 0
    }

    It 'resumes from the Position of an earlier event' {
        $all = Get-DtsBinlogEvent -Server $server.Address -Credential (Get-SourceCredential) -SslMode None -Start $start -Count 40
        $orders = $all | Where-Object { $_.Table -eq 'orders' -and $_.Type -eq 'TableMap' } | Select-Object -Last 1
        $again = Get-DtsBinlogEvent -Server $server.Address -Credential (Get-SourceCredential) -SslMode None -Start $orders.Position -Count 4
        ($again | Where-Object Type -eq 'WriteRowsV1').Rows[0].note | Should -Be 'ten'
    }

    It 'reads the source of a piped job with its stored credentials' {
        $job = New-DtsSyncJob -Source $server.Address -SourceCredential (Get-SourceCredential) -Target 'unused' -TargetCredential (Get-SourceCredential) `
            -Object shop -SourceSslMode None -StatePath $statePath
        $events = $job | Get-DtsBinlogEvent -Start $start -Count 40 -StatePath $statePath
        ($events | Where-Object Table -eq 'items').Count | Should -BeGreaterThan 0
        ($events | Where-Object { $_.Table -eq 'items' -and $_.Type -like 'WriteRows*' }).Rows[0].name | Should -Be 'Ünïcode 😀'

    }

    It 'fails with the server''s reason and a remedy for a start position the server does not have' {
        $err = { Get-DtsBinlogEvent -Server $server.Address -Credential (Get-SourceCredential) -SslMode None -Start 'binlog.999999:4' -Count 1 } |
            Should -Throw -PassThru
        $err.Exception.Message | Should -Match 'binlog\.999999'
        $err.ErrorDetails.RecommendedAction | Should -Match 'SHOW BINARY LOGS'
    }

    It 'refuses a -Start that is neither a position nor a GTID set' {
        $err = { Get-DtsBinlogEvent -Server $server.Address -Credential (Get-SourceCredential) -Start 'yesterday' -Count 1 } | Should -Throw -PassThru
        $err.ErrorDetails.RecommendedAction | Should -Match 'file:position'
    }
}

BeforeDiscovery {
    # The shared fixtures sit beside the checkout; the file test is skipped where they are absent.
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $hasFixtures = $null -ne (Get-BinlogFixtureFolder)
}

Describe 'Get-DtsBinlogEvent from a file' {
    BeforeAll { $script:fixtures = Get-BinlogFixtureFolder }

    It 'decodes a binlog file written by MySQL 5.6' -Skip:(-not $hasFixtures) {
        $events = Get-DtsBinlogEvent -Path (Join-Path $fixtures 'binlog-parser/mysql-bin.01')
        ($events | Where-Object Type -like '*Rows*' | ForEach-Object { $_.Rows.Count } | Measure-Object -Sum).Sum | Should -Be 10
        $events[0].Type | Should -Be 'FormatDescription'
    }

    It 'writes the events of a compressed MySQL 8 transaction after it' -Skip:(-not $hasFixtures) {
        $types = (Get-DtsBinlogEvent -Path (Join-Path $fixtures 'rust_mysql_common/transaction_compression.000001')).Type
        $at = [array]::IndexOf($types, 'TransactionPayload')
        $types[($at + 1)..($at + 4)] | Should -Be @('Query', 'TableMap', 'WriteRowsV2', 'Xid')
    }

    It 'says what is wrong with a file that is not a binlog' {
        $bogus = Join-Path ([IO.Path]::GetTempPath()) "dts-not-a-binlog-$([guid]::NewGuid().ToString('N'))"
        Set-Content -Path $bogus -Value 'hello'
        try {
            $err = { Get-DtsBinlogEvent -Path $bogus } | Should -Throw -PassThru
            $err.Exception.Message | Should -Match 'not a binlog file'
        } finally { Remove-Item $bogus }
    }
}

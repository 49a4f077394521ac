# Get-DtsBinlogEvent against a real MariaDB server, a job's source and the shared binlog fixtures.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module (Get-DtsModuleManifest) -Force
    # The server's default settings: binlog_row_metadata=NO_LOG, so names and types come from its schema.
    $script:server = Start-TestServer
    Initialize-TestSource $server
    $script:start = Get-TestBinlogPosition $server
    $server.Sql(@'
CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(20) CHARACTER SET utf8mb4, kind ENUM('book','pen'), price DECIMAL(8,2), big BIGINT UNSIGNED) ENGINE=InnoDB;
INSERT INTO shop.items VALUES (1, 'Ünïcode 😀', 'pen', 12.50, 18446744073709551615), (2, 'second', 'book', 3.00, 0);
CREATE TABLE shop.changed (id INT PRIMARY KEY, v INT) ENGINE=InnoDB;
INSERT INTO shop.changed VALUES (1, 7);
ALTER TABLE shop.changed ADD COLUMN w VARCHAR(5) FIRST;
UPDATE shop.items SET price = 13.75 WHERE id = 1;
DELETE FROM shop.items WHERE id = 2;
INSERT INTO shop.orders VALUES (10, 'ten');
'@)
    # Filler after the events of interest, so that -Count 40 is reached at once instead of by heartbeats.
    $server.Sql('CREATE TABLE shop.filler (id INT PRIMARY KEY) ENGINE=InnoDB;' + ((1..30 | ForEach-Object { "INSERT INTO shop.filler VALUES ($_);" }) -join ''))
    $script:statePath = Join-Path (New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "dts-pester-$([guid]::NewGuid().ToString('N'))")) 'state.db'

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
        $insert.Rows[0].big | Should -Be ([uint64]::MaxValue)
        $update = ($items | Where-Object Type -eq 'UpdateRowsV1').Rows[0]
        $update.Before.price | Should -Be ([decimal]'12.50')
        $update.After.price | Should -Be ([decimal]'13.75')
        ($items | Where-Object Type -eq 'DeleteRowsV1').Rows[0].id | Should -Be 2
        $events[0].Position | Should -Match '^binlog\.\d+:\d+$'
    }

    It 'stops and closes its connection when the pipeline stops early' {
        $events = Get-DtsBinlogEvent -Server $server.Address -Credential (Get-SourceCredential) -SslMode None -Start $start -Wait | Select-Object -First 3
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

    It 'ends at the end of the binlog as it stood when the call began' {
        $events = Get-DtsBinlogEvent -Server $server.Address -Credential (Get-SourceCredential) -SslMode None -Start $start
        ($events | Where-Object Table -eq 'filler' | Where-Object Type -like 'Write*').Count | Should -Be 30
        $events[-1].Position | Should -Not -BeNullOrEmpty
        Get-DtsBinlogEvent -Server $server.Address -Credential (Get-SourceCredential) -SslMode None | Should -BeNullOrEmpty
    }

    It 'follows new events with -Wait until the pipeline has what it asked for' {
        $server.Sql('CREATE TABLE shop.waited (id INT AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB')
        $writer = Start-ThreadJob { $s = $using:server; for ($i = 0; $i -lt 300; $i++) { $s.Sql('INSERT INTO shop.waited VALUES ()'); Start-Sleep -Milliseconds 200 } }
        try {
            $first = Get-DtsBinlogEvent -Server $server.Address -Credential (Get-SourceCredential) -SslMode None -Wait -Table waited -Type Insert | Select-Object -First 1
            $first.Table | Should -Be 'waited'
            $first.Rows[0].id | Should -BeGreaterThan 0
        } finally { $writer | Stop-Job -PassThru | Remove-Job }
    }

    It 'filters by database, table and kind before making any object' {
        $common = @{ Server = $server.Address; Credential = (Get-SourceCredential); SslMode = 'None'; Start = $start }
        $inserts = Get-DtsBinlogEvent @common -Table 'shop.it*' -Type Insert
        ($inserts.Type | Sort-Object -Unique) | Should -Be 'WriteRowsV1'
        ($inserts.Table | Sort-Object -Unique) | Should -Be 'items'
        (Get-DtsBinlogEvent @common -Table items).Type | Should -Be @('Query', 'WriteRowsV1', 'UpdateRowsV1', 'DeleteRowsV1')
        $ddl = Get-DtsBinlogEvent @common -Database shop -Type Ddl
        $ddl.Query | Should -Match '^(CREATE|ALTER) TABLE'
        ($ddl | Where-Object Query -like 'ALTER*').Query | Should -Match 'shop.changed'
        { Get-DtsBinlogEvent @common -Type Upsert } | Should -Throw -ExpectedMessage "*'Upsert' is not a kind of change*"
    }

    It 'stops at a position, a GTID, or a time' {
        $common = @{ Server = $server.Address; Credential = (Get-SourceCredential); SslMode = 'None'; Start = $start }
        $all = Get-DtsBinlogEvent @common
        $map = $all | Where-Object { $_.Table -eq 'orders' -and $_.Type -eq 'TableMap' } | Select-Object -First 1
        $before = Get-DtsBinlogEvent @common -Stop $map.Position
        $before[-1].NextPosition | Should -BeLessOrEqual ([uint32]($map.Position -split ':')[1])
        ($before | Where-Object Table -eq 'orders') | Should -BeNullOrEmpty

        $gtid = ($all | Where-Object Type -eq 'MariaGtid' | Select-Object -Skip 2 -First 1).Gtid
        $upTo = Get-DtsBinlogEvent @common -Stop $gtid
        ($upTo | Where-Object Type -eq 'MariaGtid')[-1].Gtid | Should -Be $gtid
        $upTo[-1].Type | Should -BeIn @('Xid', 'Query')

        Get-DtsBinlogEvent @common -Stop ([datetime]'2000-01-01') | Where-Object Rows | Should -BeNullOrEmpty
        (Get-DtsBinlogEvent @common -Stop ([datetime]::Now.AddDays(1))).Count | Should -Be $all.Count
    }

    It 'starts at the first transaction written at or after a time, from a server or a file' {
        $server.Sql('CREATE TABLE IF NOT EXISTS shop.timed (id INT PRIMARY KEY) ENGINE=InnoDB; INSERT INTO shop.timed VALUES (1);')
        $last = [long]$server.Sql('SELECT UNIX_TIMESTAMP()')
        $deadline = (Get-Date).AddSeconds(10)
        while ([long]$server.Sql('SELECT UNIX_TIMESTAMP()') -le $last -and (Get-Date) -lt $deadline) { }
        $from = [DateTimeOffset]::FromUnixTimeSeconds([long]$server.Sql('SELECT UNIX_TIMESTAMP()'))
        $server.Sql('INSERT INTO shop.timed VALUES (2), (3);')
        $rows = Get-DtsBinlogEvent -Server $server.Address -Credential (Get-SourceCredential) -SslMode None -Start $from.ToString('o') -Table timed -Type Insert
        $rows.Rows.id | Should -Be @(2, 3)

        $file = Join-Path $server.DataDirectory (($start -split ':')[0])
        (Get-DtsBinlogEvent -Path $file -Server $server.Address -Credential (Get-SourceCredential) -SslMode None -Start $from.ToString('o') -Table timed -Type Insert).Rows.id | Should -Be @(2, 3)
        $second = (Get-DtsBinlogEvent -Path $file | Select-Object -Skip 5 -First 1).Position
        (Get-DtsBinlogEvent -Path $file -Start $second -Count 1).Position | Should -Be $second
    }

    It 'returns at once with nothing when -Start is later than every event (unless -Wait)' {
        $later = (Get-Date).AddHours(1).ToString('o')
        $manifest = Get-DtsModuleManifest
        $address = $server.Address
        $credential = Get-SourceCredential
        $reader = Start-ThreadJob -ScriptBlock {
            Import-Module $using:manifest
            @(Get-DtsBinlogEvent -Server $using:address -Credential $using:credential -SslMode None -Start $using:later).Count
        }
        try {
            # Before the fix this never returned: the skipped events never reached the end of the binlog.
            $reader | Wait-Job -Timeout 60 | Out-Null
            $reader.State | Should -Be 'Completed'
            $reader | Receive-Job | Should -Be 0
        } finally { $reader | Stop-Job -PassThru | Remove-Job -Force }
    }

    It 'shows a table whose structure changed since by position, with one warning' {
        $events = Get-DtsBinlogEvent -Server $server.Address -Credential (Get-SourceCredential) -SslMode None -Start $start -Table changed -Type Insert -WarningVariable warned -WarningAction SilentlyContinue
        $events.Rows[0].'@1' | Should -Be 1
        $events.Rows[0].'@2' | Should -Be 7
        @($warned).Count | Should -Be 1
        "$warned" | Should -Match 'shop.changed.*@1'
    }

    It 'names the columns of a binlog file from a server''s schema, or says how to' {
        $file = Join-Path $server.DataDirectory (($start -split ':')[0])
        $named = Get-DtsBinlogEvent -Path $file -Server $server.Address -Credential (Get-SourceCredential) -SslMode None -Table items -Type Insert
        $named.Rows[0].name | Should -Be 'Ünïcode 😀'
        $plain = Get-DtsBinlogEvent -Path $file -Table items -Type Insert -WarningVariable warned -WarningAction SilentlyContinue
        $plain.Rows[0].'@1' | Should -Be 1
        "$warned" | Should -Match '-Server and -Credential, or -Job'
        { Get-DtsBinlogEvent -Path $file -Server $server.Address } | Should -Throw '*without -Credential*'
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

Describe 'ConvertTo-DtsSql' {
    BeforeAll {
        # A second server with the same starting rows, to replay the changes on.
        $script:copy = Start-TestServer
        $script:every = @'
CREATE TABLE {0}.every (id BIGINT UNSIGNED PRIMARY KEY, v BIGINT UNSIGNED, e ENUM('a','b','c'), s SET('x','y','z'), b BIT(10), t TIME(3), j JSON,
    bin VARBINARY(10), f FLOAT, d DOUBLE, y YEAR, dt DATETIME(6), ts TIMESTAMP(6) NULL, dat DATE, big DECIMAL(65,30), u TINYINT UNSIGNED, c CHAR(36),
    g POINT NULL, bl BLOB, tx TEXT CHARACTER SET utf8mb4, l1 VARCHAR(20) CHARACTER SET latin1) ENGINE=InnoDB;
CREATE TABLE {0}.nokey (k VARCHAR(10), n INT) ENGINE=InnoDB;
INSERT INTO {0}.every VALUES (18446744073709551615, 18446744073709551614, 'c', 'x,z', b'1010101010', '-838:59:59.000', '{{"k": [1, "é"]}}',
    X'00FF00', 1.2345678, 0.1e0 + 0.2e0, 2155, '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999', '0000-00-00', '-12345678901234567890123456789012345.123456789012345678901234567891', 255, 'c3d5a2b8-0000-4000-8000-000000000000',
    ST_GeomFromText('POINT(1 2)'), X'090A5C000D4E', 'tab\there\nnew\\line\0nul 😀 \\N', 'Grüße'),
    (1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, X'', '', '');
INSERT INTO {0}.nokey VALUES ('dup', 1), ('dup', 1), ('one', 2);
'@
        $copy.Sql('CREATE DATABASE IF NOT EXISTS shop;' + ($every -f 'shop'))
        $server.Sql($every -f 'shop')
        function Get-Checksum($on) { $on.Sql('CHECKSUM TABLE shop.every, shop.nokey') -replace '\s+', ' ' }
        $script:original = Get-Checksum $server
        $script:changesFrom = Get-TestBinlogPosition $server
        $server.Sql(@'
INSERT INTO shop.every (id, v, e, s, dt, ts, big, tx) VALUES (2, 0, 'a', '', '2000-01-01 00:00:00.000001', '1970-01-01 00:00:01', 0.000000000000000000000000000001, 'ä');
UPDATE shop.every SET v = 5, j = '[]', tx = CONCAT(tx, '!'), ts = '2001-02-03 04:05:06.7' WHERE id = 1;
UPDATE shop.every SET id = 3 WHERE id = 2;
DELETE FROM shop.every WHERE id = 18446744073709551615;
INSERT INTO shop.nokey VALUES ('dup', 1);
DELETE FROM shop.nokey WHERE k = 'dup' LIMIT 1;
UPDATE shop.nokey SET n = 3 WHERE k = 'one';
BEGIN; UPDATE shop.nokey SET n = n + 1; INSERT INTO shop.every (id) VALUES (4); COMMIT;
'@)
        $script:changed = Get-Checksum $server
        $script:changes = Get-DtsBinlogEvent -Server $server.Address -Credential (Get-SourceCredential) -SslMode None -Start $changesFrom -Database shop -Type Insert, Update, Delete
    }

    AfterAll { if ($copy) { $copy.Dispose() } }

    It 'replays the changes on a copy, one transaction per source transaction, leaving it equal to the source' {
        $replay = $changes | ConvertTo-DtsSql
        $replay.Count | Should -Be 8
        $replay[-1] | Should -Match '(?s)BEGIN;\nUPDATE `shop`.`nokey`.*\nINSERT INTO `shop`.`every`.*COMMIT;'
        $copy.Sql($replay -join "`n")
        Get-Checksum $copy | Should -Be $changed
    }

    It 'undoes the changes, last first, leaving the table as it was before them' {
        $undo = $changes | ConvertTo-DtsSql -Undo
        $undo[0] | Should -Match '(?s)BEGIN;\nDELETE FROM `shop`.`every` WHERE `id`=4;\nUPDATE `shop`.`nokey`'
        $server.Sql($undo -join "`n")
        Get-Checksum $server | Should -Be $original
    }

    It 'says how to name the columns when the events have none' {
        $file = Join-Path $server.DataDirectory (($changesFrom -split ':')[0])
        $err = { Get-DtsBinlogEvent -Path $file -Table every -Type Delete -WarningAction SilentlyContinue | ConvertTo-DtsSql -Undo } | Should -Throw -PassThru
        $err.ErrorDetails.RecommendedAction | Should -Match '-Server'
    }
}

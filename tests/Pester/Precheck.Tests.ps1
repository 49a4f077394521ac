# Every precheck item, each against a real MariaDB server set up to fail (or warn) it.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module (Get-DtsModuleManifest) -Force
    $script:source = Start-TestServer
    $script:target = Start-TestServer
    Initialize-TestSource $source
    Initialize-TestTarget $target
    $script:statePath = Join-Path (New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "dts-pester-$([guid]::NewGuid().ToString('N'))")) 'state.db'

    function Invoke-Precheck {
        param(
            $Source = $script:source,
            $Target = $script:target,
            [string[]] $Object = @('shop'),
            [pscredential] $SourceCredential = (Get-SourceCredential),
            [pscredential] $TargetCredential = (Get-TargetCredential),
            [hashtable] $Mapping = @{},
            [string[]] $InitialSync = @('Schema', 'Data'),
            [string] $SourceAddress = $Source.Address,
            [int] $TimeoutSec = 5,
            [string] $SourceSslMode = 'None',
            [string] $SourceSslCa
        )
        $tls = if ($SourceSslCa) { @{ SourceSslCa = $SourceSslCa } } else { @{} }
        $job = New-DtsSyncJob -Source $SourceAddress -SourceCredential $SourceCredential -Target $Target.Address -TargetCredential $TargetCredential `
            -Object $Object -Mapping $Mapping -InitialSync $InitialSync -SourceSslMode $SourceSslMode -TargetSslMode None -StatePath $script:statePath @tls
        $job | Test-DtsPrecheck -StatePath $script:statePath -TimeoutSec $TimeoutSec
    }

    function Get-Check($Results, [string] $Name) {
        $found = @($Results | Where-Object Check -eq $Name)
        if ($found.Count -ne 1) { throw "Expected one '$Name' result, got $($found.Count): $($Results | Out-String)" }
        $found[0]
    }
}

AfterAll {
    $source, $target | Where-Object { $_ } | ForEach-Object Dispose
    if ($statePath) { Remove-Item -Recurse -Force (Split-Path $statePath) -ErrorAction Ignore }
}

Describe 'A well-configured pair' {
    It 'passes every check, in the documented order, and the job becomes Ready' {
        $results = Invoke-Precheck
        $results.Check | Should -Be (Get-DocumentedCheckName)
        $results | Where-Object Status -ne 'Passed' | ForEach-Object { "$($_.Check): $($_.Message)" } | Should -BeNullOrEmpty
        (Get-DtsSyncJob -Id $results[0].JobId -StatePath $statePath).State | Should -Be 'Ready'
    }
}

Describe 'Source connection' {
    It 'fails with a clear message on a wrong password' {
        $r = Get-Check (Invoke-Precheck -SourceCredential (New-TestCredential 'dts_src' 'wrong')) 'SourceConnection'
        $r.Status | Should -Be 'Failed'
        $r.Message | Should -Match "refused the login of 'dts_src'"
        $r.Remedy | Should -Match 'password'
        # The table view shows the remedy of an item that failed.
        ($r | Format-Table | Out-String -Width 400) | Should -Match "Remedy: .*password"
    }

    It 'fails with a clear message when nothing listens on the port' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $results = Invoke-Precheck -SourceAddress "127.0.0.1:$port"
        $r = Get-Check $results 'SourceConnection'
        $r.Status | Should -Be 'Failed'
        $r.Message | Should -Match "Cannot reach the source 127.0.0.1:$port"
        $results.Check | Should -Not -Contain 'SourceBinlog'
        (Get-Check $results 'TargetConnection').Status | Should -Be 'Passed'
    }

    It 'fails within its timeout when the server accepts but never answers' {
        $silent = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $silent.Start()
        try {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $r = Get-Check (Invoke-Precheck -SourceAddress "127.0.0.1:$($silent.LocalEndpoint.Port)" -TimeoutSec 2) 'SourceConnection'
            $watch.Stop()
            $r.Status | Should -Be 'Failed'
            $r.Message | Should -Match 'No answer .* within 2 s'
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 30 -Because 'a check must not hang past its timeout'
        } finally { $silent.Stop() }
    }
}

Describe 'Connection security' {
    BeforeAll { $script:tlsSource = Start-TestServer -Tls; Initialize-TestSource $tlsSource }
    AfterAll { $tlsSource.Dispose() }

    It 'connects over TLS with -SourceSslMode Required' {
        $r = Get-Check (Invoke-Precheck -Source $tlsSource -SourceSslMode Required) 'SourceConnection'
        $r.Status | Should -Be 'Passed'
        $r.Message | Should -Match '\(TLS, '
        (Get-Check (Invoke-Precheck -Source $tlsSource -SourceSslMode None) 'SourceConnection').Message | Should -Match '\(unencrypted\)'
    }

    It 'fails Required against a server without TLS, naming the SSL mode' {
        $r = Get-Check (Invoke-Precheck -SourceSslMode Required) 'SourceConnection'
        $r.Status | Should -Be 'Failed'
        $r.Message | Should -Match 'secure connection'
        $r.Remedy | Should -Match 'SSL mode'
    }

    It 'fails VerifyCA when the server certificate is not trusted' {
        $r = Get-Check (Invoke-Precheck -Source $tlsSource -SourceSslMode VerifyCA) 'SourceConnection'
        $r.Status | Should -Be 'Failed'
        $r.Message | Should -Match 'secure connection'
        $r.Remedy | Should -Match 'SourceSslCa'
    }

    It 'passes VerifyFull with the authority that signed the certificate given as -SourceSslCa' {
        $r = Get-Check (Invoke-Precheck -Source $tlsSource -SourceSslMode VerifyFull -SourceSslCa ([DtsPowerShell.TestServers.TestCertificates]::CaPath)) 'SourceConnection'
        $r.Status | Should -Be 'Passed'
        $r.Message | Should -Match '\(TLS, '
    }
}

Describe 'Source server settings' {
    It 'fails <Check> on a source started with <Setting>' -ForEach @(
        @{ Check = 'SourceVersion'; Setting = 'version 5.0.96'; Options = @{ VersionString = '5.0.96-log' }; Property = 'Message'; Pattern = '5\.0\.96' }
        @{ Check = 'SourceBinlog'; Setting = 'the binary log off'; Options = @{ BinlogOff = $true }; Property = 'Remedy'; Pattern = 'log-bin' }
        @{ Check = 'SourceBinlogFormat'; Setting = 'binlog_format=STATEMENT'; Options = @{ BinlogFormat = 'STATEMENT' }; Property = 'Message'; Pattern = 'STATEMENT' }
        @{ Check = 'SourceBinlogRowImage'; Setting = 'binlog_row_image=MINIMAL'; Options = @{ BinlogRowImage = 'MINIMAL' }; Property = 'Message'; Pattern = 'MINIMAL' }
    ) {
        $server = Start-TestServer @Options
        try {
            Initialize-TestSource $server
            $r = Get-Check (Invoke-Precheck -Source $server) $Check
            $r.Status | Should -Be 'Failed'
            $r.$Property | Should -Match $Pattern
            $r.Remedy | Should -Not -BeNullOrEmpty
        } finally { $server.Dispose() }
    }

    It 'warns when binary logs are kept less than 7 days' {
        $source.Sql('SET GLOBAL binlog_expire_logs_seconds = 7200')
        try {
            $r = Get-Check (Invoke-Precheck) 'SourceBinlogRetention'
            $r.Status | Should -Be 'Warning'
            $r.Message | Should -Match '2 hours'
        } finally { $source.Sql('SET GLOBAL binlog_expire_logs_seconds = 0') }
    }
}

Describe 'Source account and objects' {
    It 'fails when REPLICATION SLAVE is missing, naming the GRANT to run' {
        $source.CreateUser('no_repl', 'NoRepl-1', [string[]]@('GRANT REPLICATION CLIENT, SELECT ON *.* TO {user}'))
        $r = Get-Check (Invoke-Precheck -SourceCredential (New-TestCredential 'no_repl' 'NoRepl-1')) 'SourcePrivileges'
        $r.Status | Should -Be 'Failed'
        $r.Message | Should -Match 'REPLICATION SLAVE'
        $r.Remedy | Should -Match "GRANT REPLICATION SLAVE ON \*\.\* TO 'no_repl'@'%'"
    }

    It 'fails when SELECT on a selected table is missing' {
        $source.CreateUser('no_select', 'NoSelect-1', [string[]]@('GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO {user}'))
        $r = Get-Check (Invoke-Precheck -Object 'shop.orders' -SourceCredential (New-TestCredential 'no_select' 'NoSelect-1')) 'SourcePrivileges'
        $r.Status | Should -Be 'Failed'
        $r.Message | Should -Match 'SELECT ON shop\.orders'
    }

    It 'fails when a selected object does not exist' {
        $r = Get-Check (Invoke-Precheck -Object 'shop.orders', 'shop.missing', 'nodb') 'SourceObjects'
        $r.Status | Should -Be 'Failed'
        $r.Message | Should -Match 'shop\.missing'
        $r.Message | Should -Match 'nodb'
        $r.Message | Should -Not -Match 'shop\.orders'
    }

    It 'fails when the mapping names a table or column that does not exist' {
        $r = Get-Check (Invoke-Precheck -Mapping @{ 'shop.ordres' = 'x'; 'shop.orders.nots' = 'remark'; 'shop.orders.note' = 'remark2' }) 'SourceObjects'
        $r.Status | Should -Be 'Failed'
        $r.Message | Should -Match 'shop\.ordres'
        $r.Message | Should -Match 'shop\.orders\.nots'
        $r.Message | Should -Not -Match 'shop\.orders\.note\b'
    }

    It 'warns about tables without a primary or unique key' {
        $source.Sql('CREATE DATABASE IF NOT EXISTS nokey; CREATE TABLE IF NOT EXISTS nokey.events (at DATETIME, what TEXT) ENGINE=InnoDB; CREATE TABLE IF NOT EXISTS nokey.keyed (id INT UNIQUE NOT NULL) ENGINE=InnoDB;')
        $r = Get-Check (Invoke-Precheck -Object 'nokey') 'SourcePrimaryKeys'
        $r.Status | Should -Be 'Warning'
        $r.Message | Should -Match 'nokey\.events'
        $r.Message | Should -Not -Match 'nokey\.keyed'
    }

    It 'warns about triggers that write selected tables' {
        $source.Sql(@'
CREATE DATABASE IF NOT EXISTS trig;
CREATE TABLE IF NOT EXISTS trig.orders (id INT PRIMARY KEY) ENGINE=InnoDB;
CREATE TABLE IF NOT EXISTS trig.audit (id INT PRIMARY KEY) ENGINE=InnoDB;
CREATE TRIGGER IF NOT EXISTS trig.orders_audit AFTER INSERT ON trig.orders FOR EACH ROW INSERT INTO audit (id) VALUES (NEW.id);
'@)
        $r = Get-Check (Invoke-Precheck -Object 'trig') 'SourceTriggers'
        $r.Status | Should -Be 'Warning'
        $r.Message | Should -Match 'orders_audit'
        (Get-Check (Invoke-Precheck -Object 'trig.orders') 'SourceTriggers').Status | Should -Be 'Passed' -Because 'the written table is not selected'
    }

    It 'warns when the account cannot see the triggers' {
        $source.CreateUser('no_trigger', 'NoTrigger-1', [string[]]@('GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT ON *.* TO {user}'))
        $r = Get-Check (Invoke-Precheck -Object 'trig' -SourceCredential (New-TestCredential 'no_trigger' 'NoTrigger-1')) 'SourceTriggers'
        $r.Status | Should -Be 'Warning'
        $r.Message | Should -Match 'cannot see the triggers of trig'
        $r.Remedy | Should -Match 'GRANT TRIGGER ON `trig`'
    }

    It 'warns when the heartbeat table cannot be written' {
        $source.CreateUser('no_heartbeat', 'NoBeat-1', [string[]]@('GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT ON *.* TO {user}'))
        $r = Get-Check (Invoke-Precheck -SourceCredential (New-TestCredential 'no_heartbeat' 'NoBeat-1')) 'SourceHeartbeat'
        $r.Status | Should -Be 'Warning'
        $r.Remedy | Should -Match 'GRANT CREATE, INSERT, UPDATE ON `_dts`'
    }
}

Describe 'Target' {
    It 'fails with a clear message on a wrong password' {
        $r = Get-Check (Invoke-Precheck -TargetCredential (New-TestCredential 'dts_tgt' 'wrong')) 'TargetConnection'
        $r.Status | Should -Be 'Failed'
        $r.Message | Should -Match "refused the login of 'dts_tgt'"
    }

    It 'fails when the account cannot create and write the mapped database' {
        $target.CreateUser('tgt_readonly', 'ReadOnly-1', [string[]]@('GRANT SELECT ON *.* TO {user}'))
        $r = Get-Check (Invoke-Precheck -TargetCredential (New-TestCredential 'tgt_readonly' 'ReadOnly-1') -Mapping @{ shop = 'shop_copy' }) 'TargetPrivileges'
        $r.Status | Should -Be 'Failed'
        $r.Message | Should -Match 'INSERT ON `shop_copy`'
        $r.Remedy | Should -Match "GRANT .*INSERT.* ON ``shop_copy``\.\* TO 'tgt_readonly'@'%'"
    }

    It 'fails when a table to create exists with rows, and warns when it exists empty' {
        $target.Sql('CREATE DATABASE IF NOT EXISTS has_rows; CREATE TABLE IF NOT EXISTS has_rows.orders (id INT PRIMARY KEY); INSERT IGNORE INTO has_rows.orders VALUES (7);')
        $target.Sql('CREATE DATABASE IF NOT EXISTS is_empty; CREATE TABLE IF NOT EXISTS is_empty.orders (id INT PRIMARY KEY);')
        $failed = Get-Check (Invoke-Precheck -Mapping @{ shop = 'has_rows' }) 'TargetNameConflicts'
        $failed.Status | Should -Be 'Failed'
        $failed.Message | Should -Match 'has_rows\.orders'
        $warned = Get-Check (Invoke-Precheck -Mapping @{ 'shop.orders' = 'is_empty.orders' }) 'TargetNameConflicts'
        $warned.Status | Should -Be 'Warning'
        $warned.Message | Should -Match 'is_empty\.orders'
    }

    It 'fails when schema initialisation is off and a mapped table is missing' {
        $r = Get-Check (Invoke-Precheck -InitialSync None -Mapping @{ shop = 'never_created' }) 'TargetNameConflicts'
        $r.Status | Should -Be 'Failed'
        $r.Message | Should -Match 'never_created\.orders'
    }

    It 'fails when the target lacks a collation the source uses' {
        $custom = Start-TestServer -CustomCollation
        try {
            Initialize-TestSource $custom
            $custom.Sql('CREATE TABLE shop.names (id INT PRIMARY KEY, name VARCHAR(20) CHARACTER SET latin1 COLLATE latin1_dts_test_ci)')
            $r = Get-Check (Invoke-Precheck -Source $custom) 'TargetCharsets'
            $r.Status | Should -Be 'Failed'
            $r.Message | Should -Match 'latin1_dts_test_ci'
            (Get-Check (Invoke-Precheck -Source $custom -Object 'shop.orders') 'TargetCharsets').Status | Should -Be 'Passed' -Because 'shop.orders does not use it'
        } finally { $custom.Dispose() }
    }

    It 'fails when the target max_allowed_packet is smaller than the source''s' {
        $target.Sql('SET GLOBAL max_allowed_packet = 1048576')
        try {
            $r = Get-Check (Invoke-Precheck) 'TargetMaxAllowedPacket'
            $r.Status | Should -Be 'Failed'
            $r.Message | Should -Match '1048576 on the target'
        } finally { $target.Sql('SET GLOBAL max_allowed_packet = 16777216') }
    }

    It 'warns when local_infile is off on the target' {
        $target.Sql('SET GLOBAL local_infile = OFF')
        try {
            (Get-Check (Invoke-Precheck) 'TargetLocalInfile').Status | Should -Be 'Warning'
        } finally { $target.Sql('SET GLOBAL local_infile = ON') }
    }

    It 'fails when lower_case_table_names differs' {
        $folding = Start-TestServer -LowerCaseTableNames 1
        try {
            Initialize-TestTarget $folding
            $r = Get-Check (Invoke-Precheck -Target $folding) 'LowerCaseTableNames'
            $r.Status | Should -Be 'Failed'
            $r.Message | Should -Match '0 on the source but 1 on the target'
        } finally { $folding.Dispose() }
    }

    It 'warns about non-transactional engines and fails MRG_MyISAM' {
        $source.Sql(@'
CREATE DATABASE IF NOT EXISTS engines;
CREATE TABLE IF NOT EXISTS engines.plain (id INT PRIMARY KEY) ENGINE=MyISAM;
CREATE TABLE IF NOT EXISTS engines.merged (id INT PRIMARY KEY) ENGINE=MRG_MyISAM UNION=(engines.plain);
'@)
        $warned = Get-Check (Invoke-Precheck -Object 'engines.plain') 'StorageEngines'
        $warned.Status | Should -Be 'Warning'
        $warned.Message | Should -Match 'engines\.plain \(MyISAM\)'
        $failed = Get-Check (Invoke-Precheck -Object 'engines') 'StorageEngines'
        $failed.Status | Should -Be 'Failed'
        $failed.Message | Should -Match 'engines\.merged \(MRG_MyISAM\)'
    }

    It 'fails when the target has no room for the job''s connections' {
        # MariaDB's smallest max_connections is 10: hold 7 of them with sleeping clients.
        $target.Sql('SET GLOBAL max_connections = 10')
        $sleepers = 1..7 | ForEach-Object {
            Start-Process -FilePath mariadb -ArgumentList '--no-defaults', "--socket=$($target.Socket)", '--user=root', '--execute=SELECT(SLEEP(120))' -PassThru -RedirectStandardOutput '/dev/null'
        }
        try {
            $deadline = (Get-Date).AddSeconds(30)
            while ([int]($target.Sql("SHOW GLOBAL STATUS LIKE 'Threads_connected'") -split '\t')[1] -lt 8) {
                if ((Get-Date) -gt $deadline) { throw 'the sleeping clients did not connect' }
                Start-Sleep -Milliseconds 50
            }
            $r = Get-Check (Invoke-Precheck) 'TargetConnectionLimits'
            $r.Status | Should -Be 'Failed'
            $r.Message | Should -Match 'allows 10 connections'
        } finally {
            $sleepers | ForEach-Object { Stop-Process -Id $_.Id -Force -ErrorAction Ignore }
            $target.Sql('SET GLOBAL max_connections = 100')
        }
    }

    It 'fails when the target account may open too few connections' {
        $target.CreateUser('tgt_limited', 'Limited-1', [string[]]@('GRANT ALL PRIVILEGES ON *.* TO {user}', 'ALTER USER {user} WITH MAX_USER_CONNECTIONS 2'))
        $r = Get-Check (Invoke-Precheck -TargetCredential (New-TestCredential 'tgt_limited' 'Limited-1')) 'TargetConnectionLimits'
        $r.Status | Should -Be 'Failed'
        $r.Message | Should -Match 'only 2 connections'
    }
}

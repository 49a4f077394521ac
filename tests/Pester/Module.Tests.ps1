# The module as a user meets it: import, exports, jobs through the pipeline, state across processes.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:manifest = Get-DtsModuleManifest
    Import-Module $manifest -Force
    $script:stateDir = Join-Path ([IO.Path]::GetTempPath()) "dts-pester-$([guid]::NewGuid().ToString('N'))"
    $script:statePath = Join-Path $stateDir 'state.db'
    $null = New-Item -ItemType Directory -Path $stateDir
    $script:source = Start-TestServer
    $script:target = Start-TestServer
    Initialize-TestSource $source
    Initialize-TestTarget $target

    function New-TestJob([string] $Name, [string[]] $Object = @('shop'), [string] $StatePath = $script:statePath) {
        New-DtsSyncJob -Name $Name -Source $source.Address -SourceCredential (Get-SourceCredential) -Target $target.Address `
            -TargetCredential (Get-TargetCredential) -Object $Object -StatePath $StatePath -SourceSslMode None -TargetSslMode None
    }
}

AfterAll {
    $source, $target | Where-Object { $_ } | ForEach-Object Dispose
    Remove-Item -Recurse -Force $stateDir -ErrorAction Ignore
}

Describe 'The module' {
    It 'exports exactly the cmdlets of its manifest' {
        $exported = (Get-Module DtsPowerShell).ExportedCmdlets.Keys | Sort-Object
        $exported | Should -Be ((Import-PowerShellDataFile $manifest).CmdletsToExport | Sort-Object)
        (Get-Module DtsPowerShell).ExportedFunctions.Count | Should -Be 0
    }

    It 'keeps its cmdlets when imported again with -Force or after Remove-Module' {
        $output = Invoke-ChildPwsh @"
Import-Module '$manifest' -Force
Import-Module '$manifest' -Force
(Get-Command -Module DtsPowerShell).Count
Remove-Module DtsPowerShell
Import-Module '$manifest'
(Get-Command -Module DtsPowerShell).Count
(Get-DtsSyncJob -StatePath '$(Join-Path $stateDir 'reload.db')' | Measure-Object).Count
"@
        $expected = [string](Import-PowerShellDataFile $manifest).CmdletsToExport.Count
        $output | Should -Be @($expected, $expected, '0')
    }

    It 'shows jobs as a compact table' {
        $job = New-TestJob -Name 'table-view'
        $text = $job | Out-String -Width 200
        $text | Should -Match 'Id\s+Name\s+State\s+Source\s+Target\s+Objects'
        $text | Should -Match ([regex]::Escape($job.Id))
    }

    It 'imports and works where another MySqlConnector version was loaded first' {
        $older = Join-Path (Get-NuGetPackageFolder) 'mysqlconnector/2.4.0/lib/net8.0/MySqlConnector.dll'
        Test-Path $older | Should -BeTrue -Because 'TestTools.proj restores MySqlConnector 2.4.0'
        $isolatedState = Join-Path $stateDir 'isolated.db'
        $output = Invoke-ChildPwsh @"
`$ErrorActionPreference = 'Stop'
Add-Type -Path '$older'
Import-Module '$manifest'
Import-Module '$(Join-Path $PSScriptRoot 'TestSupport.psm1')'
`$src = Get-SourceCredential
`$tgt = Get-TargetCredential
'loaded=' + [MySqlConnector.MySqlConnection].Assembly.Location
'passed=' + (New-DtsSyncJob -Source '$($source.Address)' -SourceCredential `$src -Target '$($target.Address)' -TargetCredential `$tgt -Object shop -StatePath '$isolatedState' | Test-DtsPrecheck -StatePath '$isolatedState' -Quiet)
"@
        $output | Should -Contain "loaded=$older"
        $output | Should -Contain 'passed=True'
    }
}

Describe 'New-DtsSyncJob' {
    It 'creates a job with a short id, a generated name and the defaults' {
        $job = New-DtsSyncJob -Source $source.Address -SourceCredential (Get-SourceCredential) -Target 'db.example.com' `
            -TargetCredential (Get-TargetCredential) -Object 'shop', 'crm.customers' -Mapping @{ 'shop' = 'shop_copy'; 'shop.orders' = 'shop_copy.orders2'; 'shop.orders.note' = 'remark' } -StatePath $statePath
        $job.Id | Should -Match '^[a-z2-9]{8}$'
        $job.Name | Should -Match '^dts-\d{8}-\d{6}$'
        $job.Target | Should -Be 'db.example.com:3306'
        $job.Objects | Should -Be @('shop', 'crm.customers')
        $job.Mapping['shop.orders'] | Should -Be 'shop_copy.orders2'
        $job.Mapping['shop.orders.note'] | Should -Be 'remark'
        $job.InitialSync | Should -Be 'Schema, Data'
        $job.State | Should -Be 'Created'
        $job.SourceSslMode | Should -Be 'Preferred'
        $job.PSObject.Properties.Name | Should -Not -Contain 'Password'
    }

    It 'accepts back-quoted names and incremental-only sync' {
        $job = New-DtsSyncJob -Source $source.Address -SourceCredential (Get-SourceCredential) -Target $target.Address `
            -TargetCredential (Get-TargetCredential) -Object '`my.db`.`t 1`' -InitialSync None -StatePath $statePath
        $job.Objects | Should -Be @('`my.db`.`t 1`')
        $job.InitialSync | Should -Be 'None'
    }

    It 'keeps the full path of a CA file given with a verifying SSL mode' {
        Push-Location (Split-Path ([DtsPowerShell.TestServers.TestCertificates]::CaPath))
        try {
            $job = New-DtsSyncJob -Source $source.Address -SourceCredential (Get-SourceCredential) -Target $target.Address -TargetCredential (Get-TargetCredential) `
                -Object 'shop' -SourceSslMode VerifyFull -SourceSslCa (Split-Path -Leaf ([DtsPowerShell.TestServers.TestCertificates]::CaPath)) -StatePath $statePath
        }
        finally { Pop-Location }
        (Get-DtsSyncJob -Id $job.Id -StatePath $statePath).SourceSslCa | Should -Be ([DtsPowerShell.TestServers.TestCertificates]::CaPath)
        $job.TargetSslCa | Should -BeNullOrEmpty
    }

    It 'creates nothing under -WhatIf' {
        $before = @(Get-DtsSyncJob -StatePath $statePath).Count
        New-DtsSyncJob -Name 'what-if' -Source 'a' -SourceCredential (Get-SourceCredential) -Target 'b' -TargetCredential (Get-TargetCredential) -Object 'shop' -StatePath $statePath -WhatIf |
            Should -BeNullOrEmpty
        @(Get-DtsSyncJob -StatePath $statePath).Count | Should -Be $before
    }

    It 'refuses <Case> with an error that says what to do' -ForEach @(
        @{ Case = 'a bad address'; Parameters = @{ Source = 'db1:99999' }; Pattern = 'not a server address' }
        @{ Case = 'a mapping key that names nothing selected'; Parameters = @{ Mapping = @{ 'crm' = 'x' } }; Pattern = 'not selected' }
        @{ Case = 'a mapped database name ending in a space'; Parameters = @{ Mapping = @{ 'shop' = '`shop `' } }; Pattern = 'ends with a space' }
        @{ Case = 'an address with two ports'; Parameters = @{ Source = '127.0.0.1:3601:3602' }; Pattern = 'not a server address' }
        @{ Case = "DtsPowerShell's own database"; Parameters = @{ Object = '_dts' }; Pattern = 'keeps for itself' }
        @{ Case = "the server's own database"; Parameters = @{ Object = 'information_schema.TABLES' }; Pattern = 'keeps for itself' }
        @{ Case = 'a four-part object'; Parameters = @{ Object = 'a.b.c.d' }; Pattern = 'parts' }
        @{ Case = 'None with Data'; Parameters = @{ InitialSync = 'None', 'Data' }; Pattern = 'cannot be combined' }
        @{ Case = 'a blank name'; Parameters = @{ Name = '   ' }; Pattern = 'blank' }
        @{ Case = 'a CA file with an SSL mode that does not verify'; Parameters = @{ SourceSslCa = [DtsPowerShell.TestServers.TestCertificates]::CaPath; SourceSslMode = 'Required' }; Pattern = 'does not verify' }
        @{ Case = 'a CA file that is missing'; Parameters = @{ TargetSslCa = 'no-such-ca.pem'; TargetSslMode = 'VerifyCA' }; Pattern = 'cannot be read' }
        @{ Case = 'a CA file that holds no certificate'; Parameters = @{ SourceSslCa = $PSCommandPath; SourceSslMode = 'VerifyFull' }; Pattern = 'no certificate' }
    ) {
        $arguments = @{
            Source = $source.Address; SourceCredential = (Get-SourceCredential); Target = $target.Address
            TargetCredential = (Get-TargetCredential); Object = 'shop'; StatePath = $statePath
        }
        foreach ($key in $Parameters.Keys) { $arguments[$key] = $Parameters[$key] }
        $before = @(Get-DtsSyncJob -StatePath $statePath).Count
        $err = { New-DtsSyncJob @arguments } | Should -Throw -PassThru
        $err.Exception.Message | Should -Match $Pattern
        $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        @(Get-DtsSyncJob -StatePath $statePath).Count | Should -Be $before
    }
}

Describe 'Get-DtsSyncJob and Remove-DtsSyncJob' {
    It 'finds jobs by wildcard name and by id, and reports a missing name' {
        $a = New-TestJob -Name 'nightly-eu'
        $b = New-TestJob -Name 'nightly-us'
        $null = New-TestJob -Name 'adhoc'
        (Get-DtsSyncJob -Name 'nightly-*' -StatePath $statePath).Id | Sort-Object | Should -Be (@($a.Id, $b.Id) | Sort-Object)
        (Get-DtsSyncJob -Id $b.Id -StatePath $statePath).Name | Should -Be 'nightly-us'
        Get-DtsSyncJob -Name 'no-such-job' -StatePath $statePath -ErrorVariable missing -ErrorAction SilentlyContinue
        $missing[0].FullyQualifiedErrorId | Should -Match '^JobNotFound'
        Get-DtsSyncJob -Name 'no-such-*' -StatePath $statePath -ErrorVariable none -ErrorAction SilentlyContinue
        $none | Should -BeNullOrEmpty
    }

    It 'completes job names and ids of the state file the command names' {
        $a = New-TestJob -Name 'complete-me-1'
        $null = New-TestJob -Name 'complete-me-2'
        $line = "Get-DtsSyncStatus -StatePath '$statePath' -Name complete-me"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('complete-me-1', 'complete-me-2')
        $line = "Stop-DtsSync -StatePath '$statePath' -Id $($a.Id.Substring(0, 4))"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain $a.Id
        $line = "Get-DtsSyncJob -StatePath '$(Join-Path $stateDir 'none.db')' -Name complete"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | Should -BeNullOrEmpty
        Test-Path (Join-Path $stateDir 'none.db') | Should -BeFalse -Because 'completing creates no state file'
        Get-DtsSyncJob -Name 'complete-me-*' -StatePath $statePath | Remove-DtsSyncJob -StatePath $statePath -Confirm:$false
    }

    It 'takes a job name as the first positional argument' {
        $null = New-TestJob -Name 'positional'
        Test-DtsPrecheck 'positional' -Quiet -StatePath $statePath | Should -BeExactly $true
        Remove-DtsSyncJob 'positional' -StatePath $statePath -Confirm:$false
        Get-DtsSyncJob -Name 'positional' -StatePath $statePath -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'reports a piped job that is not in the state file instead of pretending' {
        $other = New-TestJob -Name 'elsewhere' -StatePath (Join-Path $stateDir 'other.db')
        $other | Remove-DtsSyncJob -StatePath $statePath -Confirm:$false -ErrorVariable removeError -ErrorAction SilentlyContinue
        $removeError[0].FullyQualifiedErrorId | Should -Match '^JobNotFound'
        $removeError[0].ErrorDetails.RecommendedAction | Should -Match 'StatePath'
        $other | Test-DtsPrecheck -StatePath $statePath -ErrorVariable checkError -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $checkError[0].FullyQualifiedErrorId | Should -Match '^JobNotFound'
        $err = { $other | Get-DtsBinlogEvent -Count 1 -StatePath $statePath } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Match '^JobNotFound'
        $err.ErrorDetails.RecommendedAction | Should -Match 'StatePath'
    }

    It 'removes piped jobs, but not under -WhatIf' {
        $job = New-TestJob -Name 'to-remove'
        $job | Remove-DtsSyncJob -StatePath $statePath -WhatIf
        Get-DtsSyncJob -Id $job.Id -StatePath $statePath | Should -Not -BeNullOrEmpty
        Get-DtsSyncJob -Name 'to-remove' -StatePath $statePath | Remove-DtsSyncJob -StatePath $statePath -Confirm:$false
        Get-DtsSyncJob -Id $job.Id -StatePath $statePath -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Test-DtsPrecheck in the pipeline' {
    It 'checks what New-DtsSyncJob pipes to it and stores the outcome' {
        $results = New-TestJob -Name 'piped' | Test-DtsPrecheck -StatePath $statePath
        $results.Check | Should -Be (Get-DocumentedCheckName)
        $results | Where-Object Status -eq 'Failed' | Should -BeNullOrEmpty
        $job = Get-DtsSyncJob -Name 'piped' -StatePath $statePath
        $job.State | Should -Be 'Ready'
        $job.LastPrecheckAt | Should -Not -BeNullOrEmpty
    }

    It 'runs no precheck and starts no worker under Start-DtsSync -WhatIf' {
        $job = New-TestJob -Name 'start-what-if'
        $job | Start-DtsSync -StatePath $statePath -WhatIf | Should -BeNullOrEmpty
        $stored = Get-DtsSyncJob -Id $job.Id -StatePath $statePath
        $stored.State | Should -Be 'Created'
        $stored.LastPrecheckAt | Should -BeNullOrEmpty
        (Get-DtsSyncStatus -Id $job.Id -StatePath $statePath).WorkerProcessId | Should -BeNullOrEmpty
    }

    It 'returns only $true or $false with -Quiet, and finds jobs by name' {
        $null = New-TestJob -Name 'quiet-ok'
        $null = New-TestJob -Name 'quiet-bad' -Object 'shop.absent'
        Test-DtsPrecheck -Name 'quiet-ok' -Quiet -StatePath $statePath | Should -BeExactly $true
        Test-DtsPrecheck -Name 'quiet-bad' -Quiet -StatePath $statePath | Should -BeExactly $false
        (Get-DtsSyncJob -Name 'quiet-bad' -StatePath $statePath).State | Should -Be 'PrecheckFailed'
    }
}

Describe 'Output for other tools' {
    It 'writes enumerations as their names and lists as their items in ConvertTo-Json and CSV' {
        $job = New-DtsSyncJob -Name 'json' -Source $source.Address -SourceCredential (Get-SourceCredential) -Target $target.Address `
            -TargetCredential (Get-TargetCredential) -Object 'shop.orders', 'shop.customers' -Mapping @{ 'shop' = 'shop_copy' } `
            -StatePath $statePath -SourceSslMode None -TargetSslMode Required -ConflictPolicy Overwrite
        $json = $job | ConvertTo-Json | ConvertFrom-Json
        $json.State | Should -BeExactly 'Created'
        $json.SourceSslMode | Should -BeExactly 'None'
        $json.TargetSslMode | Should -BeExactly 'Required'
        $json.ConflictPolicy | Should -BeExactly 'Overwrite'
        $json.InitialSync | Should -BeExactly 'Schema, Data'
        $json.Objects | Should -Be 'shop.orders', 'shop.customers'
        $json.Mapping.shop | Should -BeExactly 'shop_copy'

        $csv = $job | ConvertTo-Csv | ConvertFrom-Csv
        $csv.State | Should -BeExactly 'Created'
        $csv.Objects | Should -BeExactly 'shop.orders, shop.customers'
        $csv.Mapping | Should -BeExactly 'shop=shop_copy'

        ($job | Get-DtsSyncStatus -StatePath $statePath | ConvertTo-Json | ConvertFrom-Json).State | Should -BeExactly 'Created'
        $check = $job | Test-DtsPrecheck -StatePath $statePath | Select-Object -First 1
        ($check | ConvertTo-Json | ConvertFrom-Json).Status | Should -BeExactly $check.Status.ToString()
        ($check | ConvertTo-Csv | ConvertFrom-Csv).Status | Should -BeExactly $check.Status.ToString()
    }
}

Describe 'The kinds of change a job applies' {
    It 'stores -Operation, shows it by name, changes it with Set-DtsSyncJob and refuses a choice of nothing' {
        $job = New-DtsSyncJob -Name 'ops' -Source $source.Address -SourceCredential (Get-SourceCredential) -Target $target.Address `
            -TargetCredential (Get-TargetCredential) -Object 'shop' -Operation Insert, Update -StatePath $statePath
        $job.Operations.ToString() | Should -BeExactly 'Insert, Update'
        ($job | ConvertTo-Json | ConvertFrom-Json).Operations | Should -BeExactly 'Insert, Update'
        (Get-DtsSyncJob -Name 'ops' -StatePath $statePath).Operations.ToString() | Should -BeExactly 'Insert, Update'

        $changed = Set-DtsSyncJob -Name 'ops' -Operation All -PassThru -StatePath $statePath
        $changed.Operations.ToString() | Should -BeExactly 'All'
        $changed.State | Should -Be 'Created'

        $err = $null
        try {
            New-DtsSyncJob -Name 'ops-none' -Source $source.Address -SourceCredential (Get-SourceCredential) -Target $target.Address `
                -TargetCredential (Get-TargetCredential) -Object 'shop' -Operation None -StatePath $statePath -ErrorAction Stop
        }
        catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidJobDefinition*'
        $err.ErrorDetails.RecommendedAction | Should -Match 'Insert, Update, Delete, Ddl'
        Get-DtsSyncJob -Name 'ops-none' -StatePath $statePath -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (New-DtsSyncJob -Name 'ops-default' -Source $source.Address -SourceCredential (Get-SourceCredential) -Target $target.Address `
            -TargetCredential (Get-TargetCredential) -Object 'shop' -StatePath $statePath).Operations.ToString() | Should -BeExactly 'All'
    }
}

Describe 'The state file' {
    It 'is shared between PowerShell processes' {
        $shared = Join-Path $stateDir 'shared.db'
        $id = Invoke-ChildPwsh @"
Import-Module '$manifest'
Import-Module '$(Join-Path $PSScriptRoot 'TestSupport.psm1')'
`$src = Get-SourceCredential
`$tgt = Get-TargetCredential
(New-DtsSyncJob -Name 'from-child' -Source '$($source.Address)' -SourceCredential `$src -Target '$($target.Address)' -TargetCredential `$tgt -Object shop -StatePath '$shared').Id
"@
        $job = Get-DtsSyncJob -Id ($id | Select-Object -Last 1) -StatePath $shared
        $job.Name | Should -Be 'from-child'
        $null = Invoke-ChildPwsh "Import-Module '$manifest'; Test-DtsPrecheck -Id '$($job.Id)' -StatePath '$shared' | Out-Null"
        (Get-DtsSyncJob -Id $job.Id -StatePath $shared).State | Should -Be 'Ready'
    }

    It 'follows DTS_STATE_PATH when -StatePath is not given' {
        $fromEnvironment = Join-Path (New-Item -ItemType Directory -Path (Join-Path $stateDir 'env')) 'state.db'
        $env:DTS_STATE_PATH = $fromEnvironment
        try {
            $job = New-DtsSyncJob -Name 'env' -Source 'a' -SourceCredential (Get-SourceCredential) -Target 'b' -TargetCredential (Get-TargetCredential) -Object 'shop'
            Test-Path $fromEnvironment | Should -BeTrue
            (Get-DtsSyncJob -Id $job.Id -StatePath $fromEnvironment).Name | Should -Be 'env'
        } finally { Remove-Item Env:DTS_STATE_PATH }
    }

    It 'is readable and writable by its owner only' -Skip:(-not $IsLinux) {
        $null = New-TestJob -Name 'mode'
        (Get-Item $statePath).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
        (Get-Item "$statePath.key").UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
    }

    It 'refuses a -StatePath in a folder that does not exist, creating nothing' {
        $missing = Join-Path $stateDir 'no/such/state.db'
        $thrown = { Get-DtsSyncJob -StatePath $missing -ErrorAction Stop } | Should -Throw -ErrorId 'StateFileUnavailable,*' -PassThru
        $thrown.Exception.Message | Should -BeLike "*$(Join-Path $stateDir 'no/such')*"
        $thrown.ErrorDetails.RecommendedAction | Should -Match 'New-Item'
        Test-Path (Join-Path $stateDir 'no') | Should -BeFalse
    }

    It 'never replaces a missing key file while it holds jobs, and says what to restore' {
        $keyed = Join-Path (New-Item -ItemType Directory -Path (Join-Path $stateDir 'keyed')) 'state.db'
        $job = New-DtsSyncJob -Name 'keyed' -Source 'a' -SourceCredential (Get-SourceCredential) -Target 'b' -TargetCredential (Get-TargetCredential) -Object 'shop' -StatePath $keyed
        Remove-Item "$keyed.key"
        $thrown = { New-DtsSyncJob -Name 'keyed2' -Source 'a' -SourceCredential (Get-SourceCredential) -Target 'b' -TargetCredential (Get-TargetCredential) -Object 'shop' -StatePath $keyed -ErrorAction Stop } |
            Should -Throw -ErrorId 'StateKeyUnavailable,*' -PassThru
        $thrown.Exception.Message | Should -BeLike "*$keyed.key*"
        $thrown.ErrorDetails.RecommendedAction | Should -Match 'Restore the key file'
        Test-Path "$keyed.key" | Should -BeFalse
        { Test-DtsPrecheck -Name 'keyed' -StatePath $keyed -ErrorAction Stop } | Should -Throw -ErrorId 'CredentialsUnreadable,*'
        $job | Remove-DtsSyncJob -Confirm:$false -StatePath $keyed
        (New-DtsSyncJob -Name 'keyed2' -Source 'a' -SourceCredential (Get-SourceCredential) -Target 'b' -TargetCredential (Get-TargetCredential) -Object 'shop' -StatePath $keyed).Name | Should -Be 'keyed2'
        Test-Path "$keyed.key" | Should -BeTrue
    }

    It 'keeps every write whole when the writing process is killed (SIGKILL) at any moment' {
        $killed = Join-Path (New-Item -ItemType Directory -Path (Join-Path $stateDir 'killed')) 'state.db'
        $create = "New-DtsSyncJob -Name ""j`$i"" -Source '$($source.Address)' -SourceCredential `$c -Target '$($target.Address)' -TargetCredential `$c -Object shop -SourceSslMode None -TargetSslMode None -StatePath '$killed'"
        $loop = "Import-Module '$manifest'; `$c = [pscredential]::new('root', [securestring]::new()); for (`$i = 0; ; `$i++) { `$null = $create; [Console]::Out.WriteLine(`$i); [Console]::Out.Flush() }"
        $random = [Random]::new(20261207)
        $created = -1
        foreach ($round in 1..3) {
            $start = [Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
            if ([IO.Path]::GetFileNameWithoutExtension($start.FileName) -eq 'dotnet') { $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
            '-NoProfile', '-NonInteractive', '-Command', $loop.Replace('$i = 0', "`$i = $($created + 1)") | ForEach-Object { $start.ArgumentList.Add($_) }
            $start.RedirectStandardOutput = $true
            $writer = [Diagnostics.Process]::Start($start)
            try {
                # A few jobs written, then a kill at a random moment of the next writes.
                $deadline = [DateTime]::UtcNow.AddSeconds(60)
                foreach ($n in 1..5) {
                    $line = $writer.StandardOutput.ReadLineAsync()
                    $line.Wait([TimeSpan]::FromSeconds(60)) | Should -BeTrue -Because 'the child writes a job within a minute'
                    $created = [int]$line.Result
                }
                [Threading.Thread]::Sleep($random.Next(0, 60))
            } finally { $writer.Kill(); $writer.WaitForExit(30000) | Out-Null }
            # What the child printed before it died: the jobs it saw written.
            $rest = $writer.StandardOutput.ReadToEndAsync()
            $rest.Wait([TimeSpan]::FromSeconds(30)) | Should -BeTrue
            $rest.Result -split '\r?\n' | Where-Object { $_ -match '^\d+$' } | ForEach-Object { $created = [int]$_ }
            $writer.Dispose()
            [DateTime]::UtcNow | Should -BeLessThan $deadline
            # The file opens (its integrity checked on open) and holds every job reported written, in order, and at most the one being written.
            $names = @(Get-DtsSyncJob -StatePath $killed -ErrorAction Stop | ForEach-Object Name)
            $names.Count | Should -BeIn @(($created + 1), ($created + 2))
            $names | Sort-Object { [int]$_.Substring(1) } | Should -Be @(0..($names.Count - 1) | ForEach-Object { "j$_" })
            $created = $names.Count - 1
        }

        Test-DtsPrecheck -Name "j$created" -StatePath $killed -Quiet | Should -BeExactly $true
    }

    It 'never holds a password in its bytes' {
        $secretState = Join-Path (New-Item -ItemType Directory -Path (Join-Path $stateDir 'secret')) 'state.db'
        $password = 'Very-Distinct-Pa55word-' + [guid]::NewGuid().ToString('N')
        $null = New-DtsSyncJob -Source 'a' -SourceCredential (New-TestCredential 'u' $password) -Target 'b' `
            -TargetCredential (New-TestCredential 'v' $password) -Object 'shop' -StatePath $secretState
        foreach ($file in Get-ChildItem (Split-Path $secretState) -File) {
            $bytes = [IO.File]::ReadAllBytes($file.FullName)
            foreach ($encoding in [Text.Encoding]::UTF8, [Text.Encoding]::Unicode) {
                # Latin-1 maps each byte to one character, so a byte search becomes a string search.
                $haystack = [Text.Encoding]::Latin1.GetString($bytes)
                $haystack.Contains([Text.Encoding]::Latin1.GetString($encoding.GetBytes($password))) | Should -BeFalse -Because "$($file.Name) must not hold the password"
            }
        }
    }
}

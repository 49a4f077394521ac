# PowerShell as Microsoft ships it: self-contained, no dotnet anywhere on PATH and no DOTNET_ROOT. The package is
# installed there from a folder repository and a sync runs to Synchronizing, then carries a live change.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $root = Resolve-Path (Join-Path $PSScriptRoot '../..')
    $script:manifest = Import-PowerShellDataFile (Get-DtsModuleManifest)
    $script:scratch = Join-Path ([IO.Path]::GetTempPath()) "dts-shipped-$([guid]::NewGuid().ToString('N'))"
    'repository', 'home/.config', 'home/.local/share', 'home/.cache', 'empty-bin' | ForEach-Object { $null = New-Item -ItemType Directory -Path (Join-Path $scratch $_) }
    Copy-Item (Join-Path $root "artifacts/DtsPowerShell.$($manifest.ModuleVersion).nupkg") (Join-Path $scratch 'repository')

    # PowerShell published self-contained from Microsoft.PowerShell.SDK (the version of the PowerShell tool), with the
    # built-in modules of the PowerShell tool package beside it, as Microsoft's packages have them.
    $version = (Get-Content -Raw (Join-Path $root '.config/dotnet-tools.json') | ConvertFrom-Json).tools.powershell.version
    $script:shipped = Join-Path $scratch 'pwsh'
    & dotnet publish (Join-Path $root 'tests/SelfContainedPwsh') -c Release -o $shipped -p:PowerShellVersion=$version --nologo -v quiet | Out-Host
    if ($LASTEXITCODE -ne 0) { throw 'Publishing PowerShell self-contained failed.' }
    Copy-Item -Recurse (Join-Path $PSHOME 'Modules') $shipped
    $script:pwsh = Join-Path $shipped 'pwsh'

    $script:source = Start-TestServer
    $script:target = Start-TestServer
    Initialize-TestSource $source
    Initialize-TestTarget $target
    $script:statePath = Join-Path $scratch 'state.db'

    # Runs a command in the shipped PowerShell with an environment of its own: no dotnet on PATH, no DOTNET_ROOT.
    function Invoke-Shipped([string] $Command) {
        $start = [Diagnostics.ProcessStartInfo]::new($pwsh)
        $start.Environment.Clear()
        $start.Environment['HOME'] = Join-Path $scratch 'home'
        $start.Environment['PATH'] = Join-Path $scratch 'empty-bin'
        $start.Environment['LANG'] = 'C.UTF-8'
        '-NoProfile', '-NonInteractive', '-Command', "`$ErrorActionPreference = 'Stop'; $Command" | ForEach-Object { $start.ArgumentList.Add($_) }
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $process = [Diagnostics.Process]::Start($start)
        try {
            $out = $process.StandardOutput.ReadToEndAsync()
            $err = $process.StandardError.ReadToEndAsync()
            if (-not $process.WaitForExit(300000)) { $process.Kill($true); throw "The shipped PowerShell did not finish within 5 minutes: $Command" }
            $process.WaitForExit()
            if ($process.ExitCode -ne 0) { throw "The shipped PowerShell failed ($($process.ExitCode)): $($out.Result) $($err.Result)" }
            $out.Result -split '\r?\n' | Where-Object { $_ }
        } finally { $process.Dispose() }
    }
}

AfterAll {
    if ($script:workerId) { Stop-Process -Id $workerId -Force -ErrorAction Ignore }
    $source, $target | Where-Object { $_ } | ForEach-Object Dispose
    Remove-Item -Recurse -Force $scratch -ErrorAction Ignore
}

Describe 'The module on PowerShell as Microsoft ships it' {
    It 'has no dotnet to find' {
        Invoke-Shipped "[string]((Get-Command dotnet -ErrorAction Ignore).Source) + '|' + `$env:DOTNET_ROOT + '|' + [Environment]::ProcessPath" |
            Should -Be "||$pwsh"
    }

    It 'installs from a folder repository, syncs to Synchronizing with its worker on that PowerShell, and carries a live change' {
        $lines = Invoke-Shipped @"
Register-PSResourceRepository -Name local -Uri '$(Join-Path $scratch 'repository')' -Trusted
Install-PSResource -Name DtsPowerShell -Repository local -Scope CurrentUser -Quiet
Import-Module DtsPowerShell
`$src = [pscredential]::new('dts_src', (ConvertTo-SecureString 'Src-Secret-41' -AsPlainText -Force))
`$tgt = [pscredential]::new('dts_tgt', (ConvertTo-SecureString 'Tgt-Secret-42' -AsPlainText -Force))
`$status = New-DtsSyncJob -Name shipped -Source '$($source.Address)' -SourceCredential `$src -Target '$($target.Address)' -TargetCredential `$tgt -Object shop -SourceSslMode None -TargetSslMode None -StatePath '$statePath' |
    Start-DtsSync -Wait -StatePath '$statePath'
'state=' + `$status.State
'worker=' + `$status.WorkerProcessId
"@
        $lines | Should -Contain 'state=Synchronizing'
        $script:workerId = [int](($lines | Where-Object { $_ -like 'worker=*' }) -replace '^worker=')
        # The worker runs on the shipped PowerShell's own runtime.
        (Get-Item "/proc/$workerId/exe").LinkTarget | Should -Be $pwsh
        $target.Sql('SELECT note FROM shop.orders WHERE id = 1') | Should -Be 'first'

        $source.Sql("INSERT INTO shop.orders VALUES (2, 'live');")
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while ($target.Sql('SELECT COUNT(*) FROM shop.orders WHERE id = 2') -ne '1' -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        $target.Sql('SELECT note FROM shop.orders WHERE id = 2') | Should -Be 'live'

        Invoke-Shipped "Import-Module DtsPowerShell; (Stop-DtsSync -Name shipped -StatePath '$statePath').State" | Should -Be 'Stopped'
        Test-Path "/proc/$workerId" | Should -BeFalse
        $script:workerId = $null
    }
}

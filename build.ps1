#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and demonstrates the DtsPowerShell module.
.DESCRIPTION
    Build (default): assembles an importable module at artifacts/DtsPowerShell/DtsPowerShell.psd1.
    Package: builds, then writes artifacts/DtsPowerShell.<version>.nupkg, which Install-PSResource installs from a
           folder repository (Register-PSResourceRepository -Name local -Uri <folder with it> -Trusted).
    Test:  builds, then runs the xunit tests and the Pester tests against throw-away MariaDB servers on
           loopback, and ends with one line "N passed, N failed, N skipped" (exit code 1 when any failed).
    Demo:  builds, starts two throw-away MariaDB servers, creates a sync job between them, runs its precheck,
           starts the sync, changes the source while it runs, shows the status and checks that the target equals
           the source; the worker and the servers are stopped and removed at the end.
    Fuzz:  runs AFL++ (Debian's afl++) for -Minutes over the binlog decoder (SharpFuzz-instrumented), seeded
           with the shared binlog fixtures; crashes and hangs are copied to tests/.../Binlog/FuzzFindings (local,
           not committed: they are mutated fixture bytes), where the test run decodes them; turn each into a
           hand-built case in DecoderRegressionTests.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Package', 'Test', 'Demo', 'Fuzz', 'Clean')]
    [string] $Task = 'Build',

    [ValidateRange(1, 10080)]
    [int] $Minutes = 10,

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Root = $PSScriptRoot
$Artifacts = Join-Path $Root 'artifacts'
$ModuleOut = Join-Path $Artifacts 'DtsPowerShell'
$TestResults = Join-Path $Artifacts 'test-results'
# Under 'dotnet pwsh' the process is dotnet itself; a child PowerShell is then 'dotnet <PSHOME>/pwsh.dll'.
$PwshCommand = if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') {
    @([Environment]::ProcessPath, (Join-Path $PSHOME 'pwsh.dll'))
} else { @([Environment]::ProcessPath) }

# The runtime identifiers PowerShell 7.6 is released for.
$SupportedRuntimes = 'win-x64', 'win-x86', 'win-arm64', 'linux-x64', 'linux-arm', 'linux-arm64', 'linux-musl-x64', 'linux-musl-arm64', 'osx-x64', 'osx-arm64'

function Invoke-Pwsh {
    $exe, $first = $PwshCommand
    & $exe @($first | Where-Object { $_ }) -NoProfile -NonInteractive @args
}

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

function Get-ModuleVersion {
    ([xml](Get-Content -Raw (Join-Path $Root 'Directory.Build.props'))).Project.PropertyGroup.Version | Select-Object -First 1
}

function Invoke-Build {
    Write-Host "Building the module into $ModuleOut"
    if (Test-Path $ModuleOut) { Remove-Item -Recurse -Force $ModuleOut }
    $bin = Join-Path $ModuleOut 'bin'
    Invoke-Dotnet publish (Join-Path $Root 'src/DtsPowerShell') -c $Configuration -o $bin --nologo -v quiet
    # The sync worker (dts) runs as a process of its own, detached from the session that starts it; it shares the
    # cmdlets' folder, so each assembly is there once.
    Invoke-Dotnet publish (Join-Path $Root 'src/DtsPowerShell.Tool') -c $Configuration -o $bin --nologo -v quiet
    Invoke-Dotnet build (Join-Path $Root 'src/DtsPowerShell.LoadContext') -c $Configuration --nologo -v quiet
    Copy-Item (Join-Path $Root "src/DtsPowerShell.LoadContext/bin/$Configuration/net10.0/DtsPowerShell.LoadContext.dll") $ModuleOut
    Get-ChildItem $bin -Filter '*.xml' | Remove-Item
    # SQLite's native library only for the platforms PowerShell 7.6 runs on (the package carries 22 otherwise).
    Get-ChildItem (Join-Path $bin 'runtimes') -Directory | Where-Object Name -NotIn $SupportedRuntimes | Remove-Item -Recurse -Force
    Copy-Item (Join-Path $Root 'module/DtsPowerShell.psm1'), (Join-Path $Root 'module/DtsPowerShell.Format.ps1xml') $ModuleOut
    $manifest = Get-Content -Raw (Join-Path $Root 'module/DtsPowerShell.psd1')
    $manifest.Replace("ModuleVersion        = '0.0.0'", "ModuleVersion        = '$(Get-ModuleVersion)'") |
        Set-Content -NoNewline (Join-Path $ModuleOut 'DtsPowerShell.psd1')
    # Help is generated in a child process: it imports the built module to read each cmdlet's parameters.
    Invoke-Pwsh -File (Join-Path $Root '.build/ConvertTo-MamlHelp.ps1') `
        -ManifestPath (Join-Path $ModuleOut 'DtsPowerShell.psd1') `
        -MarkdownPath (Join-Path $Root 'docs/en-US') `
        -OutputPath (Join-Path $ModuleOut 'en-US/DtsPowerShell.dll-Help.xml')
    if ($LASTEXITCODE -ne 0) { throw 'Generating the cmdlet help failed.' }
    Copy-Item (Join-Path $Root 'module/en-US/about_DtsPowerShell.help.txt') (Join-Path $ModuleOut 'en-US')
    Write-Host "Module ready: $(Join-Path $ModuleOut 'DtsPowerShell.psd1')"
}

# The built module as a PSResourceGet package, artifacts/DtsPowerShell.<version>.nupkg, made by Publish-PSResource
# into a folder repository of its own (registered in a scratch home, so the user's repositories are left alone).
function Invoke-Package {
    Invoke-Build
    $version = Get-ModuleVersion
    $package = Join-Path $Artifacts "DtsPowerShell.$version.nupkg"
    $scratch = Join-Path ([IO.Path]::GetTempPath()) "dts-package-$([guid]::NewGuid().ToString('N'))"
    $repository = Join-Path $scratch 'repository'
    # .NET names a user folder only once it exists.
    $repository, (Join-Path $scratch '.config'), (Join-Path $scratch '.local/share'), (Join-Path $scratch '.cache') | ForEach-Object { $null = New-Item -ItemType Directory -Path $_ }
    try {
        $publish = @"
`$ErrorActionPreference = 'Stop'
Test-ModuleManifest -Path '$(Join-Path $ModuleOut 'DtsPowerShell.psd1')' | Out-Null
Register-PSResourceRepository -Name DtsPackage -Uri '$repository' -Trusted
Publish-PSResource -Path '$ModuleOut' -Repository DtsPackage
"@
        $environment = @{ HOME = $scratch; XDG_CONFIG_HOME = $null; XDG_DATA_HOME = $null; XDG_CACHE_HOME = $null }
        $saved = @{}
        foreach ($name in $environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $environment[$name]) }
        try { Invoke-Pwsh -Command $publish } finally { foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) } }
        if ($LASTEXITCODE -ne 0) { throw 'Publishing the module package failed.' }
        Move-Item -Force (Get-ChildItem $repository -Filter '*.nupkg' | Select-Object -First 1).FullName $package
    } finally { Remove-Item -Recurse -Force $scratch -ErrorAction Ignore }
    Write-Host "Package ready: $package ($([math]::Round((Get-Item $package).Length / 1MB, 1)) MiB)"
}

function Assert-MariaDb {
    if (Get-Command mariadbd -ErrorAction Ignore) { return }
    if (Test-Path /usr/sbin/mariadbd) { return }
    $isRoot = $IsLinux -and ((& id -u) -eq '0')
    if ($isRoot -and (Get-Command apt-get -ErrorAction Ignore)) {
        Write-Host 'mariadbd not found: installing Debian''s mariadb-server and mariadb-client'
        $env:DEBIAN_FRONTEND = 'noninteractive'
        & apt-get update -qq
        & apt-get install -y -qq mariadb-server mariadb-client | Out-Host
        if ($LASTEXITCODE -ne 0) { throw 'apt-get install mariadb-server mariadb-client failed.' }
        return
    }
    throw 'The tests and the demo start throw-away MariaDB servers, and mariadbd was not found. Install it: sudo apt-get install -y mariadb-server mariadb-client'
}

function Get-PesterModulePath {
    Invoke-Dotnet restore (Join-Path $Root 'tests/TestTools/TestTools.proj') --nologo -v quiet
    $packages = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $version = ([xml](Get-Content -Raw (Join-Path $Root 'tests/TestTools/TestTools.proj'))).Project.ItemGroup.PackageDownload |
        Where-Object Include -eq 'Pester' | ForEach-Object { $_.Version.Trim('[', ']') }
    Join-Path $packages.Trim() "pester/$version/tools/Pester.psd1"
}

function Get-TrxCounts([string] $Path) {
    $counters = ([xml](Get-Content -Raw $Path)).TestRun.ResultSummary.Counters
    [pscustomobject]@{
        Passed  = [int]$counters.passed
        Failed  = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        # Skipped tests are counted in total but not in executed (the notExecuted counter stays 0).
        Skipped = [int]$counters.total - [int]$counters.executed
    }
}

function Invoke-Test {
    Assert-MariaDb
    # The package too: its test installs it as a user would.
    Invoke-Package
    Invoke-Dotnet build (Join-Path $Root 'DtsPowerShell.sln') -c $Configuration --nologo -v quiet
    if (Test-Path $TestResults) { Remove-Item -Recurse -Force $TestResults }

    Write-Host 'Running the xunit tests'
    & dotnet test (Join-Path $Root 'tests/DtsPowerShell.Engine.Tests') -c $Configuration --no-build --nologo `
        --logger 'trx;LogFileName=engine.trx' --logger 'console;verbosity=normal' --results-directory $TestResults
    $xunit = if (Test-Path (Join-Path $TestResults 'engine.trx')) { Get-TrxCounts (Join-Path $TestResults 'engine.trx') }
             else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }

    Write-Host 'Running the Pester tests'
    $pesterModule = Get-PesterModulePath
    $env:DTS_TEST_CONFIGURATION = $Configuration
    $pesterScript = "Import-Module '$pesterModule'; " +
        "`$c = New-PesterConfiguration; `$c.Run.Path = '$(Join-Path $Root 'tests/Pester')'; `$c.Run.PassThru = `$true; " +
        "`$c.Output.Verbosity = 'Detailed'; `$r = Invoke-Pester -Configuration `$c; " +
        "Set-Content -Path '$(Join-Path $TestResults 'pester.txt')' -Value ('{0} {1} {2}' -f `$r.PassedCount, (`$r.FailedCount + `$r.FailedBlocksCount + `$r.FailedContainersCount), `$r.SkippedCount)"
    Invoke-Pwsh -Command $pesterScript
    $pester = if (Test-Path (Join-Path $TestResults 'pester.txt')) {
        $p, $f, $s = (Get-Content (Join-Path $TestResults 'pester.txt')) -split ' '
        [pscustomobject]@{ Passed = [int]$p; Failed = [int]$f; Skipped = [int]$s }
    } else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }

    $passed = $xunit.Passed + $pester.Passed
    $failed = $xunit.Failed + $pester.Failed
    $skipped = $xunit.Skipped + $pester.Skipped
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed, $($xunit.Skipped) skipped; Pester: $($pester.Passed) passed, $($pester.Failed) failed, $($pester.Skipped) skipped"
    Write-Output "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    Assert-MariaDb
    Invoke-Build
    Invoke-Dotnet build (Join-Path $Root 'tests/DtsPowerShell.TestServers') -c $Configuration --nologo -v quiet
    Invoke-Pwsh -File (Join-Path $Root 'tests/Demo.ps1') -Configuration $Configuration
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Fuzz {
    if (-not (Get-Command afl-fuzz -ErrorAction Ignore)) {
        if ($IsLinux -and ((& id -u) -eq '0') -and (Get-Command apt-get -ErrorAction Ignore)) {
            & apt-get install -y -qq afl++ | Out-Host
        }
        if (-not (Get-Command afl-fuzz -ErrorAction Ignore)) { throw 'afl-fuzz was not found. Install it: sudo apt-get install -y afl++' }
    }

    $fixtures = Join-Path $Root '../shared/fixtures/binlog'
    if (-not (Test-Path $fixtures)) { throw "The seed binlogs ($fixtures) are not there." }
    $work = Join-Path $Artifacts 'fuzz'
    if (Test-Path $work) { Remove-Item -Recurse -Force $work }
    Invoke-Dotnet publish (Join-Path $Root 'tests/DtsPowerShell.Fuzz') -c Release -o (Join-Path $work 'bin') --nologo -v quiet
    Invoke-Dotnet tool restore
    Invoke-Dotnet sharpfuzz (Join-Path $work 'bin/DtsPowerShell.Engine.dll')

    # Small files make fast seeds; AFL++ mutates from them.
    $seeds = New-Item -ItemType Directory (Join-Path $work 'seeds')
    Get-ChildItem $fixtures -Recurse -File | Where-Object { $_.Length -le 65536 -and $_.Extension -notin '.md', '.gz' } |
        ForEach-Object -Begin { $i = 0 } -Process { Copy-Item $_.FullName (Join-Path $seeds ('seed{0:D3}' -f $i++)) }

    $env:AFL_SKIP_BIN_CHECK = '1'; $env:AFL_SKIP_CPUFREQ = '1'; $env:AFL_NO_UI = '1'
    $env:AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES = '1'; $env:AFL_NO_AFFINITY = '1'
    & afl-fuzz -i $seeds -o (Join-Path $work 'findings') -t 10000 -m none -V ($Minutes * 60) -- dotnet (Join-Path $work 'bin/DtsPowerShell.Fuzz.dll') | Out-Host

    $regressions = Join-Path $Root 'tests/DtsPowerShell.Engine.Tests/Binlog/FuzzFindings'
    $found = @(Get-ChildItem (Join-Path $work 'findings/default/crashes'), (Join-Path $work 'findings/default/hangs') -File -ErrorAction Ignore |
        Where-Object Name -like 'id:*')
    foreach ($finding in $found) {
        $null = New-Item -ItemType Directory -Force $regressions
        $hash = (Get-FileHash $finding.FullName -Algorithm SHA256).Hash.Substring(0, 16).ToLowerInvariant()
        Copy-Item $finding.FullName (Join-Path $regressions "$($finding.Directory.Name)-$hash.bin")
    }
    Write-Host "$($found.Count) crash(es) or hang(s) found$(if ($found.Count) { "; copied to $regressions, where the test run decodes them. Rebuild each as a case in DecoderRegressionTests before committing the fix" })."
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Package' { Invoke-Package }
    'Test' { Invoke-Test }
    'Demo' { Invoke-Demo }
    'Fuzz' { Invoke-Fuzz }
    'Clean' { if (Test-Path $Artifacts) { Remove-Item -Recurse -Force $Artifacts } }
}

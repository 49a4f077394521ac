# The module as users install it: the package build.ps1 Package writes, installed with PSResourceGet from a folder
# repository into a scratch home, and imported by name.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:manifest = Import-PowerShellDataFile (Get-DtsModuleManifest)
    $script:package = Join-Path $PSScriptRoot "../../artifacts/DtsPowerShell.$($manifest.ModuleVersion).nupkg"
    $script:scratch = Join-Path ([IO.Path]::GetTempPath()) "dts-install-$([guid]::NewGuid().ToString('N'))"
    # .NET names a user folder only once it exists.
    'repository', '.config', '.local/share', '.cache' | ForEach-Object { $null = New-Item -ItemType Directory -Path (Join-Path $scratch $_) }

    # A child PowerShell whose home, and so its PSResourceGet settings and user module folder, is the scratch folder.
    function Invoke-InScratchHome([string] $Command) {
        $saved = @{}
        $environment = @{ HOME = $scratch; XDG_CONFIG_HOME = $null; XDG_DATA_HOME = $null; XDG_CACHE_HOME = $null; PSModulePath = $null }
        foreach ($name in $environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $environment[$name]) }
        try { Invoke-ChildPwsh "`$ErrorActionPreference = 'Stop'; $Command" }
        finally { foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) } }
    }
}

AfterAll {
    Remove-Item -Recurse -Force $scratch -ErrorAction Ignore
}

Describe 'The package' {
    It 'is a nupkg of at most 20 MiB with each file once and the native SQLite library for the platforms PowerShell runs on only' {
        Test-Path $package | Should -BeTrue -Because 'build.ps1 Test builds the package first'
        (Get-Item $package).Length | Should -BeLessOrEqual 20MB
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead((Resolve-Path $package))
        try {
            $assemblies = @($zip.Entries | Where-Object { $_.FullName -like '*.dll' -and $_.FullName -notlike '*/runtimes/*' } | ForEach-Object Name)
            $assemblies | Should -Contain 'dts.dll'
            $assemblies | Should -Contain 'DtsPowerShell.dll'
            ($assemblies | Group-Object | Where-Object Count -gt 1).Name | Should -BeNullOrEmpty
            $runtimes = @($zip.Entries | Where-Object FullName -match '/runtimes/([^/]+)/' | ForEach-Object { $Matches[1] } | Sort-Object -Unique)
            $runtimes | Should -Contain 'linux-x64'
            $runtimes | Should -Contain 'win-x64'
            $runtimes | Should -Contain 'osx-arm64'
            $runtimes | Should -Not -Contain 'browser-wasm'
            $runtimes | Should -Not -Contain 'linux-mips64'
        } finally { $zip.Dispose() }
    }

    It 'has a manifest a gallery can show, and Test-ModuleManifest passes' {
        $manifest.ModuleVersion | Should -Match '^\d+\.\d+\.\d+$'
        $manifest.ModuleVersion | Should -Not -Be '0.0.0'
        $manifest.Author | Should -Not -BeNullOrEmpty
        $manifest.Description | Should -Not -BeNullOrEmpty
        $manifest.PrivateData.PSData.Tags | Should -Contain 'MySQL'
        $manifest.PrivateData.PSData.LicenseUri | Should -Not -BeNullOrEmpty
        $manifest.PrivateData.PSData.ReleaseNotes | Should -Not -BeNullOrEmpty
        { Test-ModuleManifest -Path (Get-DtsModuleManifest) -ErrorAction Stop } | Should -Not -Throw
    }

    It 'installs with Install-PSResource from a folder repository and imports by name' {
        Copy-Item $package (Join-Path $scratch 'repository')
        $output = Invoke-InScratchHome @"
Register-PSResourceRepository -Name local -Uri '$(Join-Path $scratch 'repository')' -Trusted
Install-PSResource -Name DtsPowerShell -Repository local -Scope CurrentUser -Quiet
Import-Module DtsPowerShell
`$module = Get-Module DtsPowerShell
'base=' + `$module.ModuleBase
'version=' + `$module.Version
'cmdlets=' + @(Get-Command -Module DtsPowerShell).Count
`$state = Join-Path '$scratch' 'state.db'
`$c = [pscredential]::new('u', (ConvertTo-SecureString 'p' -AsPlainText -Force))
`$null = New-DtsSyncJob -Name installed -Source a -SourceCredential `$c -Target b -TargetCredential `$c -Object shop -StatePath `$state
'job=' + (Get-DtsSyncJob -Name installed -StatePath `$state).Name
"@
        $lines = @($output | ForEach-Object { "$_" })
        ($lines | Where-Object { $_ -like 'base=*' }) | Should -BeLike "base=$scratch*"
        $lines | Should -Contain "version=$($manifest.ModuleVersion)"
        $lines | Should -Contain "cmdlets=$($manifest.CmdletsToExport.Count)"
        $lines | Should -Contain 'job=installed'
    }
}

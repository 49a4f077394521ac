# Every exported cmdlet has real help (docs/en-US turned into MAML by .build/ConvertTo-MamlHelp.ps1), not the
# stub PowerShell makes up from the syntax when it finds no help file.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $cmdlets = @((Import-PowerShellDataFile -LiteralPath (Get-DtsModuleManifest)).CmdletsToExport)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module (Get-DtsModuleManifest) -Force
    $script:notOwnParameters = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
}

Describe 'Cmdlet help' {
    It '<_> has a synopsis, a description, examples with code and a description for each parameter' -ForEach $cmdlets {
        $name = $_
        $help = Get-Help -Name $name -Category Cmdlet -Full

        $help.PSObject.TypeNames | Should-ContainCollection 'MamlCommandHelpInfo' -Because 'the help must come from the MAML file, not be made up from the syntax'
        $help.Synopsis | Should-NotBeWhiteSpaceString
        $help.Synopsis.Trim() | Should-NotMatchString "^$([regex]::Escape($name))(\s+\[?-|\s*$)" -Because 'a synopsis that is the syntax is the stub'

        ($help.description.Text -join "`n") | Should-NotBeWhiteSpaceString -Because 'the help needs a description'

        $examples = @($help.examples.example | Where-Object { $_ })
        $examples.Count | Should-BeGreaterThan 0 -Because 'the help needs at least one example'
        foreach ($example in $examples) {
            $example.code | Should-NotBeWhiteSpaceString -Because "example '$($example.title.Trim(' -'))' needs code"
        }

        $documented = @{}
        foreach ($parameter in @($help.parameters.parameter | Where-Object { $_ })) {
            $documented[$parameter.name] = ($parameter.description.Text -join "`n").Trim()
        }
        $undocumented = (Get-Command -Name $name -CommandType Cmdlet).Parameters.Keys |
            Where-Object { $_ -notin $notOwnParameters -and -not $documented[$_] }
        ($undocumented -join ', ') | Should-BeEmptyString -Because 'every parameter needs a description in the help'
    }

    It 'keeps the markdown''s lists one item to a line and its tables in columns' {
        $lines = (Get-Help -Name Get-DtsSyncStatus -Full | Out-String -Width 400) -split '\r?\n' | ForEach-Object Trim
        $lines | Should -Contain 'Each status has:' -Because 'a list right after a line of text is not joined to it'
        @($lines | Where-Object { $_ -match '^- (State|Progress|Latency|WorkerProcessId and UpdatedAt): ' }).Count | Should -Be 4
        $header = [array]::IndexOf($lines, ($lines | Where-Object { $_ -match '^State\s{2,}Meaning$' } | Select-Object -First 1))
        $header | Should -BeGreaterThan 0
        $lines[$header + 1] | Should -Match '^-+  -+$'
        $column = $lines[$header].IndexOf('Meaning')
        $lines[$header + 2] | Should -BeExactly ('Created'.PadRight($column) + 'No precheck has run yet.')
        $lines[$header + 8].IndexOf('Applying') | Should -Be $column -Because 'every row lines up under the header'
    }
}

Describe 'about_DtsPowerShell' {
    It 'is found by Get-Help and names every ErrorId the cmdlets write, with what to do' {
        $about = (Get-Help about_DtsPowerShell | Out-String)
        $about | Should -Match 'TOPOLOGIES'
        $about | Should -Match 'THE STATE FILE'
        # The ids as the cmdlets' sources write them: a PascalCase word of two or more parts before the target or category.
        $source = Get-ChildItem (Join-Path $PSScriptRoot '../../src/DtsPowerShell') -Recurse -Filter '*.cs' | Get-Content -Raw
        $ids = [regex]::Matches(($source -join "`n"), '"([A-Z][a-z]+(?:[A-Z][a-z]*)+)",\s*(?:ErrorCategory\.|[A-Za-z!.?]+\))') | ForEach-Object { $_.Groups[1].Value } | Sort-Object -Unique
        $ids.Count | Should -BeGreaterThan 20
        foreach ($id in $ids) {
            $about | Should -Match "(?m)^\s+$id\s+\S" -Because "$id must be listed with its remedy"
        }
    }
}

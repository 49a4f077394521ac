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
}

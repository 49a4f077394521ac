#Requires -Version 7.4
<#
.SYNOPSIS
    Turns the cmdlet help written in docs/en-US/<cmdlet>.md into one MAML file that Get-Help reads.
.DESCRIPTION
    Imports the built module, and for each cmdlet in the manifest's CmdletsToExport combines its markdown
    (platyPS-like: # Name, ## SYNOPSIS, ## DESCRIPTION, ## EXAMPLES with a ### title and code block each,
    ## PARAMETERS with ### -Name, ## INPUTS, ## OUTPUTS, ## NOTES, ## RELATED LINKS) with what the cmdlet
    declares: parameter sets, types, Mandatory, Position, pipeline input, aliases, wildcards, accepted
    values. A paragraph "Default value: X" in a parameter section gives the default Get-Help shows.
    Fails (exit 1, nothing written) when help and code disagree: no markdown file, SYNOPSIS, DESCRIPTION or
    EXAMPLES missing or empty, an undocumented parameter, or a documented parameter the cmdlet lacks.
.EXAMPLE
    pwsh -File .build/ConvertTo-MamlHelp.ps1 -ManifestPath artifacts/DtsPowerShell/DtsPowerShell.psd1 -MarkdownPath docs/en-US -OutputPath artifacts/DtsPowerShell/en-US/DtsPowerShell.dll-Help.xml
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ManifestPath,
    [Parameter(Mandatory)] [string] $MarkdownPath,
    [Parameter(Mandatory)] [string] $OutputPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Namespaces = [ordered]@{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}
$Problems = [System.Collections.Generic.List[string]]::new()
# -WhatIf and -Confirm belong in the syntax like any parameter, but need no text of their own in the markdown.
$ShouldProcessHelp = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}

# Splits lines into sections at headings of the given level ('## ' or '### '), ignoring '#' lines inside code blocks.
function Split-Section([string[]] $Lines, [string] $Marker) {
    $sections = [ordered]@{}
    $current = $null
    $inCode = $false
    foreach ($line in $Lines) {
        if ($line -match '^\s*```') { $inCode = -not $inCode }
        if (-not $inCode -and $line.StartsWith($Marker)) {
            $current = $line.Substring($Marker.Length).Trim()
            $sections[$current] = [System.Collections.Generic.List[string]]::new()
        }
        elseif ($null -ne $current) { $sections[$current].Add($line) }
    }
    $sections
}

# Paragraphs are separated by blank lines, and a list or a table starts one of its own even without a blank line
# before it. Text lines are joined with spaces. A list keeps one line per item, with its nesting indent; an item's
# continuation lines join it. A table's columns are padded to line up, its |---| row drawn as dashes.
function ConvertTo-Paragraph([string[]] $Lines) {
    foreach ($block in (@($Lines) -join "`n") -split '\n\s*\n') {
        $parts = [System.Collections.Generic.List[object]]::new()
        foreach ($line in $block -split '\n' | Where-Object { $_ -match '\S' }) {
            $line = $line.Replace("`t", '    ').TrimEnd()
            $kind = if ($line -match '^\s*\|') { 'Table' } elseif ($line -match '^\s*([-*+]|\d+\.)\s') { 'List' } else { 'Text' }
            $last = if ($parts.Count) { $parts[$parts.Count - 1] }
            if ($kind -eq 'Text' -and $last -and $last.Kind -ne 'Table') {
                $last.Lines[$last.Lines.Count - 1] += ' ' + $line.Trim()
                continue
            }
            if (-not $last -or $last.Kind -ne $kind) {
                $last = @{ Kind = $kind; Lines = [System.Collections.Generic.List[string]]::new() }
                $parts.Add($last)
            }
            $last.Lines.Add($(if ($kind -eq 'List') { $line } else { $line.Trim() }))
        }
        foreach ($part in $parts) {
            switch ($part.Kind) {
                'Table' { ConvertTo-TextTable $part.Lines }
                'List' {
                    $indent = ($part.Lines | ForEach-Object { $_.Length - $_.TrimStart().Length } | Measure-Object -Minimum).Minimum
                    ($part.Lines | ForEach-Object { $_.Substring($indent) }) -join "`n"
                }
                default { $part.Lines -join "`n" }
            }
        }
    }
}

# A markdown table as plain text: cells padded to their column's width, the header's |---| row as dashes.
function ConvertTo-TextTable([string[]] $Rows) {
    $cells = foreach ($row in $Rows) {
        $inner = $row.Trim()
        if ($inner.StartsWith('|')) { $inner = $inner.Substring(1) }
        if ($inner.EndsWith('|')) { $inner = $inner.Substring(0, $inner.Length - 1) }
        , @($inner -split '(?<!\\)\|' | ForEach-Object { $_.Trim().Replace('\|', '|') })
    }
    $isRule = { param($row) @($row | Where-Object { $_ -notmatch '^:?-+:?$' }).Count -eq 0 }
    $columns = ($cells | ForEach-Object { $_.Count } | Measure-Object -Maximum).Maximum
    $widths = foreach ($c in 0..($columns - 1)) {
        ($cells | Where-Object { -not (& $isRule $_) } | ForEach-Object { if ($c -lt $_.Count) { $_[$c].Length } else { 0 } } | Measure-Object -Maximum).Maximum
    }
    $text = foreach ($row in $cells) {
        $padded = foreach ($c in 0..($columns - 1)) {
            $cell = if (& $isRule $row) { '-' * $widths[$c] } elseif ($c -lt $row.Count) { $row[$c] } else { '' }
            $cell.PadRight($widths[$c])
        }
        ($padded -join '  ').TrimEnd()
    }
    $text -join "`n"
}

# Splits a section into its code (the fenced blocks) and its text (everything else).
function Split-Code([string[]] $Lines) {
    $code = [System.Collections.Generic.List[string]]::new()
    $text = [System.Collections.Generic.List[string]]::new()
    $inCode = $false
    foreach ($line in $Lines) {
        if ($line -match '^\s*```') {
            if ($inCode -and $code.Count) { $code.Add('') }
            $inCode = -not $inCode
        }
        elseif ($inCode) { $code.Add($line) }
        else { $text.Add($line) }
    }
    @{ Code = ($code -join "`n").Trim(); Text = @(ConvertTo-Paragraph $text) }
}

function Read-HelpMarkdown([string] $Path, [string] $Cmdlet) {
    $lines = Get-Content -LiteralPath $Path
    $title = @($lines | Where-Object { $_ -match '^# ' } | Select-Object -First 1)
    if (-not $title -or $title[0].Substring(2).Trim() -ne $Cmdlet) { $Problems.Add("${Cmdlet}: $Path must start with the heading '# $Cmdlet'.") }
    $sections = Split-Section $lines '## '
    $known = 'SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS'
    foreach ($name in $sections.Keys | Where-Object { $_ -notin $known }) { $Problems.Add("${Cmdlet}: unknown section '## $name' in $Path.") }
    $help = @{}
    foreach ($name in $known) { $help[$name] = [string[]]@(if ($sections.Contains($name)) { $sections[$name] }) }
    foreach ($name in 'SYNOPSIS', 'DESCRIPTION', 'EXAMPLES') {
        if (-not ($help[$name] -match '\S')) { $Problems.Add("${Cmdlet}: the section '## $name' is missing or empty in $Path.") }
    }
    $help
}

function Get-AcceptedValue([System.Management.Automation.ParameterMetadata] $Parameter) {
    $set = $Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
    if ($set) { return $set.ValidValues }
    $type = if ($Parameter.ParameterType.IsArray) { $Parameter.ParameterType.GetElementType() } else { $Parameter.ParameterType }
    if ($type.IsEnum) { [Enum]::GetNames($type) }
}

function Get-PipelineInput([bool] $ByValue, [bool] $ByPropertyName) {
    $ways = @(if ($ByValue) { 'ByValue' }) + @(if ($ByPropertyName) { 'ByPropertyName' })
    if ($ways) { "True ($($ways -join ', '))" } else { 'False' }
}

function Start-Element([string] $Name, [System.Collections.IDictionary] $Attributes = @{}) {
    $prefix, $local = $Name -split ':'
    $Writer.WriteStartElement($prefix, $local, $Namespaces[$prefix])
    foreach ($a in $Attributes.GetEnumerator()) { $Writer.WriteAttributeString($a.Key, $a.Value) }
}

function Write-Element([string] $Name, [string] $Text, [System.Collections.IDictionary] $Attributes = @{}) {
    Start-Element $Name $Attributes
    $Writer.WriteString($Text)
    $Writer.WriteEndElement()
}

function Write-Description([string[]] $Paragraphs, [string] $Name = 'maml:description') {
    Start-Element $Name
    foreach ($p in $Paragraphs) { Write-Element 'maml:para' $p }
    $Writer.WriteEndElement()
}

function ConvertTo-XmlBool($Value) { if ($Value) { 'true' } else { 'false' } }

# One command:parameter; $Use holds Required, Position and PipelineInput for one set, or merged over all sets.
function Write-Parameter([System.Management.Automation.ParameterMetadata] $Parameter, [hashtable] $Use, [hashtable] $Doc, [bool] $InSyntax) {
    $type = $Parameter.ParameterType
    $wildcards = $Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }
    Start-Element 'command:parameter' ([ordered]@{
        required = ConvertTo-XmlBool $Use.Required; variableLength = ConvertTo-XmlBool $type.IsArray; globbing = ConvertTo-XmlBool $wildcards
        pipelineInput = $Use.PipelineInput; position = $Use.Position; aliases = $(if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }) })
    Write-Element 'maml:name' $Parameter.Name
    Write-Description $Doc.Text
    $values = @(Get-AcceptedValue $Parameter)
    if ($values) {
        Start-Element 'command:parameterValueGroup'
        foreach ($v in $values) { Write-Element 'command:parameterValue' $v ([ordered]@{ required = 'false'; variableLength = 'false' }) }
        $Writer.WriteEndElement()
    }
    if (-not ($Parameter.SwitchParameter -and $InSyntax)) {
        Write-Element 'command:parameterValue' $type.Name ([ordered]@{ required = (ConvertTo-XmlBool (-not $Parameter.SwitchParameter)); variableLength = (ConvertTo-XmlBool $type.IsArray) })
    }
    Start-Element 'dev:type'; Write-Element 'maml:name' $type.FullName; Write-Element 'maml:uri' ''; $Writer.WriteEndElement()
    Write-Element 'dev:defaultValue' $(if ($Doc.Default) { $Doc.Default } elseif ($Parameter.SwitchParameter) { 'False' } else { 'None' })
    $Writer.WriteEndElement()
}

function Write-TypeList([string[]] $Lines, [string] $ListName, [string] $ItemName) {
    Start-Element $ListName
    $types = Split-Section $Lines '### '
    foreach ($t in $types.Keys) {
        Start-Element $ItemName
        Start-Element 'dev:type'; Write-Element 'maml:name' $t; $Writer.WriteEndElement()
        Write-Description @(ConvertTo-Paragraph $types[$t])
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

# Reads a cmdlet's markdown and checks it against the cmdlet; problems go to $Problems.
function Get-CommandHelp([System.Management.Automation.CmdletInfo] $Command, [string] $Path) {
    $help = Read-HelpMarkdown $Path $Command.Name
    $parameters = @($Command.Parameters.Values | Where-Object Name -NotIn ([System.Management.Automation.Cmdlet]::CommonParameters))
    $docs = [ordered]@{}
    foreach ($entry in (Split-Section $help.PARAMETERS '### ').GetEnumerator()) {
        $name = $entry.Key.TrimStart('-')
        $paragraphs = @(ConvertTo-Paragraph $entry.Value)
        $default = $paragraphs | Where-Object { $_ -match '^Default value:' } | ForEach-Object { ($_ -replace '^Default value:\s*').Trim() } | Select-Object -First 1
        $docs[$name] = @{ Text = @($paragraphs | Where-Object { $_ -notmatch '^Default value:' }); Default = $default }
        if ($name -notin $parameters.Name) { $Problems.Add("$($Command.Name): the help documents -$name, which the cmdlet does not have.") }
        elseif (-not $docs[$name].Text) { $Problems.Add("$($Command.Name): the section '### -$name' has no description.") }
    }
    foreach ($p in $parameters | Where-Object { -not $docs.Contains($_.Name) }) {
        if ($ShouldProcessHelp.ContainsKey($p.Name)) { $docs[$p.Name] = @{ Text = @($ShouldProcessHelp[$p.Name]); Default = $null } }
        else { $Problems.Add("$($Command.Name): parameter -$($p.Name) has no '### -$($p.Name)' section in $Path.") }
    }
    $examples = Split-Section $help.EXAMPLES '### '
    foreach ($title in $examples.Keys) {
        if (-not (Split-Code $examples[$title]).Code) { $Problems.Add("$($Command.Name): example '$title' has no code block.") }
    }
    if (-not $examples.Count -and $help.EXAMPLES -match '\S') { $Problems.Add("$($Command.Name): '## EXAMPLES' has no '### Example' section.") }
    @{ Command = $Command; Help = $help; Docs = $docs; Examples = $examples }
}

function Write-Command([hashtable] $Entry) {
    $Command, $Help, $docs, $examples = $Entry.Command, $Entry.Help, $Entry.Docs, $Entry.Examples
    Start-Element 'command:command'
    foreach ($prefix in $Namespaces.Keys) { $Writer.WriteAttributeString('xmlns', $prefix, $null, $Namespaces[$prefix]) }
    Start-Element 'command:details'
    foreach ($part in 'Name', 'Verb', 'Noun') { Write-Element "command:$($part.ToLowerInvariant())" $Command.$part }
    Write-Description @((ConvertTo-Paragraph $Help.SYNOPSIS) -join ' ')
    $Writer.WriteEndElement()
    Write-Description @(ConvertTo-Paragraph $Help.DESCRIPTION)

    Start-Element 'command:syntax'
    foreach ($set in @($Command.ParameterSets | Sort-Object -Stable { -not $_.IsDefault })) {
        Start-Element 'command:syntaxItem'
        Write-Element 'maml:name' $Command.Name
        $inSet = $set.Parameters | Where-Object { $docs.Contains($_.Name) } |
            Sort-Object -Stable { if ($_.Position -ge 0) { $_.Position } else { [int]::MaxValue } }, { -not $_.IsMandatory }
        foreach ($p in $inSet) {
            $use = @{ Required = $p.IsMandatory; Position = $(if ($p.Position -ge 0) { "$($p.Position)" } else { 'named' })
                      PipelineInput = Get-PipelineInput $p.ValueFromPipeline $p.ValueFromPipelineByPropertyName }
            Write-Parameter $Command.Parameters[$p.Name] $use $docs[$p.Name] $true
        }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    Start-Element 'command:parameters'
    foreach ($name in $docs.Keys) {
        $p = $Command.Parameters[$name]
        $sets = @($p.ParameterSets.Values)
        $positions = @($sets | Where-Object Position -GE 0 | ForEach-Object Position | Select-Object -Unique)
        $use = @{ Required = -not ($sets | Where-Object { -not $_.IsMandatory }); Position = $(if ($positions.Count) { "$($positions[0])" } else { 'named' })
                  PipelineInput = Get-PipelineInput ([bool]($sets | Where-Object ValueFromPipeline)) ([bool]($sets | Where-Object ValueFromPipelineByPropertyName)) }
        Write-Parameter $p $use $docs[$name] $false
    }
    $Writer.WriteEndElement()

    Write-TypeList $Help.INPUTS 'command:inputTypes' 'command:inputType'
    Write-TypeList $Help.OUTPUTS 'command:returnValues' 'command:returnValue'
    Start-Element 'maml:alertSet'; Write-Description @(ConvertTo-Paragraph $Help.NOTES) 'maml:alert'; $Writer.WriteEndElement()

    Start-Element 'command:examples'
    foreach ($title in $examples.Keys) {
        $example = Split-Code $examples[$title]
        Start-Element 'command:example'
        Write-Element 'maml:title' "---------- $title ----------"
        Write-Element 'dev:code' $example.Code
        Write-Description (@($example.Text) + '') 'dev:remarks'  # the empty para separates the examples
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    Start-Element 'maml:relatedLinks'
    foreach ($line in @($Help.'RELATED LINKS') -match '^\s*[-*]\s+\S') {
        $link = ($line -replace '^\s*[-*]\s+').Trim()
        $text, $uri = if ($link -match '^\[(.+)\]\((.*)\)$') { $Matches[1], $Matches[2] } else { $link, '' }
        Start-Element 'maml:navigationLink'; Write-Element 'maml:linkText' $text; Write-Element 'maml:uri' $uri; $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
    $Writer.WriteEndElement()
}

# .NET resolves relative paths against the process's directory, not PowerShell's location.
$ManifestPath, $MarkdownPath, $OutputPath = $ManifestPath, $MarkdownPath, $OutputPath | ForEach-Object { $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($_) }
$module = Import-Module -Name $ManifestPath -Force -PassThru
$cmdlets = @((Import-PowerShellDataFile -LiteralPath $ManifestPath).CmdletsToExport)

$commands = foreach ($name in $cmdlets) {
    $file = Join-Path $MarkdownPath "$name.md"
    $command = Get-Command -Name $name -Module $module.Name -CommandType Cmdlet -ErrorAction Ignore
    if (-not $command) { $Problems.Add("${name}: listed in CmdletsToExport but not a cmdlet of the module."); continue }
    if (-not (Test-Path -LiteralPath $file -PathType Leaf)) { $Problems.Add("${name}: no help file $file."); continue }
    Get-CommandHelp $command $file
}
if ($Problems.Count) {
    foreach ($problem in $Problems) { [Console]::Error.WriteLine("ConvertTo-MamlHelp: $problem") }
    [Console]::Error.WriteLine("ConvertTo-MamlHelp: $($Problems.Count) problem(s); no help file was written.")
    exit 1
}

$settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; IndentChars = '  '; Encoding = [System.Text.UTF8Encoding]::new($false) }
$buffer = [System.IO.MemoryStream]::new()
$Writer = [System.Xml.XmlWriter]::Create($buffer, $settings)
$Writer.WriteStartDocument()
$Writer.WriteStartElement('helpItems', 'http://msh')
$Writer.WriteAttributeString('schema', 'maml')
foreach ($c in $commands) { Write-Command $c }
$Writer.WriteEndDocument()
$Writer.Dispose()

$null = New-Item -ItemType Directory -Force -Path (Split-Path -Parent $OutputPath)
[System.IO.File]::WriteAllBytes($OutputPath, $buffer.ToArray())
Write-Host "Help for $($cmdlets.Count) cmdlets written to $OutputPath"

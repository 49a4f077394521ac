# Loads the cmdlets and their dependencies into an assembly load context of their own (see
# DtsPowerShell.LoadContext), so that another module's MySqlConnector or SQLite cannot clash with ours.
$binPath = [System.IO.Path]::Combine($PSScriptRoot, 'bin')
if (-not ('DtsPowerShell.LoadContext.ModuleLoadContext' -as [type])) {
    Add-Type -Path ([System.IO.Path]::Combine($PSScriptRoot, 'DtsPowerShell.LoadContext.dll'))
}

$cmdletAssembly = [DtsPowerShell.LoadContext.ModuleLoadContext]::Initialize($binPath)
Import-Module -Assembly $cmdletAssembly -Force
Export-ModuleMember -Cmdlet (Import-PowerShellDataFile -Path ([System.IO.Path]::Combine($PSScriptRoot, 'DtsPowerShell.psd1'))).CmdletsToExport

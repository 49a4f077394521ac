# Loads the cmdlets and their dependencies into an assembly load context of their own (see
# DtsPowerShell.LoadContext), so that another module's MySqlConnector or SQLite cannot clash with ours.
$binPath = [System.IO.Path]::Combine($PSScriptRoot, 'bin')
$isReload = [bool]('DtsPowerShell.LoadContext.ModuleLoadContext' -as [type])
if (-not $isReload) {
    Add-Type -Path ([System.IO.Path]::Combine($PSScriptRoot, 'DtsPowerShell.LoadContext.dll'))
}

$cmdletAssembly = [DtsPowerShell.LoadContext.ModuleLoadContext]::Initialize($binPath)
$innerModule = Import-Module -Assembly $cmdletAssembly -PassThru
if ($isReload) {
    # On a second import in the same process (Import-Module -Force, or after Remove-Module) PowerShell
    # reuses its cached module for the assembly and does not hand the cmdlets to this module again
    # (PowerShell issue 20710), so add them to this module's exports by hand.
    $addExportedCmdlet = [System.Management.Automation.PSModuleInfo].GetMethod('AddExportedCmdlet', [System.Reflection.BindingFlags]'Instance, NonPublic')
    foreach ($command in $innerModule.ExportedCmdlets.Values) {
        $addExportedCmdlet.Invoke($ExecutionContext.SessionState.Module, @(, $command))
    }
}

Export-ModuleMember -Cmdlet (Import-PowerShellDataFile -Path ([System.IO.Path]::Combine($PSScriptRoot, 'DtsPowerShell.psd1'))).CmdletsToExport

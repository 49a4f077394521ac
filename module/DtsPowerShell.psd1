@{
    RootModule           = 'DtsPowerShell.psm1'
    ModuleVersion        = '0.0.0'
    GUID                 = '6f0c2a8e-4d0b-4a57-9a55-2f3b1f9d7c41'
    Author               = 'DtsPowerShell contributors'
    CompanyName          = 'DtsPowerShell'
    Copyright            = '(c) DtsPowerShell contributors. MIT License.'
    Description          = 'Keeps a target MySQL in sync with a source MySQL: precheck, schema and data initialisation, and real-time sync from the binlog, as background jobs.'
    PowerShellVersion    = '7.6'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('DtsPowerShell.Format.ps1xml')
    FunctionsToExport    = @()
    CmdletsToExport      = @(
        'New-DtsSyncJob'
        'Get-DtsSyncJob'
        'Remove-DtsSyncJob'
        'Set-DtsSyncJob'
        'Test-DtsPrecheck'
        'Get-DtsBinlogEvent'
        'ConvertTo-DtsSql'
        'Start-DtsSync'
        'Stop-DtsSync'
        'Get-DtsSyncStatus'
        'Compare-DtsSyncData'
        'Export-DtsSyncReport'
    )
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('MySQL', 'MariaDB', 'Replication', 'Binlog', 'Sync', 'DTS', 'CDC', 'Migration', 'Linux', 'Windows', 'MacOS')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = 'Precheck, schema and full initialisation, exactly-once binlog sync with DDL, two-way pairs, conflict policies, Start-DtsSync -Resync, Compare-DtsSyncData, Set-DtsSyncJob (password rotation, objects added and removed on a synced job), Get-DtsSyncStatus -History and Export-DtsSyncReport (a day of latency as charts), and the binlog cmdlets Get-DtsBinlogEvent and ConvertTo-DtsSql.'
        }
    }
}

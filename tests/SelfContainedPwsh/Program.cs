// pwsh's own entry point: the console host with the arguments as given.
return Microsoft.PowerShell.UnmanagedPSEntry.Start(args, args.Length);

#!/usr/bin/env bash
# Prints the path of a pwsh.dll compiled ahead of time (ReadyToRun), as Microsoft's PowerShell packages are; builds
# it once into $PWSH_AOT_DIR from the PowerShell dotnet tool this repository uses (which is IL only).
#
# Why: the tool's IL-only assemblies make PowerShell start in ~1.5 s instead of ~0.5 s and run its pipeline at the
# JIT's first tier for the first seconds, so a benchmark through it measures the packaging, not the cmdlet.
# crossgen2 comes from NuGet (Microsoft.NETCore.App.Crossgen2.<rid>, the version of the runtime pwsh runs on).
#
#   bench/pwsh_as_shipped.sh            -> /tmp/bench-pwsh-aot/7.6.9/unix/pwsh.dll
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PS_VERSION=$(sed -n '/"powershell"/,/}/s/.*"version": *"\([^"]*\)".*/\1/p' "$ROOT/.config/dotnet-tools.json")
RUNTIME=$(dotnet --list-runtimes | awk '$1 == "Microsoft.NETCore.App" { v = $2 } END { print v }')
RID=linux-$(case $(uname -m) in x86_64) echo x64 ;; aarch64) echo arm64 ;; *) uname -m ;; esac)
SOURCE=${NUGET_PACKAGES:-$HOME/.nuget/packages}/powershell/$PS_VERSION/tools/net10.0/any/unix
OUT=${PWSH_AOT_DIR:-/tmp/bench-pwsh-aot}/$PS_VERSION-$RUNTIME/unix
[[ -f $OUT/.done ]] && { echo "$OUT/pwsh.dll"; exit 0; }

(cd "$ROOT" && dotnet tool restore >/dev/null)
[[ -d $SOURCE ]] || { echo "PowerShell tool $PS_VERSION not found at $SOURCE" >&2; exit 1; }

# Fetch crossgen2 with a throw-away project (PackageDownload: no build, just the package).
PROJECT=$(mktemp -d)
trap 'rm -rf "$PROJECT"' EXIT
cat >"$PROJECT/fetch.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>
  <ItemGroup><PackageDownload Include="Microsoft.NETCore.App.Crossgen2.$RID" Version="[$RUNTIME]" /></ItemGroup>
</Project>
EOF
dotnet restore "$PROJECT/fetch.csproj" --nologo -v quiet >&2
CROSSGEN=${NUGET_PACKAGES:-$HOME/.nuget/packages}/microsoft.netcore.app.crossgen2.${RID}/$RUNTIME/tools/crossgen2
FRAMEWORK=$(dotnet --list-runtimes | awk -v v="$RUNTIME" '$1 == "Microsoft.NETCore.App" && $2 == v { gsub(/[][]/, "", $3); print $3 "/" v }')

rm -rf "$OUT" && mkdir -p "$OUT" && cp -r "$SOURCE/." "$OUT/"
echo "compiling PowerShell $PS_VERSION ahead of time for $RID (about a minute)" >&2
for dll in "$SOURCE"/*.dll; do
  name=$(basename "$dll")
  # An assembly crossgen2 cannot compile (none today) stays IL, as it would in a release package.
  "$CROSSGEN" -r "$FRAMEWORK/*.dll" -r "$SOURCE/*.dll" --targetos linux --targetarch "${RID#linux-}" -O "$dll" -o "$OUT/$name.r2r" >/dev/null 2>&1 \
    && mv "$OUT/$name.r2r" "$OUT/$name" || rm -f "$OUT/$name.r2r"
done
touch "$OUT/.done"
echo "$OUT/pwsh.dll"

# Bootstraps and runs the build (build/_build.csproj), the way Nuke's build.ps1 does:
#   ./build.ps1 Train --epochs 1
[CmdletBinding()]
Param(
    [Parameter(Position=0,Mandatory=$false,ValueFromRemainingArguments=$true)]
    [string[]]$BuildArguments
)

Set-StrictMode -Version 2.0; $ErrorActionPreference = "Stop"; $ConfirmPreference = "None"; trap { Write-Error $_ -ErrorAction Continue; exit 1 }
Set-Location $PSScriptRoot

$BuildProjectFile = "$PSScriptRoot\build\_build.csproj"
$BuildDll = "$PSScriptRoot\build\bin\Debug\net10.0\_build.dll"

$env:DOTNET_CLI_TELEMETRY_OPTOUT = 1
$env:DOTNET_NOLOGO = 1
$env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = 1

# Find dotnet: $env:DOTNET_EXE, then the PATH, then the per-user install of dotnet-install.ps1.
if ($env:DOTNET_EXE -and (Test-Path $env:DOTNET_EXE)) {
    $DotNetExe = $env:DOTNET_EXE
} elseif (Get-Command "dotnet" -ErrorAction SilentlyContinue) {
    $DotNetExe = (Get-Command "dotnet").Path
} elseif (Test-Path "$env:USERPROFILE\.dotnet\dotnet.exe") {
    $DotNetExe = "$env:USERPROFILE\.dotnet\dotnet.exe"
} else {
    Write-Host "error: the .NET SDK 10 is required but 'dotnet' was not found (checked DOTNET_EXE, PATH, ~\.dotnet)."
    Write-Host "Install the .NET SDK 10 from https://dot.net/download (winget install Microsoft.DotNet.SDK.10;"
    Write-Host "on Debian/Ubuntu: apt-get install dotnet-sdk-10.0), or set DOTNET_EXE."
    exit 1
}
$env:DOTNET_EXE = $DotNetExe

& $DotNetExe build $BuildProjectFile -nologo -v q -clp:NoSummary /nodeReuse:false
if ($LASTEXITCODE -ne 0) { Write-Host "error: the build project failed to compile (see above)."; exit 1 }

& $DotNetExe $BuildDll $BuildArguments
exit $LASTEXITCODE

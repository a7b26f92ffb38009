#!/usr/bin/env bash
# Bootstraps and runs the build (build/_build.csproj), the way Nuke's build.sh does:
#   ./build.sh                  the whole pipeline (default target Register)
#   ./build.sh Train --epochs 1 stop after training
#   ./build.sh Test             the tests, ending with "N passed, N failed, N skipped"
#   ./build.sh --help           targets and parameters
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$SCRIPT_DIR"

BUILD_PROJECT_FILE="$SCRIPT_DIR/build/_build.csproj"
BUILD_DLL="$SCRIPT_DIR/build/bin/Debug/net10.0/_build.dll"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Find dotnet: $DOTNET_EXE, then the PATH, then the per-user install of dotnet-install.sh.
if [[ -n "${DOTNET_EXE:-}" && -x "${DOTNET_EXE}" ]]; then
    :
elif command -v dotnet >/dev/null 2>&1; then
    DOTNET_EXE="$(command -v dotnet)"
elif [[ -x "$HOME/.dotnet/dotnet" ]]; then
    DOTNET_EXE="$HOME/.dotnet/dotnet"
else
    echo "error: the .NET SDK 10 is required but 'dotnet' was not found (checked \$DOTNET_EXE, PATH, ~/.dotnet/dotnet)." >&2
    echo "Install the .NET SDK 10 from https://dot.net/download" >&2
    echo "  Debian/Ubuntu: sudo apt-get install dotnet-sdk-10.0 (after adding the Microsoft package feed if needed)" >&2
    echo "  or set DOTNET_EXE to the dotnet executable." >&2
    exit 1
fi
export DOTNET_EXE

# Build the build quietly; show MSBuild's output only if it fails.
if ! BUILD_LOG="$("$DOTNET_EXE" build "$BUILD_PROJECT_FILE" -nologo -v q -clp:NoSummary /nodeReuse:false 2>&1)"; then
    echo "$BUILD_LOG" >&2
    echo "error: the build project failed to compile (see above)." >&2
    exit 1
fi

exec "$DOTNET_EXE" "$BUILD_DLL" "$@"

:; set -eo pipefail
:; SCRIPT_DIR=$(cd "$(dirname "$0")" && pwd)
:; "$SCRIPT_DIR/build.sh" "$@"
:; exit $?

@ECHO OFF
REM Bootstraps and runs the build on Windows, as Nuke's build.cmd does: it hands over to build.ps1.
powershell -ExecutionPolicy ByPass -NoProfile -File "%~dp0build.ps1" %*

#!/usr/bin/env bash
# Registers this Linux GPU machine as a GitHub Actions self-hosted runner for fine-tune.yml,
# with the labels the workflow asks for (self-hosted, linux, x64, gpu), as a systemd service.
#
#   sudo ./install-runner.sh --url https://github.com/OWNER/REPO --pat-file /root/runner-pat        # ephemeral (recommended)
#   sudo ./install-runner.sh --url https://github.com/OWNER/REPO --token REGISTRATION_TOKEN --persistent
#
# Ephemeral mode: the runner takes one job, unregisters and is registered afresh, so nothing a
# job leaves behind (files, processes, credentials) reaches the next job. Registering again
# needs a new registration token each time, which the service mints with a fine-grained PAT
# (repository permission "Administration: read and write") or a GitHub App token kept in a
# root-only file. Read README.md first, above all "Public repositories".
set -euo pipefail

RUNNER_VERSION="${RUNNER_VERSION:-2.321.0}"
RUNNER_USER="${RUNNER_USER:-runner}"
RUNNER_HOME="${RUNNER_HOME:-/opt/actions-runner}"
CACHE_DIR="${CACHE_DIR:-/var/cache/pipeline}"
MIN_DRIVER_MAJOR="${MIN_DRIVER_MAJOR:-535}"   # CUDA 12.x needs driver >= 525; 535 is the current LTS branch
MIN_CUDA="${MIN_CUDA:-12.1}"                  # libtorch 2.x CUDA builds need 12.1 or later
LABELS="self-hosted,linux,x64,gpu"

url="" token="" pat_file="" name="$(hostname)-gpu" mode="ephemeral" check_only=0

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }
fail() { echo "install-runner: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --url) url="$2"; shift 2 ;;
    --token) token="$2"; shift 2 ;;
    --pat-file) pat_file="$2"; shift 2 ;;
    --name) name="$2"; shift 2 ;;
    --persistent) mode="persistent"; shift ;;
    --check) check_only=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "unknown argument: $1" >&2; usage ;;
  esac
done

# --- Checks: GPU driver, CUDA, what the .NET SDK needs -------------------------------------
check_gpu() {
  command -v nvidia-smi >/dev/null || fail "nvidia-smi not found: install the NVIDIA driver (>= $MIN_DRIVER_MAJOR) first."
  local driver cuda
  driver="$(nvidia-smi --query-gpu=driver_version --format=csv,noheader | head -n1)"
  [ -n "$driver" ] || fail "nvidia-smi lists no GPU: check the driver with 'nvidia-smi'."
  [ "${driver%%.*}" -ge "$MIN_DRIVER_MAJOR" ] || fail "NVIDIA driver $driver is older than $MIN_DRIVER_MAJOR: upgrade it."
  cuda="$(nvidia-smi | sed -n 's/.*CUDA Version: \([0-9][0-9.]*\).*/\1/p' | head -n1)"
  [ -n "$cuda" ] || fail "cannot read the CUDA version the driver supports from nvidia-smi."
  if [ "$(printf '%s\n%s\n' "$MIN_CUDA" "$cuda" | sort -V | head -n1)" != "$MIN_CUDA" ]; then
    fail "the driver supports CUDA $cuda; libtorch needs $MIN_CUDA or later: upgrade the driver."
  fi
  echo "GPU: $(nvidia-smi --query-gpu=name,memory.total --format=csv,noheader | head -n1), driver $driver, CUDA $cuda"
}

check_dotnet_prerequisites() {
  # actions/setup-dotnet installs the SDK per job; it needs these libraries on the host.
  local missing=()
  for lib in libicu libssl libstdc++ libgcc_s zlib; do
    ldconfig -p | grep -q "${lib}" || missing+=("$lib")
  done
  for tool in curl tar git jq; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  [ ${#missing[@]} -eq 0 ] || fail "missing: ${missing[*]} (Debian/Ubuntu: apt-get install -y libicu-dev libssl-dev zlib1g curl tar git jq)"
  [ "$(uname -m)" = "x86_64" ] || fail "the workflow asks for x64; this machine is $(uname -m)."
  echo ".NET SDK prerequisites: present"
}

check_gpu
check_dotnet_prerequisites
[ "$check_only" -eq 1 ] && exit 0

[ "$(id -u)" -eq 0 ] || fail "run as root (it creates a user and a systemd service)."
[[ "$url" =~ ^https://[^/]+/[^/]+/[^/]+$ ]] || fail "--url must be https://HOST/OWNER/REPO (a repository runner)."
if [ "$mode" = "ephemeral" ]; then
  [ -n "$pat_file" ] && [ -r "$pat_file" ] || fail "ephemeral mode needs --pat-file FILE holding a token that may mint registration tokens."
else
  [ -n "$token" ] || fail "--persistent needs --token REGISTRATION_TOKEN (Settings > Actions > Runners > New runner)."
fi

# --- Install -----------------------------------------------------------------------------------
id "$RUNNER_USER" >/dev/null 2>&1 || useradd --system --create-home --shell /usr/sbin/nologin "$RUNNER_USER"
install -d -o "$RUNNER_USER" -g "$RUNNER_USER" -m 0750 "$RUNNER_HOME" "$CACHE_DIR"
# Checkpoints of runs that finished or were abandoned are cleaned after a week.
echo "d $CACHE_DIR 0750 $RUNNER_USER $RUNNER_USER 7d" > /etc/tmpfiles.d/pipeline-cache.conf

if [ ! -x "$RUNNER_HOME/run.sh" ]; then
  tarball="actions-runner-linux-x64-${RUNNER_VERSION}.tar.gz"
  curl -fsSL -o "/tmp/$tarball" "https://github.com/actions/runner/releases/download/v${RUNNER_VERSION}/${tarball}"
  if [ -n "${RUNNER_SHA256:-}" ]; then echo "$RUNNER_SHA256  /tmp/$tarball" | sha256sum -c -; fi
  tar -xzf "/tmp/$tarball" -C "$RUNNER_HOME"
  rm -f "/tmp/$tarball"
  "$RUNNER_HOME/bin/installdependencies.sh" >/dev/null
  chown -R "$RUNNER_USER:$RUNNER_USER" "$RUNNER_HOME"
fi

if [ "$mode" = "persistent" ]; then
  sudo -u "$RUNNER_USER" "$RUNNER_HOME/config.sh" --unattended --replace \
    --url "$url" --token "$token" --name "$name" --labels "$LABELS" --work _work
  (cd "$RUNNER_HOME" && ./svc.sh install "$RUNNER_USER" && ./svc.sh start)
  echo "runner '$name' registered (persistent) and started: systemctl status 'actions.runner.*'"
  exit 0
fi

install -d -m 0700 /etc/pipeline-runner
install -m 0600 "$pat_file" /etc/pipeline-runner/pat
cat > /etc/pipeline-runner/runner.env <<ENV
RUNNER_URL=$url
RUNNER_NAME=$name
RUNNER_LABELS=$LABELS
RUNNER_HOME=$RUNNER_HOME
ENV
install -m 0755 "$(dirname "$0")/runner-loop.sh" /usr/local/bin/pipeline-runner-loop
cat > /etc/systemd/system/pipeline-runner.service <<UNIT
[Unit]
Description=GitHub Actions ephemeral GPU runner for the fine-tuning pipeline
After=network-online.target nvidia-persistenced.service
Wants=network-online.target

[Service]
EnvironmentFile=/etc/pipeline-runner/runner.env
# Runs as root only to read the token file, then drops to $RUNNER_USER for each job.
ExecStart=/usr/local/bin/pipeline-runner-loop $RUNNER_USER
Restart=always
RestartSec=10
KillMode=process
TimeoutStopSec=300

[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable --now pipeline-runner.service
echo "runner '$name' installed (ephemeral): journalctl -u pipeline-runner -f"

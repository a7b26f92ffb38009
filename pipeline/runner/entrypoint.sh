#!/usr/bin/env bash
# Registers an ephemeral runner, runs one job, exits (the container's restart policy or
# Actions Runner Controller starts the next one). RUNNER_TOKEN is a registration token;
# with GITHUB_PAT instead, one is minted here. Neither is passed to the job's environment.
set -euo pipefail
: "${RUNNER_URL:?set RUNNER_URL=https://github.com/OWNER/REPO}"

nvidia-smi --query-gpu=name,driver_version --format=csv,noheader \
  || { echo "no GPU visible: run the container with --gpus all (NVIDIA Container Toolkit)" >&2; exit 1; }

token="${RUNNER_TOKEN:-}"
if [ -z "$token" ] && [ -n "${GITHUB_PAT:-}" ]; then
  host="${RUNNER_URL#https://}"; host="${host%%/*}"
  if [ "$host" = "github.com" ]; then api="https://api.github.com"; else api="https://$host/api/v3"; fi
  token="$(curl -fsS -X POST -H "Authorization: Bearer $GITHUB_PAT" -H "Accept: application/vnd.github+json" \
    "$api/repos/${RUNNER_URL#https://*/}/actions/runners/registration-token" | jq -r .token)"
fi
[ -n "$token" ] && [ "$token" != "null" ] || { echo "set RUNNER_TOKEN or GITHUB_PAT" >&2; exit 1; }
unset RUNNER_TOKEN GITHUB_PAT

./config.sh --unattended --ephemeral --disableupdate --url "$RUNNER_URL" --token "$token" \
  --name "${RUNNER_NAME:-$(hostname)}" --labels "$RUNNER_LABELS" --work _work
exec ./run.sh

#!/usr/bin/env bash
# One ephemeral runner after another: mint a registration token, register with --ephemeral,
# take one job, and start over from a clean work folder. Run by pipeline-runner.service.
set -euo pipefail
user="${1:?usage: runner-loop.sh RUNNER_USER}"
: "${RUNNER_URL:?}" "${RUNNER_NAME:?}" "${RUNNER_LABELS:?}" "${RUNNER_HOME:?}"

repo_path="${RUNNER_URL#https://*/}"
host="${RUNNER_URL#https://}"; host="${host%%/*}"
if [ "$host" = "github.com" ]; then api="https://api.github.com"; else api="https://$host/api/v3"; fi

while true; do
  # The token never reaches the job: it is read here, by root, and only the short-lived
  # registration token goes to config.sh.
  registration="$(curl -fsS -X POST -H "Authorization: Bearer $(cat /etc/pipeline-runner/pat)" \
    -H "Accept: application/vnd.github+json" "$api/repos/$repo_path/actions/runners/registration-token" | jq -r .token)"
  [ -n "$registration" ] && [ "$registration" != "null" ] || { echo "cannot mint a registration token" >&2; sleep 60; continue; }
  rm -rf "$RUNNER_HOME/_work"
  sudo -u "$user" "$RUNNER_HOME/config.sh" --unattended --ephemeral --replace --disableupdate \
    --url "$RUNNER_URL" --token "$registration" --name "$RUNNER_NAME" --labels "$RUNNER_LABELS" --work _work
  sudo -u "$user" "$RUNNER_HOME/run.sh" || echo "runner exited with $?; registering again" >&2
done

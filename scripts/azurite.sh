# Sourced by run-local.sh and test.sh: installs Azurite from the lock file, starts it on free
# loopback ports with its data under .data/, and stops it again (SIGTERM, then SIGKILL: it has
# been seen ignoring SIGTERM under load).

AZURITE_PID=""
AZURITE_DIR=""

azurite_install() {
  if [ ! -x "$REPO/node_modules/.bin/azurite" ]; then
    echo "==> installing Azurite from package-lock.json"
    (cd "$REPO" && npm ci --no-audit --no-fund --loglevel=error) || return 1
  fi
}

# Starts Azurite and exports AZURITE_CONNECTION_STRING. Ports are chosen by the OS (port 0) and
# read back from Azurite's own log, so two runs on one machine never collide.
azurite_start() {
  AZURITE_DIR="$REPO/.data/azurite-$$"
  mkdir -p "$AZURITE_DIR"
  local log="$AZURITE_DIR/azurite.log"
  "$REPO/node_modules/.bin/azurite" --silent --location "$AZURITE_DIR" \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    --blobPort 0 --queuePort 0 --tablePort 0 --skipApiVersionCheck --loose >"$log" 2>&1 &
  AZURITE_PID=$!
  local blob="" queue="" table=""
  for _ in $(seq 1 300); do
    blob=$(sed -n 's/.*Blob service is successfully listening at http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$log")
    queue=$(sed -n 's/.*Queue service is successfully listening at http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$log")
    table=$(sed -n 's/.*Table service is successfully listening at http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$log")
    [ -n "$blob" ] && [ -n "$queue" ] && [ -n "$table" ] && break
    kill -0 "$AZURITE_PID" 2>/dev/null || { echo "Azurite exited:"; cat "$log"; return 1; }
    sleep 0.1
  done
  if [ -z "$blob" ] || [ -z "$queue" ] || [ -z "$table" ]; then
    echo "Azurite did not report its ports within 30 s:"; cat "$log"; return 1
  fi
  # The well-known development account key of Azurite: public, not a secret.
  local key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
  export AZURITE_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
  echo "==> Azurite on 127.0.0.1 (blob $blob, queue $queue, table $table), data in ${AZURITE_DIR#$REPO/}"
}

azurite_stop() {
  [ -n "$AZURITE_PID" ] || return 0
  stop_process "$AZURITE_PID" Azurite
  AZURITE_PID=""
  [ -n "$AZURITE_DIR" ] && rm -rf "$AZURITE_DIR"
}

# SIGTERM, then SIGKILL if the process is still there after 5 s.
stop_process() {
  local pid=$1 name=$2
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }; sleep 0.1; done
  echo "==> $name ignored SIGTERM for 5 s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return 0
}

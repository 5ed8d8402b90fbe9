#!/usr/bin/env bash
# Submit one job with kcat and print its result. Usage: KAFKA=host:9092 ./kcat-submit.sh
set -euo pipefail
: "${KAFKA:=localhost:9092}"
id="kcat-$(date +%s%N)"   # the correlation ID: any bytes, unique per job

# The job: JSON value, with an input file; the program's output directory ($SANDQ_OUTPUT_DIR)
# comes back in the result's "files" (base64). The reply's address: request-reply headers.
printf '%s' '{"language":"python3","code":"import os\nn = open(\"n.txt\").read()\nprint(n)\nopen(os.environ[\"SANDQ_OUTPUT_DIR\"] + \"/answer.txt\", \"w\").write(n)","files":[{"path":"n.txt","content":"42"}]}' |
  kcat -P -b "$KAFKA" -t sandq.jobs -H "kafka_correlationId=$id" -H kafka_replyTopic=sandq.results

# The result is keyed by the correlation ID: read sandq.results until it is there.
for _ in $(seq 120); do
  result="$(kcat -C -b "$KAFKA" -t sandq.results -o beginning -e -q -f '%k\t%s\n' | awk -F'\t' -v id="$id" '$1 == id { print $2 }')"
  if [[ -n "$result" ]]; then
    printf '%s\n' "$result"
    exit 0
  fi
  sleep 0.5
done
echo "no result for $id" >&2
exit 1

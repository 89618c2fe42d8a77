#!/usr/bin/env bash
# A city's HR system enrols its employees in a Koos edition over Kafka and reads one result back for
# each, written from the published documents alone and with no Koos code: contracts/asyncapi.json
# (channels `partner_commands` and `partner_results`, the CloudEvents headers) and
# contracts/schemas/koos.registration.RegisterParticipant.v1.json (the record value), also served by the
# gateway at /v1/contracts/asyncapi.json (readable at /v1/contracts/asyncapi.html) and /v1/contracts/schemas/.
# Only ce_id, ce_source, ce_type and ce_specversion are required; this script sends the optional ones too.
#
#   KAFKA_BOOTSTRAP=127.0.0.1:19094 KAFKA_CA_FILE=.koos/kafka/tls/ca.pem \
#   KAFKA_USERNAME=partner-helsingin-kaupunki KAFKA_PASSWORD=... ORGANISATION=helsingin-kaupunki \
#   EDITION_ID=<uuid> examples/partner_kcat.sh employees.tsv
#
# employees.tsv: one employee a line, "name<TAB>email". The credentials come from
# `koos partner add ORGANISATION`. With KAFKA_CA_FILE the connection is SASL_SSL, else SASL_PLAINTEXT.
# Prints "email<TAB>result type<TAB>command id" for each employee; exits 1 unless every employee got
# exactly one result within RESULT_TIMEOUT seconds. KCAT names the kcat to run (default: kcat);
# TOPIC_PREFIX is for test namespaces only.
set -euo pipefail

: "${KAFKA_BOOTSTRAP:?}" "${KAFKA_USERNAME:?}" "${KAFKA_PASSWORD:?}" "${ORGANISATION:?}" "${EDITION_ID:?}"
EMPLOYEES=${1:?usage: partner_kcat.sh employees.tsv}
KCAT=${KCAT:-kcat}
PREFIX=${TOPIC_PREFIX:-}
RESULT_TIMEOUT=${RESULT_TIMEOUT:-120}
LANGUAGE=${LANGUAGE:-fi}
COMMANDS="${PREFIX}koos.partner.${ORGANISATION}.commands.v1"
RESULTS="${PREFIX}koos.partner.${ORGANISATION}.results.v1"
TYPE=koos.registration.RegisterParticipant.v1

settings=(-b "$KAFKA_BOOTSTRAP" -X sasl.mechanisms=SCRAM-SHA-512 -X "sasl.username=$KAFKA_USERNAME"
          -X "sasl.password=$KAFKA_PASSWORD")
if [ -n "${KAFKA_CA_FILE:-}" ]; then
  settings+=(-X security.protocol=SASL_SSL -X "ssl.ca.location=$KAFKA_CA_FILE")
else
  settings+=(-X security.protocol=SASL_PLAINTEXT)
fi

json_string() {  # a JSON string literal of $1 (names and addresses carry no control characters)
  printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"
}

sent=$(mktemp)
trap 'rm -f "$sent"' EXIT

enrol() {  # one RegisterParticipant record, CloudEvents in binary mode: ce_ headers, the data as value
  local name=$1 email=$2 id
  id=$(cat /proc/sys/kernel/random/uuid)
  printf '{"edition_id":"%s","person":{"email":%s,"name":%s,"language":"%s"}}\n' "$EDITION_ID" \
    "$(json_string "$email")" "$(json_string "$name")" "$LANGUAGE" |
    "$KCAT" "${settings[@]}" -P -t "$COMMANDS" -k "$EDITION_ID" \
      -H "ce_id=$id" -H "ce_source=/partners/$ORGANISATION/hr" -H "ce_type=$TYPE" -H "ce_specversion=1.0" \
      -H "ce_time=$(date -u +%Y-%m-%dT%H:%M:%SZ)" -H "ce_correlationid=$id" \
      -H "ce_organisationid=$ORGANISATION" -H "ce_partitionkey=$EDITION_ID" \
      -H "ce_dataschema=https://koos.example/schemas/$TYPE.json" -H "content-type=application/json"
  printf '%s\t%s\n' "$id" "$email" >>"$sent"
}

while IFS=$'\t' read -r name email; do
  [ -n "$email" ] && enrol "$name" "$email"
done <"$EMPLOYEES"

header() {  # the value of header $1 in kcat's "%h" output ("name=value,name=value,...")
  tr ',' '\n' | sed -n "s/^$1=//p" | head -1
}

results=$(mktemp)
trap 'rm -f "$sent" "$results"' EXIT
deadline=$((SECONDS + RESULT_TIMEOUT))
while :; do
  "$KCAT" "${settings[@]}" -C -t "$RESULTS" -o beginning -e -q -f '%h\n' 2>/dev/null |
    while read -r headers; do
      printf '%s\t%s\n' "$(header ce_causationid <<<"$headers")" "$(header ce_type <<<"$headers")"
    done >"$results" || true
  answered=$(cut -f1 "$results" | sort -u | grep -cFxf <(cut -f1 "$sent") || true)
  [ "$answered" -ge "$(wc -l <"$sent")" ] && break
  [ "$SECONDS" -lt "$deadline" ] || break
  sleep 2
done

status=0
while IFS=$'\t' read -r id email; do
  mapfile -t found < <(awk -F'\t' -v id="$id" '$1 == id {print $2}' "$results")
  if [ "${#found[@]}" -eq 1 ]; then
    printf '%s\t%s\t%s\n' "$email" "${found[0]}" "$id"
  else
    printf '%s\t%s results\t%s\n' "$email" "${#found[@]}" "$id"
    status=1
  fi
done <"$sent"
exit "$status"

#!/bin/bash
# Runs a one-node KRaft Kafka with SASL/SCRAM-SHA-512 and ACLs in the apache/kafka image (docker-compose.yml).
# The admin user is added when the storage is formatted (the broker logs in to itself with it); the
# services' users, the topics and the ACLs are made afterwards by `koos kafka provision` (kafka-init).
# KAFKA_HOST, KAFKA_PORT, KAFKA_CONTROLLER_PORT, KAFKA_DATA, KAFKA_HOME and KAFKA_CONFIG_DIR have the
# image's values as defaults (the project's tests run this script on the Maven jars).
# Passwords must be URL-safe random strings (they go into JAAS lines), e.g. `openssl rand -base64 32 | tr +/ -_`.
set -euo pipefail
: "${KOOS_KAFKA_ADMIN_PASSWORD:?}" "${KOOS_KAFKA_CONTROLLER_PASSWORD:?}"
DATA=${KAFKA_DATA:-/var/lib/kafka/data}
HOME_DIR=${KAFKA_HOME:-/opt/kafka}
HOST=${KAFKA_HOST:-kafka}
PORT=${KAFKA_PORT:-9092}
CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
CONFIG=${KAFKA_CONFIG_DIR:-/tmp}/server.properties
ADMIN_CONFIG=${KAFKA_CONFIG_DIR:-/tmp}/admin.properties
SCRAM="org.apache.kafka.common.security.scram.ScramLoginModule required"
PLAIN="org.apache.kafka.common.security.plain.PlainLoginModule required"

cat >"$CONFIG" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CONTROLLER_PORT
listeners=SASL_PLAINTEXT://:$PORT,CONTROLLER://:$CONTROLLER_PORT
advertised.listeners=SASL_PLAINTEXT://$HOST:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=SASL_PLAINTEXT
listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=$SCRAM username="koos-admin" password="$KOOS_KAFKA_ADMIN_PASSWORD";
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=$PLAIN username="koos-controller" password="$KOOS_KAFKA_CONTROLLER_PASSWORD" user_koos-controller="$KOOS_KAFKA_CONTROLLER_PASSWORD";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:koos-admin;User:koos-controller
allow.everyone.if.no.acl.found=false
auto.create.topics.enable=false
log.dirs=$DATA
num.partitions=3
group.initial.rebalance.delay.ms=0
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
EOF

cat >"$ADMIN_CONFIG" <<EOF
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=$SCRAM username="koos-admin" password="$KOOS_KAFKA_ADMIN_PASSWORD";
EOF
chmod 600 "$CONFIG" "$ADMIN_CONFIG"

if [ ! -f "$DATA/meta.properties" ]; then
  "$HOME_DIR/bin/kafka-storage.sh" format -t "$("$HOME_DIR/bin/kafka-storage.sh" random-uuid)" -c "$CONFIG" \
    --add-scram "SCRAM-SHA-512=[name=koos-admin,password=$KOOS_KAFKA_ADMIN_PASSWORD]"
fi
exec "$HOME_DIR/bin/kafka-server-start.sh" "$CONFIG"

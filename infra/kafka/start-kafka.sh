#!/usr/bin/env bash
# Runs a single-node Apache Kafka 4.x (KRaft, combined broker and controller) in DIR.
# Writes DIR/server.properties, formats DIR/data when it is empty, then execs the broker in the
# foreground so the caller owns its pid. Sized for a small machine: small heap, few threads,
# replication 1 everywhere.
# Usage: start-kafka.sh DIR BROKER_PORT CONTROLLER_PORT   (jars: $KAFKA_LIBS, see fetch-jars.sh)
set -euo pipefail
home="$1"
port="$2"
controller_port="$3"
here="$(cd "$(dirname "$0")" && pwd)"
libs="${KAFKA_LIBS:-${FLOWGUARD_LOCAL_DIR:-$here/../../.local}/kafka/libs}"
[[ -f "$libs/.resolved" ]] || { echo "start-kafka: no jars in $libs; run infra/kafka/fetch-jars.sh" >&2; exit 1; }
command -v java >/dev/null || { echo "start-kafka: java is missing; run infra/system-deps.sh" >&2; exit 1; }
mkdir -p "$home/data"

cat > "$home/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controller_port}
advertised.listeners=PLAINTEXT://127.0.0.1:${port}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
controller.quorum.bootstrap.servers=127.0.0.1:${controller_port}
log.dirs=${home}/data
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# Topics are created on purpose (services up, test fixtures), never by a typo in a client.
auto.create.topics.enable=false
num.network.threads=2
num.io.threads=2
background.threads=2
num.recovery.threads.per.data.dir=1
log.cleaner.threads=1
log.segment.bytes=16777216
PROPS

cat > "$home/log4j.properties" <<PROPS
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
PROPS

# Kafka's own classes also touch log4j2 (log4j-core comes with the tools); give it a config too.
cat > "$home/log4j2.properties" <<PROPS
status=warn
appender.console.type=Console
appender.console.name=STDOUT
appender.console.layout.type=PatternLayout
appender.console.layout.pattern=[%d] %p %m (%c)%n
rootLogger.level=info
rootLogger.appenderRef.stdout.ref=STDOUT
PROPS

jvm=(-Xms256m -Xmx512m -XX:+UseSerialGC -XX:ActiveProcessorCount=2 -Djava.awt.headless=true
  "-Dlog4j.configuration=file:$home/log4j.properties"
  "-Dlog4j2.configurationFile=$home/log4j2.properties")

if [[ ! -f "$home/data/meta.properties" ]]; then
  # A cluster id is 16 random bytes in URL-safe base64 without padding. One starting with "-"
  # reads as an option to the storage tool (1 start in 64 failed so): draw again, as Kafka's
  # own Uuid.randomUuid() does.
  cluster_id="-"
  while [[ "$cluster_id" == -* ]]; do
    cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
  done
  java "${jvm[@]}" -cp "$libs/*" kafka.tools.StorageTool format --standalone \
    --cluster-id "$cluster_id" --config "$home/server.properties"
fi

exec java "${jvm[@]}" -cp "$libs/*" kafka.Kafka "$home/server.properties"

#!/usr/bin/env bash
# A real single-node Apache Kafka (KRaft) on 127.0.0.1 for the integration
# tests and the end-to-end benchmark.
#
#   broker.sh fetch    download org.apache.kafka:kafka_2.13 and its runtime
#                      dependencies (plus a log4j2 backend) from Maven Central
#                      into the cache dir, with a generated pom and
#                      `mvn dependency:copy-dependencies`
#   broker.sh start    format the storage (once), start the broker on
#                      127.0.0.1:9092 (controller 9093), wait until it answers
#                      a metadata request, print ENR_TEST_BROKERS=127.0.0.1:9092
#                      The broker also listens on 127.0.0.1:9094 with
#                      SASL_PLAINTEXT, mechanism PLAIN, for the user
#                      "enricher" with the password in SASL_PASSWORD below
#                      (test_sasl.sh: clusters with authentication), and on
#                      127.0.0.1:9095 with SSL, its certificate signed by a
#                      test CA made here with openssl ($RUN/ssl/ca.pem).
#   broker.sh stop     stop it cleanly (SIGTERM, then wait)
#   broker.sh status   exit 0 when it runs and answers
#   broker.sh topic NAME PARTITIONS   create a topic
#
# Environment: ENR_KAFKA_VERSION (default 4.1.0), ENR_KAFKA_CACHE (default
# ~/.cache/enricher-kafka: jars), ENR_KAFKA_DIR (default $ENR_KAFKA_CACHE/run:
# data, config, log, pid). The data survives stop/start (the broker-restart
# test relies on it); `rm -rf $ENR_KAFKA_DIR` resets it. ENR_KAFKA_PORT
# (default 9092) moves the four ports to it and the three after it: with
# its own ENR_KAFKA_DIR, a second broker beside the first (e.g. a long
# chaos run while the test suite runs).
set -euo pipefail

VERSION=${ENR_KAFKA_VERSION:-4.1.0}
LOG4J_VERSION=${ENR_LOG4J_VERSION:-2.24.3}
CACHE=${ENR_KAFKA_CACHE:-$HOME/.cache/enricher-kafka}
RUN=${ENR_KAFKA_DIR:-$CACHE/run}
LIB=$CACHE/lib-$VERSION
HOST=127.0.0.1
PORT=${ENR_KAFKA_PORT:-9092}
CPORT=$((PORT + 1))
SASL_PORT=$((PORT + 2))
SASL_USER=enricher
SASL_PASSWORD=enr-test-Pa55-4c1d
SSL_PORT=$((PORT + 3))
SSL_DIR=$RUN/ssl
SSL_STORE_PASSWORD=enr-test-store
PIDFILE=$RUN/kafka.pid

die() { echo "broker.sh: $*" >&2; exit 1; }

need_java() {
    command -v java >/dev/null || die "java not found (Kafka 4.x needs Java 17+)"
    local v
    v=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
    [ "${v:-0}" -ge 17 ] || die "Java $v found; Kafka $VERSION needs 17+"
}

fetch() {
    need_java
    if [ -f "$LIB/.complete" ]; then
        return 0
    fi
    command -v mvn >/dev/null || die "mvn not found (apt-get install maven)"
    mkdir -p "$LIB"
    local pom
    pom=$(mktemp -d)
    cat >"$pom/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>enricher.test</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$VERSION</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-server</artifactId><version>$VERSION</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>$VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>$LOG4J_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>$LOG4J_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-api</artifactId><version>$LOG4J_VERSION</version></dependency>
  </dependencies>
</project>
POM
    echo "broker.sh: fetching kafka_2.13 $VERSION from Maven Central into $LIB" >&2
    (cd "$pom" && mvn -q -B dependency:copy-dependencies \
        -DoutputDirectory="$LIB" -DincludeScope=runtime) >&2 ||
        die "mvn dependency:copy-dependencies failed"
    rm -rf "$pom"
    touch "$LIB/.complete"
}

# A test CA and the broker's certificate for 127.0.0.1, made once.
make_certs() {
    [ -f "$SSL_DIR/broker.p12" ] && return 0
    command -v openssl >/dev/null || die "openssl not found (apt-get install openssl)"
    mkdir -p "$SSL_DIR"
    (
        cd "$SSL_DIR"
        openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem \
            -days 3650 -subj "/CN=enricher test CA"
        openssl req -newkey rsa:2048 -nodes -keyout broker.key -out broker.csr \
            -subj "/CN=127.0.0.1"
        printf 'subjectAltName=IP:127.0.0.1\n' > san.ext
        openssl x509 -req -in broker.csr -CA ca.pem -CAkey ca.key \
            -CAcreateserial -out broker.pem -days 3650 -extfile san.ext
        openssl pkcs12 -export -in broker.pem -inkey broker.key -name broker \
            -out broker.p12.tmp -passout "pass:$SSL_STORE_PASSWORD"
        mv broker.p12.tmp broker.p12
    ) >"$RUN/certs.log" 2>&1 || { cat "$RUN/certs.log" >&2; die "making the test certificates failed"; }
}

write_config() {
    mkdir -p "$RUN/data"
    make_certs
    cat >"$RUN/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CPORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CPORT,SASL_PLAINTEXT://$HOST:$SASL_PORT,SSL://$HOST:$SSL_PORT
advertised.listeners=PLAINTEXT://$HOST:$PORT,SASL_PLAINTEXT://$HOST:$SASL_PORT,SSL://$HOST:$SSL_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL
ssl.keystore.type=PKCS12
ssl.keystore.location=$SSL_DIR/broker.p12
ssl.keystore.password=$SSL_STORE_PASSWORD
ssl.key.password=$SSL_STORE_PASSWORD
sasl.enabled.mechanisms=PLAIN
listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-$SASL_PASSWORD" user_admin="admin-$SASL_PASSWORD" user_$SASL_USER="$SASL_PASSWORD";
log.dirs=$RUN/data
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
log.retention.hours=24
PROPS
    cat >"$RUN/log4j2.properties" <<'L4J'
status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = ${sys:kafka.logs.dir}/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
logger.kafka.name = kafka
logger.kafka.level = INFO
logger.state.name = state.change.logger
logger.state.level = WARN
L4J
}

# Runs java with the broker's class path, replacing the calling (sub)shell:
# call it only in a subshell, so that $! of a background call is java's pid.
java_run() {
    exec java -Xmx512m -Xms256m -XX:+UseG1GC -Djava.awt.headless=true \
        -Dkafka.logs.dir="$RUN" \
        -Dlog4j2.configurationFile="$RUN/log4j2.properties" \
        -cp "$LIB/*" "$@"
}

running() {
    [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null
}

answers() {
    kcat -b "$HOST:$PORT" -L -m 3 >/dev/null 2>&1
}

# Ready for the tests: a metadata answer is not enough right after a start
# (the controller may not yet create topics), so produce to a probe topic,
# which auto-creates it.
ready() {
    answers && echo probe | kcat -P -b "$HOST:$PORT" -t enricher-ready-probe \
        -X message.timeout.ms=5000 >/dev/null 2>&1
}

start() {
    fetch
    command -v kcat >/dev/null || die "kcat not found (apt-get install kcat)"
    if running && ready; then
        echo "ENR_TEST_BROKERS=$HOST:$PORT"
        return 0
    fi
    write_config
    if [ ! -f "$RUN/data/meta.properties" ]; then
        local id
        id=$(java_run kafka.tools.StorageTool random-uuid | tail -1)
        (java_run kafka.tools.StorageTool format -t "$id" \
            -c "$RUN/server.properties" --ignore-formatted) >"$RUN/format.log" 2>&1 ||
            { cat "$RUN/format.log" >&2; die "formatting the storage failed"; }
    fi
    java_run kafka.Kafka "$RUN/server.properties" >"$RUN/stdout.log" 2>&1 </dev/null &
    echo $! >"$PIDFILE"
    local i
    for i in $(seq 1 120); do
        if ready; then
            echo "ENR_TEST_BROKERS=$HOST:$PORT"
            return 0
        fi
        running || { tail -30 "$RUN/stdout.log" "$RUN/server.log" >&2 2>/dev/null; die "the broker exited"; }
        sleep 1
    done
    die "the broker did not answer within 120 s (see $RUN/server.log)"
}

stop() {
    running || { rm -f "$PIDFILE"; return 0; }
    local pid i
    pid=$(cat "$PIDFILE")
    kill -TERM "$pid"
    for i in $(seq 1 60); do
        kill -0 "$pid" 2>/dev/null || { rm -f "$PIDFILE"; return 0; }
        sleep 1
    done
    echo "broker.sh: the broker did not stop in 60 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$PIDFILE"
}

case "${1:-}" in
fetch) fetch ;;
start) start ;;
stop) stop ;;
status) running && answers && echo "ENR_TEST_BROKERS=$HOST:$PORT" ;;
sasl)
    # broker.sh sasl: the SASL listener and its credentials, and the SSL
    # listener and its CA, as shell assignments for eval.
    echo "ENR_TEST_SASL_BROKERS=$HOST:$SASL_PORT ENR_TEST_SASL_USER=$SASL_USER ENR_TEST_SASL_PASSWORD=$SASL_PASSWORD" \
        "ENR_TEST_SSL_BROKERS=$HOST:$SSL_PORT ENR_TEST_SSL_CA=$SSL_DIR/ca.pem" ;;
topic)
    # broker.sh topic NAME PARTITIONS: creates a topic (tests need more
    # partitions than auto-creation gives).
    [ $# -eq 3 ] || die "usage: $0 topic NAME PARTITIONS"
    fetch
    (java_run org.apache.kafka.tools.TopicCommand --bootstrap-server "$HOST:$PORT" \
        --create --if-not-exists --topic "$2" --partitions "$3" \
        --replication-factor 1) ;;
*) echo "usage: $0 fetch|start|stop|status|sasl|topic NAME PARTITIONS" >&2; exit 2 ;;
esac

#!/bin/bash
# kafka-run-class.sh CLASS [ARGS]: runs a Kafka class with the jars of
# /opt/kafka/libs (KAFKA_HEAP_OPTS, KAFKA_JVM_PERFORMANCE_OPTS, KAFKA_OPTS,
# KAFKA_LOG4J_OPTS as in the Kafka distribution). The tools start with a
# small serial-GC JVM that skips the optimising compiler (seconds, not tens
# of seconds, on a loaded machine) and log warnings to stderr.
base=/opt/kafka
heap=${KAFKA_HEAP_OPTS:--Xmx256M}
perf=${KAFKA_JVM_PERFORMANCE_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto}
log4j=${KAFKA_LOG4J_OPTS:--Dlog4j2.configurationFile=$base/config/tools-log4j2.properties}
# shellcheck disable=SC2086
exec java $heap $perf -Djava.awt.headless=true $log4j ${KAFKA_OPTS:-} \
    -cp "$base/libs/*" "$@"

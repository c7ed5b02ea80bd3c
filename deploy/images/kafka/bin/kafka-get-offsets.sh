#!/bin/bash
# Prints the offsets of partitions.
exec "$(dirname "$0")/kafka-run-class.sh" org.apache.kafka.tools.GetOffsetShell "$@"

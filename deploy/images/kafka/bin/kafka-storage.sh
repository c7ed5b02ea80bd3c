#!/bin/bash
# Formats the KRaft storage.
exec "$(dirname "$0")/kafka-run-class.sh" kafka.tools.StorageTool "$@"

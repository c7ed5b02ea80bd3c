/*
 * The duplicate index shared by every worker of a group, with Kafka as its
 * only server. Each worker publishes the fingerprint of every article it
 * enriches to a compacted topic, "<output>.fingerprints" (key: the article
 * id; value: enr_fpshare_format()), with its output records (in the same
 * transaction under --exactly-once). Each worker also tails that topic from
 * its beginning into its in-memory index (dedup.h): at start-up it reads up
 * to the end before it consumes any input, so a restarted worker rebuilds
 * the index; afterwards a thread keeps adding what the other workers
 * publish.
 *
 * Semantics (README "Duplicates"): an article is a duplicate of an earlier
 * one (by publication time, else message timestamp) that the index holds
 * when the worker looks. Two copies enriched at the same moment on two
 * workers may both come out as originals: each worker sees the other's
 * fingerprint only after it went through the topic.
 */
#ifndef ENRICHER_WORKER_FINGERPRINTS_H
#define ENRICHER_WORKER_FINGERPRINTS_H

#include <librdkafka/rdkafka.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "enricher/dedup.h"
#include "enricher/fingerprint.h"
#include "enricher/metrics.h"

typedef struct enr_fpshare enr_fpshare_t;

/** Room for the value of one fingerprint message. */
#define ENR_FPSHARE_VALUE_MAX (ENR_FP_TEXT_MAX + 32)

/**
 * @brief Creates the topic when it does not exist (compacted, kept for
 *        retention_ms), reads it up to its end into idx, then keeps tailing
 *        it on a thread of its own.
 * @param conf  The client configuration (brokers, security, -X);
 *              takes ownership, also on failure.
 * @param create Create the topic through the admin API (false: let the
 *              cluster auto-create it, as the dev broker does).
 * @param idx   Borrowed until enr_fpshare_stop().
 * @param m     Metrics (borrowed; may be NULL).
 * @param fatal Borrowed (may be NULL): when it becomes non-zero (the
 *              program's error callback saw a fatal error, e.g. a refused
 *              login), the start-up stops waiting and fails.
 * @param timeout_ms How long the start-up may take to find the topic, and
 *              to read it while nothing arrives (a long topic read at a
 *              steady pace may take longer).
 * @returns NULL with the reason in errstr.
 */
enr_fpshare_t *enr_fpshare_start(rd_kafka_conf_t *conf, const char *topic,
                                 bool create, int64_t retention_ms,
                                 enr_dedup_t *idx, enr_metrics_t *m,
                                 const _Atomic int *fatal, int64_t timeout_ms,
                                 char *errstr, size_t errstr_size);

/** @brief Stops the tailing thread and closes the consumer. NULL is a no-op. */
void enr_fpshare_stop(enr_fpshare_t *fs);

/** @brief Entries read from the topic so far (also the start-up load). */
uint64_t enr_fpshare_loaded(const enr_fpshare_t *fs);

/**
 * @brief Writes the message value of one fingerprint: "<time_ms> <fp>".
 * @returns Its length, or 0 when size is too small.
 */
size_t enr_fpshare_format(char *buf, size_t size, int64_t time_ms,
                          const enr_fingerprint_t *fp);

/**
 * @brief Parses a message value written by enr_fpshare_format().
 * @returns 0, or -1 when it is not one.
 */
int enr_fpshare_parse(const char *s, size_t len, int64_t *time_ms,
                      enr_fingerprint_t *fp);

#endif

/*
 * Metrics: a fixed set of counters, gauges and histograms, some with one
 * label, updated lock-free (atomics) from any thread and rendered in the
 * Prometheus text exposition format for /metrics.
 */
#ifndef ENRICHER_METRICS_H
#define ENRICHER_METRICS_H

#include <stddef.h>

#include "enricher/common.h"
#include "enricher/enricher.h"

/** Every metric the program exports. */
typedef enum enr_metric {
        ENR_M_CONSUMED = 0,   /**< counter: messages consumed. */
        ENR_M_PRODUCED,       /**< counter: records acknowledged by Kafka
                                   (or written in pipe mode). */
        ENR_M_DEAD_LETTERED,  /**< counter{reason}: inputs sent to the DLQ. */
        ENR_M_FAILED,         /**< counter{reason}: failed deliveries or
                                   processing errors by reason. */
        ENR_M_BYTES_IN,       /**< counter: input payload bytes. */
        ENR_M_BYTES_OUT,      /**< counter: output record bytes. */
        ENR_M_STAGE_SECONDS,  /**< histogram{stage}: processing time. */
        ENR_M_ENTITIES,       /**< counter{type}: entities extracted. */
        ENR_M_CONSUMER_LAG,   /**< gauge{partition}: "topic/partition" lag. */
        ENR_M_REBALANCES,     /**< counter: group rebalances. */
        ENR_M_PRODUCER_QUEUE, /**< gauge: messages in the producer queue. */
        ENR_M_INFLIGHT,       /**< gauge: inputs consumed, not yet acked. */
        ENR_M_COMMITTED,      /**< counter: offsets committed. */
        ENR_M_TXN,            /**< counter{result}: transactions committed
                                   or aborted. */
        ENR_M_RETYPED,        /**< counter: name mentions whose type the
                                   document-level resolution changed. */
        ENR_M_LANGUAGE,       /**< counter{language}: articles by the
                                   language identified. */
        ENR_M_DUPLICATES,     /**< counter{kind}: articles marked as
                                   copies (exact, near). */
        ENR_M_DEDUP_ENTRIES,  /**< gauge: fingerprints in the index. */
        ENR_M_DEDUP_BYTES,    /**< gauge: bytes the index holds. */
        ENR_M_GEO_PLACES,     /**< counter{result}: place entities resolved
                                   or unresolved on the map. */
        ENR_M_QUOTES,         /**< counter{speaker}: quotations found, by
                                   speaker kind (person, org, nominal,
                                   none). */
        ENR_M__COUNT
} enr_metric_t;

/**
 * The most distinct label values one labelled metric keeps; updates with
 * further values go to the value "other", so a flood of reasons or
 * partitions cannot grow memory or the scrape without bound.
 */
#define ENR_METRICS_MAX_LABELS 256

/** Label values longer than this (bytes) also count as "other". */
#define ENR_METRICS_MAX_LABEL_LEN 128

/** The label value updates with a NULL label get on a labelled metric. */
#define ENR_METRICS_NO_LABEL "unknown"

typedef struct enr_metrics enr_metrics_t;

/**
 * @brief A new registry with every metric at zero; free with
 *        enr_metrics_destroy(). Labelled families have a series at zero for
 *        every label value known in advance (known_labels[] in
 *        common/metrics.c): reasons (the enr_err_t names but "ok") of
 *        dead letters and failures, stages, entity types, transaction
 *        results. Other label values appear on first use (or
 *        enr_metrics_touch()).
 * @returns NULL when out of memory.
 */
enr_metrics_t *enr_metrics_new(void);

/** @brief Frees m (no other thread may still use it). NULL is a no-op. */
void enr_metrics_destroy(enr_metrics_t *m);

/**
 * @brief Creates the series of label value label at zero, so that it is
 *        exported before its first event (dashboards and rate() then see
 *        the series from the start). No-op for unlabelled metrics.
 */
void enr_metrics_touch(enr_metrics_t *m, enr_metric_t id, const char *label);

/**
 * @brief The Prometheus name of a metric ("enricher_messages_consumed_total"),
 * for tests and documentation.
 * @returns A static string, or NULL for an invalid id.
 */
const char *enr_metrics_name(enr_metric_t id);

/**
 * @brief Adds v to a counter (or gauge). label is the label value for
 *        labelled metrics (copied on first use; at most
 *        ENR_METRICS_MAX_LABELS distinct values per metric), NULL otherwise.
 *        Thread-safe and lock-free; allocates only on a label's first use.
 * @remark Negative additions to counters are ignored (counters only go
 *         up), as are calls of the wrong kind (add on a histogram).
 *         ENR_M_CONSUMER_LAG's label is "topic/partition" and is exported
 *         as two labels, topic and partition.
 */
void enr_metrics_add(enr_metrics_t *m, enr_metric_t id, const char *label,
                     double v);

/**
 * @brief Sets a gauge. Thread-safe. Setting a labelled gauge to NaN hides
 *        that series from the output (a partition no longer assigned).
 */
void enr_metrics_set(enr_metrics_t *m, enr_metric_t id, const char *label,
                     double v);

/**
 * @brief Records one observation (seconds) in a histogram. Thread-safe,
 *        lock-free. The buckets of ENR_M_STAGE_SECONDS go from 5 us to
 *        1 s (enricher_stage_duration_seconds).
 */
void enr_metrics_observe(enr_metrics_t *m, enr_metric_t id, const char *label,
                         double seconds);

/**
 * @brief Renders every metric in the Prometheus text format (0.0.4),
 *        including enricher_build_info{version,schema}.
 * @returns A malloc'd, terminated string the caller frees, or NULL.
 */
char *enr_metrics_render(const enr_metrics_t *m, size_t *len);

/**
 * @brief Reads librdkafka's statistics JSON (the stats callback) and sets
 *        consumer lag per partition and the producer queue depth.
 *
 * From a consumer's statistics ("type": "consumer"): for every
 * topics.<t>.partitions.<p> except partition -1 with consumer_lag >= 0,
 * ENR_M_CONSUMER_LAG{"t/p"} = consumer_lag; lag series of partitions no
 * longer reported (or reported without a lag) are hidden. From a
 * producer's ("type": "producer"): ENR_M_PRODUCER_QUEUE = msg_cnt. So one
 * registry can take the statistics of a consumer and a producer handle.
 *
 * @param json Borrowed; need not be terminated (len bytes are read).
 * @returns ENR_OK, ENR_ERR_PARSE for JSON that does not parse or is not an
 *          object, ENR_ERR_TOO_LARGE over 64 MiB.
 */
enr_err_t enr_metrics_from_kafka_stats(enr_metrics_t *m, const char *json,
                                       size_t len);

/**
 * @brief Records what enriching one input cost and found: the time of each
 *        stage (ENR_M_STAGE_SECONDS) and, for a record, its entities by type
 *        (ENR_M_ENTITIES); for a refused input, nothing (callers count
 *        outputs and dead letters once they are written).
 *        Shared by `run` and `pipe` so both export the same figures.
 */
void enr_metrics_observe_result(enr_metrics_t *m, const enr_result_t *res);

/**
 * @brief Puts every language l knows (and "und") in
 *        enricher_articles_by_language_total at zero.
 * @param l Borrowed during the call; NULL touches "und" only.
 */
void enr_metrics_known_languages(enr_metrics_t *m, const enr_langid_t *l);

#endif

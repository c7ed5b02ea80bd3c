/*
 * The operations endpoint of the worker: a small HTTP server (GNU
 * libmicrohttpd, its own thread) serving
 *
 *   GET /metrics  the metrics registry in the Prometheus text format 0.0.4;
 *   GET /healthz  200 while the main loop turns (it calls
 *                 enr_http_heartbeat() each turn), 503 once no heartbeat
 *                 came for the liveness timeout: a stuck process is
 *                 restarted by its orchestrator;
 *   GET /readyz   200 when the ready() callback says so (connected and
 *                 holding an assignment, or in pipe mode ready to read),
 *                 503 otherwise: traffic and rollouts wait for it.
 *
 * Everything else is 404 (405 for methods other than GET and HEAD).
 */
#ifndef ENRICHER_WORKER_HTTP_H
#define ENRICHER_WORKER_HTTP_H

#include <stddef.h>

#include "enricher/metrics.h"

typedef struct enr_http enr_http_t;

/**
 * @brief Tells whether the worker is ready. Called on the HTTP thread for
 *        every /readyz request, so it must be thread-safe (read an atomic).
 * @returns Non-zero when ready.
 */
typedef int(enr_http_ready_cb_t)(void *opaque);

/** The default liveness timeout of /healthz, in seconds. */
#define ENR_HTTP_LIVENESS_TIMEOUT_S 30

/**
 * @brief Starts serving on addr.
 *
 * @param addr   "HOST:PORT", ":PORT" or "PORT" (all IPv4 interfaces),
 *               "[V6ADDR]:PORT"; port 0 picks a free port
 *               (see enr_http_port()).
 * @param m      Borrowed: must outlive the server (stop it first).
 * @param ready  May be NULL: then /readyz says ready while healthy.
 * @param opaque Passed to ready().
 * @returns The running server, or NULL with the reason in errstr. Stop and
 *          free it with enr_http_stop().
 * @remark The heartbeat starts "now": /healthz is healthy for the liveness
 *         timeout after the start even without a heartbeat.
 */
enr_http_t *enr_http_start(const char *addr, enr_metrics_t *m,
                           enr_http_ready_cb_t *ready, void *opaque,
                           char *errstr, size_t errstr_size);

/**
 * @brief Records that the main loop turned. Lock-free and cheap: call it
 *        every loop iteration. A NULL h is a no-op.
 */
void enr_http_heartbeat(enr_http_t *h);

/**
 * @brief Sets after how many seconds without a heartbeat /healthz fails
 *        (default ENR_HTTP_LIVENESS_TIMEOUT_S; at least 1).
 */
void enr_http_set_liveness_timeout(enr_http_t *h, unsigned seconds);

/** @brief The port actually bound (useful after asking for port 0). */
unsigned enr_http_port(const enr_http_t *h);

/**
 * @brief Stops the server, waiting for requests in progress, and frees it.
 *        A NULL h is a no-op.
 */
void enr_http_stop(enr_http_t *h);

#endif

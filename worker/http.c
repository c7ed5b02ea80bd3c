/*
 * The operations endpoint: /metrics, /healthz and /readyz over GNU
 * libmicrohttpd, which runs its own polling thread. The worker's threads
 * touch this module only through enr_http_heartbeat(), one relaxed atomic
 * store; the HTTP thread reads that time, calls the ready() callback and
 * renders the metrics registry (lock-free too). Requests are small and
 * bounded: few connections, a short timeout, GET and HEAD only.
 */
#include "http.h"
#include "enricher/clock.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>

#include "enricher/log.h"

/* Bounds of the server: scrapers and probes need very few connections. */
#define HTTP_MAX_CONNECTIONS 32
#define HTTP_TIMEOUT_S       10
#define HTTP_MAX_ADDR        256

#define CT_TEXT    "text/plain; charset=utf-8"
#define CT_METRICS "text/plain; version=0.0.4; charset=utf-8"

struct enr_http {
        struct MHD_Daemon   *daemon;
        enr_metrics_t       *metrics; /* Borrowed. */
        enr_http_ready_cb_t *ready;
        void                *opaque;
        _Atomic int64_t      heartbeat_ms; /* Monotonic time of the last
                                              heartbeat. */
        _Atomic unsigned timeout_s;        /* Liveness timeout. */
        unsigned         port;
};


void enr_http_heartbeat(enr_http_t *h) {
        if (h)
                atomic_store_explicit(&h->heartbeat_ms, enr_clock_mono_ms(),
                                      memory_order_relaxed);
}

void enr_http_set_liveness_timeout(enr_http_t *h, unsigned seconds) {
        if (h)
                atomic_store(&h->timeout_s, seconds ? seconds : 1);
}

unsigned enr_http_port(const enr_http_t *h) {
        return h ? h->port : 0;
}

/* Seconds since the last heartbeat, if it is older than the timeout;
 * else -1. */
static int64_t stale_seconds(enr_http_t *h) {
        int64_t age =
            enr_clock_mono_ms() -
            atomic_load_explicit(&h->heartbeat_ms, memory_order_relaxed);

        if (age > (int64_t)atomic_load(&h->timeout_s) * 1000)
                return age / 1000;
        return -1;
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned status,
                             const char *ctype, char *body, size_t len,
                             enum MHD_ResponseMemoryMode mode) {
        struct MHD_Response *resp;
        enum MHD_Result      ret;

        resp = MHD_create_response_from_buffer(len, body, mode);
        if (!resp) {
                if (mode == MHD_RESPMEM_MUST_FREE)
                        free(body);
                return MHD_NO;
        }
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
                                "no-store");
        ret = MHD_queue_response(conn, status, resp);
        MHD_destroy_response(resp);
        return ret;
}

static enum MHD_Result reply_text(struct MHD_Connection *conn, unsigned status,
                                  const char *text) {
        return reply(conn, status, CT_TEXT, (char *)text, strlen(text),
                     MHD_RESPMEM_PERSISTENT);
}

static enum MHD_Result serve_healthz(enr_http_t            *h,
                                     struct MHD_Connection *conn) {
        char    msg[128];
        int64_t stale = stale_seconds(h);
        int     n;

        if (stale < 0)
                return reply_text(conn, MHD_HTTP_OK, "ok\n");
        n = snprintf(msg, sizeof(msg),
                     "unhealthy: no main loop heartbeat for %lld s\n",
                     (long long)stale);
        if (n < 0)
                return MHD_NO;
        return reply(conn, MHD_HTTP_SERVICE_UNAVAILABLE, CT_TEXT, msg,
                     strlen(msg), MHD_RESPMEM_MUST_COPY);
}

static enum MHD_Result serve_readyz(enr_http_t            *h,
                                    struct MHD_Connection *conn) {
        int ready = h->ready ? h->ready(h->opaque) : stale_seconds(h) < 0;

        if (ready)
                return reply_text(conn, MHD_HTTP_OK, "ready\n");
        return reply_text(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "not ready\n");
}

static enum MHD_Result serve_metrics(enr_http_t            *h,
                                     struct MHD_Connection *conn) {
        size_t len;
        char  *text = enr_metrics_render(h->metrics, &len);

        if (!text)
                return reply_text(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
                                  "out of memory\n");
        return reply(conn, MHD_HTTP_OK, CT_METRICS, text, len,
                     MHD_RESPMEM_MUST_FREE);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **req_cls) {
        enr_http_t *h = cls;
        static int  first_call;

        (void)version;
        (void)upload_data;
        /* The first call only announces the request (headers read); answer
         * on the second, once any body was consumed. */
        if (!*req_cls) {
                *req_cls = &first_call;
                return MHD_YES;
        }
        if (*upload_data_size) {
                /* Bodies are not expected: discard them. */
                *upload_data_size = 0;
                return MHD_YES;
        }
        if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
            strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
                return reply_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
                                  "method not allowed\n");
        if (strcmp(url, "/metrics") == 0)
                return serve_metrics(h, conn);
        if (strcmp(url, "/healthz") == 0)
                return serve_healthz(h, conn);
        if (strcmp(url, "/readyz") == 0)
                return serve_readyz(h, conn);
        if (strcmp(url, "/") == 0)
                return reply_text(conn, MHD_HTTP_OK,
                                  "enricher: /metrics /healthz /readyz\n");
        return reply_text(conn, MHD_HTTP_NOT_FOUND, "not found\n");
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap) {
        char msg[512];
        int  n;

        (void)cls;
        n = vsnprintf(msg, sizeof(msg), fmt, ap);
        if (n <= 0)
                return;
        /* libmicrohttpd's messages end with a newline. */
        if (msg[strlen(msg) - 1] == '\n')
                msg[strlen(msg) - 1] = '\0';
        enr_warn("http", "%s", msg);
}

/*
 * Splits "HOST:PORT", "[V6]:PORT", ":PORT" or "PORT" and resolves it into
 * *ss. Returns 0, or -1 with the reason in errstr.
 */
static int parse_addr(const char *addr, struct sockaddr_storage *ss,
                      char *errstr, size_t errstr_size) {
        char            host[HTTP_MAX_ADDR];
        const char     *port;
        const char     *colon;
        struct addrinfo hints = {0}, *res = NULL;
        char           *end;
        long            pnum;
        int             rc;

        if (!addr || !*addr || strlen(addr) >= sizeof(host)) {
                enr_set_errstr(errstr, errstr_size,
                               "metrics address \"%s\": expected HOST:PORT",
                               addr ? addr : "");
                return -1;
        }
        host[0] = '\0';
        if (addr[0] == '[') {
                const char *close = strchr(addr, ']');

                if (!close || close[1] != ':') {
                        enr_set_errstr(errstr, errstr_size,
                                       "metrics address \"%s\": expected "
                                       "[V6ADDR]:PORT",
                                       addr);
                        return -1;
                }
                memcpy(host, addr + 1, (size_t)(close - addr - 1));
                host[close - addr - 1] = '\0';
                port                   = close + 2;
        } else if ((colon = strrchr(addr, ':')) != NULL) {
                memcpy(host, addr, (size_t)(colon - addr));
                host[colon - addr] = '\0';
                port               = colon + 1;
        } else {
                port = addr;
        }
        pnum = strtol(port, &end, 10);
        if (!*port || *end || pnum < 0 || pnum > 65535) {
                enr_set_errstr(errstr, errstr_size,
                               "metrics address \"%s\": bad port \"%s\"", addr,
                               port);
                return -1;
        }
        hints.ai_family   = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        hints.ai_flags    = AI_PASSIVE | AI_NUMERICSERV;
        if (!*host || strcmp(host, "*") == 0) {
                /* All interfaces, IPv4 (what containers expose). */
                hints.ai_family = AF_INET;
                rc              = getaddrinfo(NULL, port, &hints, &res);
        } else {
                rc = getaddrinfo(host, port, &hints, &res);
        }
        if (rc != 0 || !res) {
                enr_set_errstr(errstr, errstr_size,
                               "metrics address \"%s\": %s", addr,
                               gai_strerror(rc));
                if (res)
                        freeaddrinfo(res);
                return -1;
        }
        memcpy(ss, res->ai_addr, res->ai_addrlen);
        freeaddrinfo(res);
        return 0;
}

enr_http_t *enr_http_start(const char *addr, enr_metrics_t *m,
                           enr_http_ready_cb_t *ready, void *opaque,
                           char *errstr, size_t errstr_size) {
        struct sockaddr_storage     ss;
        enr_http_t                 *h = NULL;
        unsigned                    flags;
        const union MHD_DaemonInfo *info;

        if (!m) {
                enr_set_errstr(errstr, errstr_size, "no metrics registry");
                return NULL;
        }
        memset(&ss, 0, sizeof(ss));
        if (parse_addr(addr, &ss, errstr, errstr_size) != 0)
                return NULL;
        h = calloc(1, sizeof(*h));
        if (!h) {
                enr_set_errstr(errstr, errstr_size, "out of memory");
                return NULL;
        }
        h->metrics = m;
        h->ready   = ready;
        h->opaque  = opaque;
        atomic_init(&h->heartbeat_ms, enr_clock_mono_ms());
        atomic_init(&h->timeout_s, ENR_HTTP_LIVENESS_TIMEOUT_S);

        flags =
            MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | MHD_USE_POLL;
        if (ss.ss_family == AF_INET6)
                flags |= MHD_USE_IPv6;
        h->daemon = MHD_start_daemon(
            flags, 0, NULL, NULL, on_request, h, MHD_OPTION_EXTERNAL_LOGGER,
            on_mhd_log, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
            MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_MAX_CONNECTIONS,
            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_TIMEOUT_S,
            MHD_OPTION_END);
        if (!h->daemon) {
                enr_set_errstr(errstr, errstr_size,
                               "cannot serve HTTP on \"%s\" (address in use "
                               "or not permitted?)",
                               addr);
                goto fail;
        }
        info    = MHD_get_daemon_info(h->daemon, MHD_DAEMON_INFO_BIND_PORT);
        h->port = info ? info->port : 0;
        enr_info("http", "serving /metrics, /healthz, /readyz on %s (port %u)",
                 addr, h->port);
        return h;
fail:
        free(h);
        return NULL;
}

void enr_http_stop(enr_http_t *h) {
        if (!h)
                return;
        if (h->daemon)
                MHD_stop_daemon(h->daemon);
        free(h);
}

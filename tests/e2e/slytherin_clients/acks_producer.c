/* acks_producer BROKER TOPIC COUNT [--acks all|1|0] [--size BYTES] [--prefix STR]
 *                                  [--rate MSGS_PER_S] [--timeout-ms MS] [--debug CONTEXTS]
 *                                  [--compression none|gzip|snappy|lz4|zstd]
 *
 * Produces COUNT keyed records with librdkafka (enable.idempotence=false, so the broker sees
 * plain Produce requests with the acks asked for) and prints one line per acknowledged record,
 * flushed at once so that a test killing the broker knows exactly what was acknowledged:
 *
 *   ack <partition> <offset> <value>
 *
 * With acks=0 the broker sends no response, so the offset printed is -1. Values are
 * "<prefix>-<index>" padded with '.' up to --size bytes (never spaces: the line stays three
 * fields and a value). Errors go to stderr; the exit status is 0 only when every record was
 * acknowledged, 1 otherwise, 2 on bad usage. --rate spreads the records over time (the crash
 * test kills the broker while they flow); --timeout-ms bounds how long a record may wait for its
 * acknowledgement (message.timeout.ms) and so how long the program runs once the broker is gone.
 */
#include <errno.h>
#include <librdkafka/rdkafka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long acked;
static long failed;

static void usage(void) {
  fprintf(stderr,
          "usage: acks_producer BROKER TOPIC COUNT [--acks all|1|0] [--size BYTES] "
          "[--prefix STR] [--rate MSGS_PER_S] [--timeout-ms MS] [--debug CONTEXTS] "
          "[--compression CODEC]\n");
  exit(2);
}

static void on_delivery(rd_kafka_t* rk, const rd_kafka_message_t* m, void* opaque) {
  (void)rk;
  (void)opaque;
  if (m->err) {
    ++failed;
    /* Only the first few: a dead broker fails thousands of records the same way. */
    if (failed <= 5)
      fprintf(stderr, "acks_producer: record %.*s not acknowledged: %s\n", (int)m->len,
              (const char*)m->payload, rd_kafka_err2str(m->err));
    return;
  }
  ++acked;
  printf("ack %d %lld %.*s\n", (int)m->partition, (long long)m->offset, (int)m->len,
         (const char*)m->payload);
  fflush(stdout);
}

static void set(rd_kafka_conf_t* conf, const char* name, const char* value) {
  char err[512];
  if (rd_kafka_conf_set(conf, name, value, err, sizeof err) != RD_KAFKA_CONF_OK) {
    fprintf(stderr, "acks_producer: %s=%s: %s\n", name, value, err);
    exit(2);
  }
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char** argv) {
  if (argc < 4) usage();
  const char* broker = argv[1];
  const char* topic = argv[2];
  long count = strtol(argv[3], NULL, 10);
  const char* acks = "all";
  const char* prefix = "m";
  const char* debug = NULL;
  const char* compression = "none";
  long size = 0;
  double rate = 0;
  const char* timeout_ms = "10000";
  for (int i = 4; i < argc; ++i) {
    if (i + 1 >= argc) usage();
    if (!strcmp(argv[i], "--acks"))
      acks = argv[++i];
    else if (!strcmp(argv[i], "--size"))
      size = strtol(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--prefix"))
      prefix = argv[++i];
    else if (!strcmp(argv[i], "--rate"))
      rate = strtod(argv[++i], NULL);
    else if (!strcmp(argv[i], "--timeout-ms"))
      timeout_ms = argv[++i];
    else if (!strcmp(argv[i], "--debug"))
      debug = argv[++i];
    else if (!strcmp(argv[i], "--compression"))
      compression = argv[++i];
    else
      usage();
  }
  if (count <= 0 || size < 0 || size > (1 << 20)) usage();
  if (strcmp(acks, "all") && strcmp(acks, "1") && strcmp(acks, "0")) usage();

  /* A SIGPIPE from a dying broker's socket must not kill us before we report. */
  signal(SIGPIPE, SIG_IGN);

  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  set(conf, "bootstrap.servers", broker);
  set(conf, "acks", acks);
  set(conf, "enable.idempotence", "false");
  set(conf, "linger.ms", "1");
  set(conf, "message.timeout.ms", timeout_ms);
  set(conf, "compression.codec", compression);
  if (debug) set(conf, "debug", debug);
  rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  char err[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!rk) {
    fprintf(stderr, "acks_producer: rd_kafka_new: %s\n", err);
    return 1;
  }

  size_t cap = (size_t)(size > 64 ? size : 64) + 64;
  char* value = malloc(cap);
  char key[32];
  double start = now_s();
  long produced = 0;
  for (long i = 0; i < count; ++i) {
    if (rate > 0) {
      /* Pace: record i is due at start + i / rate. */
      double due = start + (double)i / rate;
      while (now_s() < due) rd_kafka_poll(rk, 1);
    }
    int n = snprintf(value, cap, "%s-%ld", prefix, i);
    while (n < size) value[n++] = '.';
    snprintf(key, sizeof key, "k%ld", i);
    for (;;) {
      rd_kafka_resp_err_t e =
          rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_KEY(key, strlen(key)),
                            RD_KAFKA_V_VALUE(value, (size_t)n),
                            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
      if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        rd_kafka_poll(rk, 10);
        continue;
      }
      if (e) {
        fprintf(stderr, "acks_producer: produce %s: %s\n", value, rd_kafka_err2str(e));
        ++failed;
      } else {
        ++produced;
      }
      break;
    }
    rd_kafka_poll(rk, 0);
  }
  /* Every queued record is either acknowledged or failed by message.timeout.ms; the extra
   * margin only covers the delivery reports themselves. */
  int flush_ms = atoi(timeout_ms) + 5000;
  rd_kafka_resp_err_t fe = rd_kafka_flush(rk, flush_ms);
  if (fe) fprintf(stderr, "acks_producer: flush: %s\n", rd_kafka_err2str(fe));
  int outstanding = rd_kafka_outq_len(rk);
  if (outstanding > 0) {
    /* Fail what is left at once rather than let destroy wait on a dead broker. */
    rd_kafka_purge(rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    rd_kafka_poll(rk, 0);
  }
  rd_kafka_destroy(rk);
  free(value);
  fprintf(stderr, "acks_producer: %ld produced, %ld acknowledged, %ld failed, %d outstanding\n",
          produced, acked, failed, outstanding);
  return acked == count ? 0 : 1;
}

/* The status line (status.h): JSON by hand, on libc alone. */
#include "status.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

/* The setup error as a JSON string; one that does not fit escaped is cut short. */
#define ERROR_JSON_SIZE 2200

static void json_string(char out[ERROR_JSON_SIZE], const char *s) {
  size_t o = 0;
  out[o++] = '"';
  for (const unsigned char *p = (const unsigned char *)s; *p != '\0' && o + 8 < ERROR_JSON_SIZE; p++) {
    if (*p == '"' || *p == '\\') {
      out[o++] = '\\';
      out[o++] = (char)*p;
    } else if (*p < 0x20 || *p >= 0x7f) {
      o += (size_t)snprintf(out + o, ERROR_JSON_SIZE - o, "\\u%04x", *p);
    } else {
      out[o++] = (char)*p;
    }
  }
  out[o++] = '"';
  out[o] = '\0';
}

static const char *limit_name(enum limit_hit limit) {
  switch (limit) {
  case LIMIT_WALL: return "wall_time";
  case LIMIT_CPU: return "cpu_time";
  case LIMIT_MEMORY: return "memory";
  case LIMIT_PROCESSES: return "processes";
  case LIMIT_TERMINATED: return "terminated";
  case LIMIT_NONE: break;
  }
  return "none";
}

/* An instant of the status line: its nanoseconds, or null when it was not seen (0). */
#define INSTANT_JSON_SIZE 24

static void json_instant(char out[INSTANT_JSON_SIZE], uint64_t ns) {
  if (ns == 0)
    snprintf(out, INSTANT_JSON_SIZE, "null");
  else
    snprintf(out, INSTANT_JSON_SIZE, "%llu", (unsigned long long)ns);
}

void write_status(int fd, const struct job_status *s, const char *cgroup_name, const char *setup_error) {
  char error_json[ERROR_JSON_SIZE] = "null";
  if (setup_error != NULL)
    json_string(error_json, setup_error);
  char ready[INSTANT_JSON_SIZE], started[INSTANT_JSON_SIZE], exited[INSTANT_JSON_SIZE];
  json_instant(ready, s->ready_ns);
  json_instant(started, s->started_ns);
  json_instant(exited, s->exited_ns);
  char line[2700];
  int n = snprintf(line, sizeof line,
                   "{\"exit_code\":%d,\"signal\":%d,\"limit\":\"%s\",\"cpu_ms\":%llu,\"wall_ms\":%llu,"
                   "\"max_rss_kb\":%llu,\"cgroup\":\"%s\",\"started\":%s,\"ready_ns\":%s,\"started_ns\":%s,"
                   "\"exited_ns\":%s,\"setup_error\":%s}\n",
                   s->exit_code, s->signal, limit_name(s->limit), (unsigned long long)s->cpu_ms,
                   (unsigned long long)s->wall_ms, (unsigned long long)s->max_rss_kb, cgroup_name,
                   s->started ? "true" : "false", ready, started, exited, error_json);
  if (n < 0 || (size_t)n >= sizeof line)
    n = snprintf(line, sizeof line, "{\"exit_code\":-1,\"signal\":0,\"limit\":\"none\",\"setup_error\":\"status too long\"}\n");
  /* No die() here: die() itself reports through this function. */
  const char *p = line;
  size_t left = (size_t)n;
  while (left > 0) {
    ssize_t w = write(fd, p, left);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      _exit(1);
    p += w;
    left -= (size_t)w;
  }
}

void write_setup_error_status(int fd, const char *setup_error) {
  struct job_status none = {.exit_code = -1, .signal = 0, .limit = LIMIT_NONE};
  write_status(fd, &none, "none", setup_error);
}

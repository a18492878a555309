/*
 * Latency with one packet in flight, for the NfLua benchmark suite.
 *   udp_pingpong echo PORT            answers every datagram to PORT on 127.0.0.1 with the same bytes
 *   udp_pingpong ping PORT COUNT OUT  sends a 64-byte datagram, waits for its echo, COUNT times after 1000
 *                                     warm-up exchanges; writes each round trip in nanoseconds to OUT (one a
 *                                     line) and prints "PING count=... p50_ns=... p99_ns=... p999_ns=..."
 *   udp_pingpong cold GAP_MS COUNT OUT PORT...
 *                                     cold packets: one exchange on each PORT in turn, GAP_MS / (number of
 *                                     ports) apart, so that each path is idle GAP_MS before each of its COUNT
 *                                     exchanges (after 3 warm-up rounds); writes OUT.PORT and prints one
 *                                     "PING port=... count=... p50_ns=..." line per port
 * The suite queues one direction (the request) through the consumer under test and compares with a port
 * that is not queued: the difference is the latency the queue adds.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define DATAGRAM 64
#define WARM_UP 1000

static int socket_on(uint16_t port)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in at = { .sin_family = AF_INET, .sin_port = htons(port) };
    at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&at, sizeof at) < 0) {
        perror("udp_pingpong: socket");
        exit(1);
    }
    return fd;
}

static int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static int by_value(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static _Noreturn void echo(uint16_t port)
{
    int fd = socket_on(port);
    char buffer[2048];
    for (;;) {
        struct sockaddr_in from;
        socklen_t size = sizeof from;
        ssize_t got = recvfrom(fd, buffer, sizeof buffer, 0, (struct sockaddr *)&from, &size);
        if (got >= 0)
            sendto(fd, buffer, (size_t)got, 0, (struct sockaddr *)&from, size);
    }
}

static int connected_to(uint16_t port)
{
    int fd = socket_on(0);
    struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port) };
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&to, sizeof to) < 0) {
        perror("udp_pingpong: connect");
        exit(1);
    }
    struct timeval patience = { .tv_sec = 2 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof patience);
    return fd;
}

/* One exchange numbered i on fd: its round trip in nanoseconds, or -1. */
static int64_t exchange(int fd, long i)
{
    char payload[DATAGRAM] = { 0 }, reply[DATAGRAM];
    memcpy(payload, &i, sizeof i);
    int64_t t0 = now_ns();
    if (send(fd, payload, sizeof payload, 0) < 0) {
        perror("udp_pingpong: send");
        return -1;
    }
    ssize_t got;
    do
        got = recv(fd, reply, sizeof reply, 0);
    while (got >= 0 && memcmp(reply, &i, sizeof i) != 0); /* a late echo of an earlier round */
    if (got < 0) {
        fprintf(stderr, "udp_pingpong: no echo for exchange %ld: %s\n", i, strerror(errno));
        return -1;
    }
    return now_ns() - t0;
}

static int report(const char *label, int64_t *samples, long count, const char *out_path)
{
    FILE *out = fopen(out_path, "w");
    if (!out) {
        perror("udp_pingpong: OUT");
        return 1;
    }
    for (long i = 0; i < count; i++)
        fprintf(out, "%lld\n", (long long)samples[i]);
    fclose(out);
    qsort(samples, (size_t)count, sizeof *samples, by_value);
    printf("PING %scount=%ld p50_ns=%lld p99_ns=%lld p999_ns=%lld\n", label, count, (long long)samples[count / 2],
           (long long)samples[count * 99 / 100], (long long)samples[count * 999 / 1000]);
    return 0;
}

static int ping(uint16_t port, long count, const char *out_path)
{
    int fd = connected_to(port);
    int64_t *samples = malloc(sizeof *samples * (size_t)count);
    if (!samples)
        return 1;
    for (long i = -WARM_UP; i < count; i++) {
        int64_t trip = exchange(fd, i);
        if (trip < 0)
            return 1;
        if (i >= 0)
            samples[i] = trip;
    }
    return report("", samples, count, out_path);
}

static int cold(long gap_ms, long count, const char *out_prefix, int ports, char **port_args)
{
    int fds[16];
    int64_t *samples[16];
    if (ports > 16)
        return 2;
    for (int p = 0; p < ports; p++) {
        fds[p] = connected_to((uint16_t)atoi(port_args[p]));
        samples[p] = malloc(sizeof *samples[p] * (size_t)count);
        if (!samples[p])
            return 1;
    }
    long step_ns = gap_ms * 1000000 / ports;
    for (long i = -3; i < count; i++) {
        for (int p = 0; p < ports; p++) {
            struct timespec pause = { .tv_sec = step_ns / 1000000000, .tv_nsec = step_ns % 1000000000 };
            nanosleep(&pause, NULL);
            int64_t trip = exchange(fds[p], i);
            if (trip < 0)
                return 1;
            if (i >= 0)
                samples[p][i] = trip;
        }
    }
    for (int p = 0; p < ports; p++) {
        char path[4096], label[64];
        snprintf(path, sizeof path, "%s.%s", out_prefix, port_args[p]);
        snprintf(label, sizeof label, "port=%s ", port_args[p]);
        if (report(label, samples[p], count, path) != 0)
            return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "echo") == 0)
        echo((uint16_t)atoi(argv[2]));
    if (argc == 5 && strcmp(argv[1], "ping") == 0 && atol(argv[3]) > 0)
        return ping((uint16_t)atoi(argv[2]), atol(argv[3]), argv[4]);
    if (argc >= 6 && strcmp(argv[1], "cold") == 0 && atol(argv[2]) > 0 && atol(argv[3]) > 0)
        return cold(atol(argv[2]), atol(argv[3]), argv[4], argc - 5, argv + 5);
    fprintf(stderr, "usage: %s echo PORT | ping PORT COUNT OUT | cold GAP_MS COUNT OUT PORT...\n", argv[0]);
    return 2;
}

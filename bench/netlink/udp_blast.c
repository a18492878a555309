/*
 * Sender for the NfLua netlink benchmark: sends COUNT 64-byte UDP datagrams to 127.0.0.1:PORT as
 * fast as the kernel lets it. Queued packets stay charged to this socket's send buffer, so the
 * sender blocks while the consumer is behind instead of losing packets. Prints one SENDER line.
 * With SOURCE, sends from that local address (e.g. 127.0.0.12: --queue-balance hashes addresses).
 *
 * usage: udp_blast PORT COUNT [SOURCE]
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
#include <unistd.h>

#define DATAGRAM 64

/* Seconds this thread waited on a run queue for a CPU (/proc/thread-self/schedstat field 2): other load. */
static double runqueue_wait_seconds(void)
{
    unsigned long long run = 0, wait = 0;
    FILE *f = fopen("/proc/thread-self/schedstat", "r");
    if (f) {
        if (fscanf(f, "%llu %llu", &run, &wait) != 2)
            wait = 0;
        fclose(f);
    }
    return wait / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s PORT COUNT [SOURCE]\n", argv[0]);
        return 2;
    }
    uint16_t port = (uint16_t)atoi(argv[1]);
    uint64_t count = strtoull(argv[2], NULL, 10);

    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        perror("udp_blast: socket");
        return 1;
    }
    if (argc > 3) {
        struct sockaddr_in from = { .sin_family = AF_INET };
        if (inet_pton(AF_INET, argv[3], &from.sin_addr) != 1) {
            fprintf(stderr, "udp_blast: SOURCE must be an IPv4 address\n");
            return 2;
        }
        if (bind(fd, (struct sockaddr *)&from, sizeof from) < 0) {
            perror("udp_blast: bind");
            return 1;
        }
    }
    struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port) };
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    char payload[DATAGRAM];
    memset(payload, 'x', sizeof payload);
    struct timespec t0, t1;
    double wait0 = runqueue_wait_seconds();
    clock_gettime(CLOCK_MONOTONIC, &t0);
    uint64_t sent = 0, errors = 0;
    while (sent < count) {
        memcpy(payload, &sent, sizeof sent);
        /* Unconnected on purpose: a stray ICMP error must not fail later sends. */
        if (sendto(fd, payload, sizeof payload, 0, (struct sockaddr *)&to, sizeof to) < 0) {
            if (errno == EINTR)
                continue;
            if (++errors > 1000) {
                perror("udp_blast: sendto");
                return 1;
            }
            continue;
        }
        sent++;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double elapsed = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    double waited = runqueue_wait_seconds() - wait0;
    printf("SENDER sent=%llu seconds=%.6f pps=%.0f errors=%llu runq_wait_s=%.6f\n", (unsigned long long)sent,
           elapsed, elapsed > 0 ? sent / elapsed : 0, (unsigned long long)errors, waited);
    return 0;
}

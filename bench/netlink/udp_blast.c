/*
 * Sender for the NfLua netlink benchmark: sends COUNT 64-byte UDP datagrams to 127.0.0.1:PORT as
 * fast as the kernel lets it. Queued packets stay charged to this socket's send buffer, so the
 * sender blocks while the consumer is behind instead of losing packets. Prints one SENDER line.
 * With SOURCE, sends from that local address (e.g. 127.0.0.12: --queue-balance hashes addresses; "-" for
 * any). With PAYLOADS, sends the datagrams of that file in turn instead (records: a 2-byte big-endian length,
 * then the bytes; e.g. DNS queries from bench/tools/make_payloads.py), unchanged.
 *
 * usage: udp_blast PORT COUNT [SOURCE [PAYLOADS]]
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
#include <sys/stat.h>
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

/* The datagrams of a PAYLOADS file, packed one after the other, with their lengths; their number. */
static size_t load_payloads(const char *path, unsigned char **bytes, size_t **lengths)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st) < 0) {
        perror("udp_blast: PAYLOADS");
        exit(1);
    }
    unsigned char *all = malloc((size_t)st.st_size + 1);
    *lengths = malloc(((size_t)st.st_size / 3 + 1) * sizeof **lengths);
    if (!all || !*lengths || fread(all, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
        perror("udp_blast: reading PAYLOADS");
        exit(1);
    }
    fclose(f);
    size_t count = 0, at = 0, packed = 0;
    while (at + 2 <= (size_t)st.st_size) {
        size_t length = (size_t)all[at] << 8 | all[at + 1];
        if (length == 0 || at + 2 + length > (size_t)st.st_size)
            break;
        memmove(all + packed, all + at + 2, length);
        (*lengths)[count++] = length;
        packed += length;
        at += 2 + length;
    }
    if (count == 0) {
        fprintf(stderr, "udp_blast: no datagrams in %s\n", path);
        exit(1);
    }
    *bytes = all;
    return count;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 5) {
        fprintf(stderr, "usage: %s PORT COUNT [SOURCE [PAYLOADS]]\n", argv[0]);
        return 2;
    }
    uint16_t port = (uint16_t)atoi(argv[1]);
    uint64_t count = strtoull(argv[2], NULL, 10);

    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        perror("udp_blast: socket");
        return 1;
    }
    if (argc > 3 && strcmp(argv[3], "-") != 0) {
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

    unsigned char *payloads = NULL;
    size_t *lengths = NULL, kinds = argc > 4 ? load_payloads(argv[4], &payloads, &lengths) : 0, kind = 0, at = 0;
    char payload[DATAGRAM];
    memset(payload, 'x', sizeof payload);
    struct timespec t0, t1;
    double wait0 = runqueue_wait_seconds();
    clock_gettime(CLOCK_MONOTONIC, &t0);
    uint64_t sent = 0, errors = 0;
    while (sent < count) {
        const void *bytes = payload;
        size_t length = sizeof payload;
        if (kinds) {
            bytes = payloads + at;
            length = lengths[kind];
        } else {
            memcpy(payload, &sent, sizeof sent);
        }
        /* Unconnected on purpose: a stray ICMP error must not fail later sends. */
        if (sendto(fd, bytes, length, 0, (struct sockaddr *)&to, sizeof to) < 0) {
            if (errno == EINTR)
                continue;
            if (++errors > 1000) {
                perror("udp_blast: sendto");
                return 1;
            }
            continue;
        }
        sent++;
        if (kinds) {
            at += lengths[kind];
            if (++kind == kinds)
                kind = at = 0;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double elapsed = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    double waited = runqueue_wait_seconds() - wait0;
    printf("SENDER sent=%llu seconds=%.6f pps=%.0f errors=%llu runq_wait_s=%.6f\n", (unsigned long long)sent,
           elapsed, elapsed > 0 ? sent / elapsed : 0, (unsigned long long)errors, waited);
    return 0;
}

/*
 * Real TCP connections for the NfLua benchmark suite's realistic workloads (issue 18), on 127.0.0.1.
 *   tcp_talk server PORT banner TEXT   accepts connections; writes TEXT and "\r\n" on each (an SSH server's
 *                                      identification string), then closes it
 *   tcp_talk server PORT reply         accepts connections; reads the client's request, answers "OK\r\n" and
 *                                      closes (a TLS or HTTP server that refuses everything: the bytes before
 *                                      the answer are what the rule under test reads)
 *   tcp_talk client PORT COUNT PARALLEL [REQUESTS]
 *                                      COUNT connections, PARALLEL at a time (one process each): connect, send
 *                                      the next request of the REQUESTS file (records: a 2-byte big-endian length,
 *                                      then the bytes) if given, read until the first line of the server's
 *                                      answer or its close, then close with a reset (SO_LINGER 0: no TIME_WAIT,
 *                                      so ports never run out). Prints "TCP connections=... seconds=... cps=...
 *                                      errors=...".
 * The server is one thread and epoll; it runs until killed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_in address(uint16_t port)
{
    struct sockaddr_in at = { .sin_family = AF_INET, .sin_port = htons(port) };
    at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return at;
}

static _Noreturn void fail(const char *what)
{
    perror(what);
    exit(1);
}

static _Noreturn void serve(uint16_t port, const char *banner)
{
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;
    struct sockaddr_in at = address(port);
    if (listener < 0 || setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0
        || bind(listener, (struct sockaddr *)&at, sizeof at) < 0 || listen(listener, 4096) < 0)
        fail("tcp_talk server: listen");
    int poll = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event event = { .events = EPOLLIN, .data.fd = listener };
    if (poll < 0 || epoll_ctl(poll, EPOLL_CTL_ADD, listener, &event) < 0)
        fail("tcp_talk server: epoll");
    char line[512];
    size_t line_length = banner ? (size_t)snprintf(line, sizeof line, "%s\r\n", banner) : 0;
    if (line_length >= sizeof line)
        line_length = sizeof line - 1;
    static char buffer[65536];
    struct epoll_event ready[64];
    for (;;) {
        int n = epoll_wait(poll, ready, 64, -1);
        for (int i = 0; i < n; i++) {
            int fd = ready[i].data.fd;
            if (fd == listener) {
                int connection;
                while ((connection = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
                    if (banner) {
                        if (write(connection, line, line_length) < 0) { /* the client is gone: nothing to do */ }
                        close(connection);
                        continue;
                    }
                    struct epoll_event wanted = { .events = EPOLLIN | EPOLLRDHUP, .data.fd = connection };
                    if (epoll_ctl(poll, EPOLL_CTL_ADD, connection, &wanted) < 0)
                        close(connection);
                }
                continue;
            }
            ssize_t got = read(fd, buffer, sizeof buffer);
            if (got < 0 && (errno == EAGAIN || errno == EINTR))
                continue;
            if (got > 0 && write(fd, "OK\r\n", 4) < 0) { /* the client is gone */ }
            close(fd);   /* also leaves the epoll set */
        }
    }
}

struct requests {
    const uint8_t **bytes;
    size_t *lengths, count;
};

static struct requests load(const char *path)
{
    struct requests r = { 0 };
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st) < 0)
        fail("tcp_talk client: requests");
    uint8_t *all = malloc((size_t)st.st_size + 1);
    if (!all || fread(all, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
        fail("tcp_talk client: reading the requests");
    fclose(f);
    size_t capacity = (size_t)st.st_size / 3 + 1;
    r.bytes = malloc(capacity * sizeof *r.bytes);
    r.lengths = malloc(capacity * sizeof *r.lengths);
    for (size_t at = 0; at + 2 <= (size_t)st.st_size && r.count < capacity;) {
        size_t length = (size_t)all[at] << 8 | all[at + 1];
        if (length == 0 || at + 2 + length > (size_t)st.st_size)
            break;
        r.bytes[r.count] = all + at + 2;
        r.lengths[r.count++] = length;
        at += 2 + length;
    }
    if (r.count == 0) {
        fprintf(stderr, "tcp_talk client: no requests in %s\n", path);
        exit(1);
    }
    return r;
}

/* One connection; 0 when it went as planned. */
static int talk(uint16_t port, const uint8_t *request, size_t length)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    struct timeval patience = { .tv_sec = 5 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof patience);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &patience, sizeof patience);
    struct sockaddr_in at = address(port);
    int status = -1;
    if (connect(fd, (struct sockaddr *)&at, sizeof at) == 0 && (!request || write(fd, request, length) == (ssize_t)length)) {
        char answer[512];
        size_t have = 0;
        for (;;) {
            ssize_t got = read(fd, answer + have, sizeof answer - have);
            if (got <= 0)
                break;
            have += (size_t)got;
            if (memchr(answer, '\n', have) || have == sizeof answer)
                break;
        }
        status = have > 0 && memchr(answer, '\n', have) ? 0 : -1;
    }
    struct linger now = { .l_onoff = 1, .l_linger = 0 };
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &now, sizeof now);
    close(fd);
    return status;
}

static int clients(uint16_t port, long count, int parallel, const char *path)
{
    struct requests r = { 0 };
    if (path)
        r = load(path);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int p = 0; p < parallel; p++) {
        pid_t child = fork();
        if (child < 0)
            fail("tcp_talk client: fork");
        if (child == 0) {
            long mine = count / parallel + (p < count % parallel), errors = 0;
            for (long i = 0; i < mine; i++) {
                size_t k = r.count ? (size_t)(i * parallel + p) % r.count : 0;
                if (talk(port, r.count ? r.bytes[k] : NULL, r.count ? r.lengths[k] : 0) != 0)
                    errors++;
            }
            _exit(errors > 255 ? 255 : (int)errors);
        }
    }
    long errors = 0;
    int status;
    while (wait(&status) > 0)
        errors += WIFEXITED(status) ? WEXITSTATUS(status) : 1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("TCP connections=%ld seconds=%.6f cps=%.0f errors=%ld\n", count, seconds, seconds > 0 ? count / seconds : 0, errors);
    return errors > count / 100 ? 1 : 0;   /* a few failures (a reset under load) are reported, not fatal */
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "server") == 0) {
        uint16_t port = (uint16_t)atoi(argv[2]);
        if (strcmp(argv[3], "banner") == 0 && argc == 5)
            serve(port, argv[4]);
        if (strcmp(argv[3], "reply") == 0 && argc == 4)
            serve(port, NULL);
    } else if ((argc == 5 || argc == 6) && strcmp(argv[1], "client") == 0) {
        long count = atol(argv[3]);
        int parallel = atoi(argv[4]);
        if (count >= 1 && parallel >= 1 && parallel <= 256)
            return clients((uint16_t)atoi(argv[2]), count, parallel, argc == 6 ? argv[5] : NULL);
    }
    fprintf(stderr, "usage: tcp_talk server PORT banner TEXT | tcp_talk server PORT reply\n"
                    "       tcp_talk client PORT COUNT PARALLEL [REQUESTS]\n");
    return 2;
}

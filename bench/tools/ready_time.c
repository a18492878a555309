/*
 * Time from a program's start to its systemd READY=1, for the NfLua benchmark suite.
 *   ready_time SOCKET SECONDS PROGRAM [ARGS...]
 * Binds a datagram socket at SOCKET, starts PROGRAM with NOTIFY_SOCKET=SOCKET, waits up to SECONDS for a
 * notification containing READY=1, prints "READY seconds=..." (from just before exec), then stops the
 * program with SIGTERM and waits for it. Exits 1 when READY=1 never came.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s SOCKET SECONDS PROGRAM [ARGS...]\n", argv[0]);
        return 2;
    }
    struct sockaddr_un at = { .sun_family = AF_UNIX };
    if (strlen(argv[1]) >= sizeof at.sun_path) {
        fprintf(stderr, "ready_time: SOCKET path too long\n");
        return 2;
    }
    strcpy(at.sun_path, argv[1]);
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&at, sizeof at) < 0) {
        perror("ready_time: socket");
        return 1;
    }
    double limit = atof(argv[2]);
    setenv("NOTIFY_SOCKET", argv[1], 1);
    double started = now_seconds();
    pid_t child = fork();
    if (child == 0) {
        execvp(argv[3], argv + 3);
        perror("ready_time: exec");
        _exit(127);
    }
    int ready = 0;
    char message[4096];
    while (!ready && now_seconds() - started < limit) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        if (poll(&p, 1, 100) <= 0)
            continue;
        ssize_t got = recv(fd, message, sizeof message - 1, 0);
        if (got <= 0)
            continue;
        message[got] = '\0';
        ready = strstr(message, "READY=1") != NULL;
    }
    double elapsed = now_seconds() - started;
    if (ready)
        printf("READY seconds=%.6f\n", elapsed);
    else
        fprintf(stderr, "ready_time: no READY=1 within %s s\n", argv[2]);
    kill(child, SIGTERM);
    waitpid(child, NULL, 0);
    unlink(argv[1]);
    return ready ? 0 : 1;
}

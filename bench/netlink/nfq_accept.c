/*
 * Reference consumer for the NfLua netlink benchmark: binds one nfnetlink_queue over a raw
 * AF_NETLINK socket, reads packets with recvmmsg and answers every received batch with one
 * NFQNL_MSG_VERDICT_BATCH (ACCEPT up to the highest id seen). Exits after N packets, after
 * T seconds, or after 2 idle seconds once packets have started; prints one RESULT line.
 * PACKETS 0 serves until killed or T seconds (no idle exit): bench/run measures it from /proc.
 *
 * usage: nfq_accept QUEUE PACKETS SECONDS [BATCH [poll]]
 *   poll: wait with poll(2) and then recvmmsg(MSG_DONTWAIT), two syscalls per batch as NfQueueSocket.Receive
 *         does, instead of one blocking recvmmsg(MSG_WAITFORONE); shows what that extra syscall costs.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define COPY_RANGE 0xffff
#define SLOT_SIZE (COPY_RANGE + 4096)
#define MAX_BATCH 1024
#define QUEUE_MAXLEN 1024

static int fail(const char *what)
{
    fprintf(stderr, "nfq_accept: %s: %s\n", what, strerror(errno));
    return 1;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_seconds(double *user, double *sys)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    *user = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
    *sys = ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    return *user + *sys;
}

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

/* Appends one attribute at buf+*len (host-order header, payload padded to 4). */
static void put_attr(char *buf, size_t *len, uint16_t type, const void *data, uint16_t size)
{
    struct nlattr *attr = (struct nlattr *)(buf + *len);
    attr->nla_len = NLA_HDRLEN + size;
    attr->nla_type = type;
    memcpy(buf + *len + NLA_HDRLEN, data, size);
    memset(buf + *len + NLA_HDRLEN + size, 0, NLA_ALIGN(size) - size);
    *len += NLA_ALIGN(NLA_HDRLEN + size);
}

/* Starts a queue message (nlmsghdr + nfgenmsg) in buf; returns its length so far. */
static size_t begin_msg(char *buf, uint16_t msg, uint16_t flags, uint32_t seq, uint16_t queue)
{
    struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
    memset(buf, 0, NLMSG_HDRLEN + sizeof(struct nfgenmsg));
    nlh->nlmsg_type = (NFNL_SUBSYS_QUEUE << 8) | msg;
    nlh->nlmsg_flags = NLM_F_REQUEST | flags;
    nlh->nlmsg_seq = seq;
    struct nfgenmsg *nfg = (struct nfgenmsg *)(buf + NLMSG_HDRLEN);
    nfg->nfgen_family = AF_UNSPEC;
    nfg->version = NFNETLINK_V0;
    nfg->res_id = htons(queue);
    return NLMSG_HDRLEN + sizeof(struct nfgenmsg);
}

/* Sends one acknowledged request and waits for its NLMSG_ERROR reply; returns the kernel's errno. */
static int request(int fd, char *buf, size_t len)
{
    ((struct nlmsghdr *)buf)->nlmsg_len = len;
    uint32_t seq = ((struct nlmsghdr *)buf)->nlmsg_seq;
    if (send(fd, buf, len, 0) < 0)
        return errno;
    char reply[8192];
    for (;;) {
        ssize_t got = recv(fd, reply, sizeof reply, 0);
        if (got < 0)
            return errno;
        for (struct nlmsghdr *nlh = (struct nlmsghdr *)reply; NLMSG_OK(nlh, got); nlh = NLMSG_NEXT(nlh, got)) {
            if (nlh->nlmsg_type == NLMSG_ERROR && nlh->nlmsg_seq == seq
                && nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(struct nlmsgerr)))
                return -((struct nlmsgerr *)NLMSG_DATA(nlh))->error;
        }
    }
}

/* Returns the highest packet id in one datagram and adds its packets to *count. */
static uint32_t scan_datagram(const char *data, ssize_t len, uint64_t *count)
{
    uint32_t highest = 0;
    for (const struct nlmsghdr *nlh = (const struct nlmsghdr *)data; NLMSG_OK(nlh, len); nlh = NLMSG_NEXT(nlh, len)) {
        if (nlh->nlmsg_type != ((NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET))
            continue;
        if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(struct nfgenmsg)))
            continue;
        const char *attrs = (const char *)NLMSG_DATA(nlh) + NLMSG_ALIGN(sizeof(struct nfgenmsg));
        int remaining = nlh->nlmsg_len - NLMSG_LENGTH(NLMSG_ALIGN(sizeof(struct nfgenmsg)));
        while (remaining >= NLA_HDRLEN) {
            const struct nlattr *attr = (const struct nlattr *)attrs;
            if (attr->nla_len < NLA_HDRLEN || attr->nla_len > remaining)
                break;
            if ((attr->nla_type & NLA_TYPE_MASK) == NFQA_PACKET_HDR
                && attr->nla_len >= NLA_HDRLEN + sizeof(struct nfqnl_msg_packet_hdr)) {
                const struct nfqnl_msg_packet_hdr *ph = (const void *)(attrs + NLA_HDRLEN);
                uint32_t id = ntohl(ph->packet_id);
                if (id > highest)
                    highest = id;
                (*count)++;
                break;
            }
            remaining -= NLA_ALIGN(attr->nla_len);
            attrs += NLA_ALIGN(attr->nla_len);
        }
    }
    return highest;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s QUEUE PACKETS SECONDS [BATCH [poll]]\n", argv[0]);
        return 2;
    }
    uint16_t queue = (uint16_t)atoi(argv[1]);
    uint64_t target = strtoull(argv[2], NULL, 10);
    double limit = atof(argv[3]);
    int batch = argc > 4 ? atoi(argv[4]) : 64;
    int use_poll = argc > 5 && strcmp(argv[5], "poll") == 0;
    if (batch < 1 || batch > MAX_BATCH) {
        fprintf(stderr, "nfq_accept: BATCH must be 1..%d\n", MAX_BATCH);
        return 2;
    }

    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
    if (fd < 0)
        return fail("socket");
    struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0)
        return fail("bind");
    int rcvbuf = QUEUE_MAXLEN * 2304;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    int one = 1;
    setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof one);
    struct timeval tick = { .tv_sec = 0, .tv_usec = 200000 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof tick);

    char msg[256];
    uint32_t seq = 1;
    size_t len = begin_msg(msg, NFQNL_MSG_CONFIG, NLM_F_ACK, seq++, queue);
    struct nfqnl_msg_config_cmd cmd = { .command = NFQNL_CFG_CMD_BIND, .pf = htons(AF_INET) };
    put_attr(msg, &len, NFQA_CFG_CMD, &cmd, sizeof cmd);
    int err = request(fd, msg, len);
    if (err != 0) {
        errno = err;
        return fail("bind queue");
    }
    len = begin_msg(msg, NFQNL_MSG_CONFIG, NLM_F_ACK, seq++, queue);
    struct nfqnl_msg_config_params params = { .copy_range = htonl(COPY_RANGE), .copy_mode = NFQNL_COPY_PACKET };
    put_attr(msg, &len, NFQA_CFG_PARAMS, &params, sizeof params);
    uint32_t maxlen = htonl(QUEUE_MAXLEN);
    put_attr(msg, &len, NFQA_CFG_QUEUE_MAXLEN, &maxlen, sizeof maxlen);
    err = request(fd, msg, len);
    if (err != 0) {
        errno = err;
        return fail("configure queue");
    }
    fprintf(stderr, "nfq_accept: queue %u bound\n", queue);

    char *slots = malloc((size_t)batch * SLOT_SIZE);
    struct mmsghdr *headers = calloc(batch, sizeof *headers);
    struct iovec *vectors = calloc(batch, sizeof *vectors);
    if (!slots || !headers || !vectors)
        return fail("malloc");
    for (int i = 0; i < batch; i++) {
        vectors[i].iov_base = slots + (size_t)i * SLOT_SIZE;
        vectors[i].iov_len = SLOT_SIZE;
        headers[i].msg_hdr.msg_iov = &vectors[i];
        headers[i].msg_hdr.msg_iovlen = 1;
    }

    uint64_t packets = 0, receives = 0, datagrams = 0, enobufs = 0, send_errors = 0;
    double start = 0, last = 0, user0 = 0, sys0 = 0, wait0 = 0, begin = now_seconds();
    char verdict[64];
    while (target == 0 || packets < target) {
        double t = now_seconds();
        if (t - begin > limit || (target != 0 && packets > 0 && t - last > 2.0))
            break;
        int got;
        if (use_poll) {
            struct pollfd pfd = { .fd = fd, .events = POLLIN };
            got = poll(&pfd, 1, 200);
            if (got > 0)
                got = recvmmsg(fd, headers, batch, MSG_DONTWAIT, NULL);
            else if (got == 0)
                continue;
        } else {
            got = recvmmsg(fd, headers, batch, MSG_WAITFORONE, NULL);
        }
        if (got < 0) {
            if (errno == ENOBUFS)
                enobufs++;
            else if (errno != EAGAIN && errno != EINTR)
                return fail("recvmmsg");
            continue;
        }
        uint64_t before = packets;
        uint32_t highest = 0;
        for (int i = 0; i < got; i++) {
            uint32_t id = scan_datagram(vectors[i].iov_base, headers[i].msg_len, &packets);
            if (id > highest)
                highest = id;
        }
        if (before == 0 && packets > 0) {
            start = now_seconds();
            cpu_seconds(&user0, &sys0);
            wait0 = runqueue_wait_seconds();
        }
        receives++;
        datagrams += got;
        if (highest != 0) {
            len = begin_msg(verdict, NFQNL_MSG_VERDICT_BATCH, 0, seq++, queue);
            struct nfqnl_msg_verdict_hdr vh = { .verdict = htonl(NF_ACCEPT), .id = htonl(highest) };
            put_attr(verdict, &len, NFQA_VERDICT_HDR, &vh, sizeof vh);
            ((struct nlmsghdr *)verdict)->nlmsg_len = len;
            if (send(fd, verdict, len, 0) < 0)
                send_errors++;
            last = now_seconds();
        }
    }

    double user1, sys1;
    cpu_seconds(&user1, &sys1);
    double waited = runqueue_wait_seconds() - wait0;
    double elapsed = last > start ? last - start : 0;
    double cpu = (user1 - user0) + (sys1 - sys0);
    printf("RESULT impl=%s packets=%llu seconds=%.6f pps=%.0f cpu_user=%.6f cpu_sys=%.6f cpu_s_per_mpkt=%.3f "
           "receives=%llu avg_batch=%.2f enobufs=%llu send_errors=%llu runq_wait_s=%.6f\n",
           use_poll ? "c-poll" : "c", (unsigned long long)packets, elapsed, elapsed > 0 ? packets / elapsed : 0, user1 - user0, sys1 - sys0,
           packets > 0 ? cpu / packets * 1e6 : 0, (unsigned long long)receives,
           receives > 0 ? (double)datagrams / receives : 0, (unsigned long long)enobufs,
           (unsigned long long)send_errors, waited);
    fflush(stdout);

    len = begin_msg(msg, NFQNL_MSG_CONFIG, 0, seq++, queue);
    cmd.command = NFQNL_CFG_CMD_UNBIND;
    put_attr(msg, &len, NFQA_CFG_CMD, &cmd, sizeof cmd);
    ((struct nlmsghdr *)msg)->nlmsg_len = len;
    send(fd, msg, len, 0);
    close(fd);
    return packets > 0 ? 0 : 1;
}

#!/usr/bin/python3
"""Writes the realistic workloads' payloads for bench/run (issue 18, target 1): DNS queries, TLS ClientHellos and
HTTP requests, each file a sequence of records (a 2-byte big-endian length, then the bytes) that udp_blast and
tcp_talk send in turn. Deterministic (fixed seed), so every run sends the same bytes.

  dns.bin    standard queries with one question and an EDNS(0) OPT record, as stub resolvers send them: names of
             2-5 labels in mixed case (DNS 0x20); 1 in 8 lies under a domain dns-qname-blocklist.lua blocks
  tls.bin    TLS 1.3 ClientHellos shaped like a browser's (session id, 16 cipher suites, 15 extensions: SNI, groups,
             ALPN, signature algorithms, an x25519 key share, supported versions, padding to a 512-byte hello);
             no name is blocked (a dropped ClientHello stalls its connection on retransmissions)
  http.bin   HTTP/1.1 GET requests with a Host header and a browser's usual headers; no host is blocked
  workloads.pcap  all of them once, as the packets the workloads queue (IPv4; UDP to port 53, TCP to 443 and 80):
             `nflua-ctl test RULE DIR/workloads.pcap` shows nfluad's verdicts on exactly these bytes

usage: make_payloads.py DIR
"""
import os
import random
import struct
import sys

rng = random.Random(18)

PASSING = ["www.example.com", "mail.example.org", "cdn.static.example.net", "api.service.example.com",
           "images.news.example", "login.accounts.example.org", "updates.vendor.example", "www.wikipedia.example",
           "a.b.c.example.com", "video.stream.example.net", "docs.example.dev", "shop.example.co"]
BLOCKED = ["ads.example", "pixel.ads.example", "x.tracker.example.net", "blocked.example"]


def record(payload):
    return struct.pack("!H", len(payload)) + payload


def mixed_case(name):
    return "".join(c.upper() if c.isalpha() and rng.random() < 0.5 else c for c in name)


def dns_query(name, qtype):
    header = struct.pack("!HHHHHH", rng.randrange(65536), 0x0100, 1, 0, 0, 1)   # RD; one question, one OPT
    qname = b"".join(bytes([len(label)]) + label.encode() for label in name.split(".")) + b"\0"
    opt = b"\0" + struct.pack("!HHIH", 41, 1232, 0, 0)                             # EDNS(0), 1232-byte UDP
    return header + qname + struct.pack("!HH", qtype, 1) + opt


def extension(kind, body):
    return struct.pack("!HH", kind, len(body)) + body


def vector(size, body):
    return (struct.pack("!B", len(body)) if size == 1 else struct.pack("!H", len(body))) + body


def client_hello(name):
    suites = [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c,
              0x009d, 0x002f, 0x0035, 0x00ff]
    host = name.encode()
    extensions = [
        extension(0, vector(2, b"\0" + vector(2, host))),                                   # server_name
        extension(23, b""),                                                                 # extended_master_secret
        extension(0xff01, b"\0"),                                                           # renegotiation_info
        extension(10, vector(2, struct.pack("!4H", 0x001d, 0x0017, 0x0018, 0x0019))),       # supported_groups
        extension(11, vector(1, b"\0")),                                                    # ec_point_formats
        extension(35, b""),                                                                 # session_ticket
        extension(16, vector(2, vector(1, b"h2") + vector(1, b"http/1.1"))),                # ALPN
        extension(5, b"\x01\0\0\0\0"),                                                      # status_request
        extension(13, vector(2, struct.pack("!8H", 0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601))),
        extension(18, b""),                                                                 # signed_certificate_timestamp
        extension(51, vector(2, struct.pack("!HH", 0x001d, 32) + rng.randbytes(32))),       # key_share: x25519
        extension(45, vector(1, b"\x01")),                                                  # psk_key_exchange_modes
        extension(43, vector(1, b"\x03\x04\x03\x03")),                                      # supported_versions
        extension(27, vector(1, b"\0\x02")),                                                # compress_certificate
    ]
    body = (b"\x03\x03" + rng.randbytes(32) + vector(1, rng.randbytes(32))
            + vector(2, b"".join(struct.pack("!H", s) for s in suites)) + vector(1, b"\0"))
    used = len(body) + 2 + sum(len(e) for e in extensions) + 4
    extensions.append(extension(21, bytes(max(0, 508 - used - 4))))                          # padding: a 512-byte hello
    body += vector(2, b"".join(extensions))
    handshake = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x01" + struct.pack("!H", len(handshake)) + handshake


def http_request(host, path):
    return (f"GET {path} HTTP/1.1\r\nHost: {host}\r\n"
            "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
            "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            "Accept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, deflate\r\n"
            "Connection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\n\r\n").encode()


def ipv4(protocol, transport):
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(transport), 0, 0x4000, 64, protocol, 0,
                         bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1]))
    words = sum(struct.unpack("!10H", header))
    while words > 0xffff:
        words = (words >> 16) + (words & 0xffff)
    return header[:10] + struct.pack("!H", ~words & 0xffff) + header[12:] + transport


def pcap(path, files):
    """The payloads as packets, in an Ethernet pcap (transport checksums left zero: nothing checks them)."""
    packets = [ipv4(17, struct.pack("!HHHH", 5353, 53, 8 + len(p), 0) + p) for p in files["dns.bin"]]
    for port, file in ((443, "tls.bin"), (80, "http.bin")):
        packets += [ipv4(6, struct.pack("!HHIIBBHHH", 40000, port, 1, 1, 0x50, 0x18, 65535, 0, 0) + p) for p in files[file]]
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, packet in enumerate(packets):
            frame = bytes(12) + b"\x08\x00" + packet
            f.write(struct.pack("<IIII", 1700000000 + i, 0, len(frame), len(frame)) + frame)


def main(directory):
    os.makedirs(directory, exist_ok=True)
    queries = []
    for i in range(64):
        name = BLOCKED[i // 8 % len(BLOCKED)] if i % 8 == 7 else PASSING[i % len(PASSING)]
        queries.append(dns_query(mixed_case(name), 28 if i % 2 else 1))                     # AAAA and A
    paths = ["/", "/index.html", "/static/app.3f2a1c.js", "/api/v1/items?page=2&sort=name", "/images/logo.png"]
    files = {"dns.bin": queries,
             "tls.bin": [client_hello(name) for name in PASSING],
             "http.bin": [http_request(name, paths[i % len(paths)]) for i, name in enumerate(PASSING)]}
    for file, payloads in files.items():
        with open(os.path.join(directory, file), "wb") as f:
            f.write(b"".join(record(p) for p in payloads))
    pcap(os.path.join(directory, "workloads.pcap"), files)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_payloads.py DIR")
    main(sys.argv[1])

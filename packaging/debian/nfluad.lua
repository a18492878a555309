-- /etc/nflua/nfluad.lua: nfluad's configuration (a conffile of the nflua package).
--
-- This default binds no queue: nfluad starts, opens its control socket and waits for rules loaded
-- with `nflua-ctl load NAME SCRIPT --queue N` (those are kept in /var/lib/nflua/rules.json and loaded
-- again at every start). Uncomment and edit a queue below to have rules loaded from here. Check the
-- file with `nfluad --check-config` (or `nfluad --config FILE --check-config`), then apply it with
-- `systemctl reload nfluad` (SIGHUP: all rules compile first; on any error nothing changes).
-- A reload binds the queues added here; changed settings of a bound queue wait for a restart.
--
-- The file is Lua, run in a sandbox that knows only control, logging, defaults, watchdog, queue and rule.
-- Numbers are integers. Paths of rule scripts are relative to this file's directory (/etc/nflua).
-- See nfluad(8) and /usr/share/doc/nflua/README.md.

-- The control socket used by nflua-ctl. It is created with mode 0660: root and the members of
-- `group` may use it. Under systemd nfluad runs as the user nflua, so the group must be nflua
-- (add an operator with `adduser alice nflua`). The socket's directory /run/nflua is created by
-- the unit (RuntimeDirectory=nflua).
control { socket = "/run/nflua/nflua.sock", group = "nflua" }

-- Log level: trace, debug, information, warning, error or critical. Logs go to the journal
-- (`journalctl -u nfluad`).
logging { level = "information" }

-- Limits every rule gets unless its rule { } says otherwise.
--   max_instructions  Lua instructions per filter() call (long C loops count too)   default 1000000
--   max_memory        bytes of memory of the rule's Lua state                        default 8388608 (8 MiB)
--   max_call_time_ms  wall-clock time per filter() call                              default 20
--   max_flows         flows kept by nflua.flow() per rule (idle 2 minutes: forgotten)  default 4096
--   on_error          verdict of a packet the rule fails on: "accept" or "drop"       default "accept"
defaults { max_instructions = 1000000, max_memory = 8388608, max_call_time_ms = 20,
           max_flows = 4096, on_error = "accept" }

-- Queues: each binds a netfilter queue that iptables rules feed with `-j NFQUEUE --queue-num N`
-- (see /usr/share/nflua/iptables/ and its helper nflua-iptables). Settings:
--   queue { N }, or queue { first = A, last = B }   the queue number, or a range (iptables --queue-balance A:B)
--   maxlen      packets the kernel may hold for the queue                            default 1024
--   copy_range  bytes of each packet copied to nfluad (the kernel caps it at 65531)    default 65535
--   fail_open   true: the kernel accepts packets when the queue or nfluad's receive buffer is full,
--               and packets caught in an internal fault are accepted; false: dropped   default false
--               (iptables --queue-bypass decides, separately, what happens while nfluad is not running)
--   rcvbuf      bytes of the netlink socket's receive buffer                         default maxlen x 2304
--   cpu         keep the queue's worker thread on this CPU; for a range, a list      default: anywhere
--               ({ 0, 1, 2, 3 }: the first queue on the first CPU, and so on, round robin)
-- A queue's rules run in order; each is rule { NAME, script = PATH, <any limit above> }. A rule in a
-- range of queues is one rule on all of them; a name is defined once in the file.
--
-- queue { 0, maxlen = 4096, fail_open = false,
--   rule { "ssh-banner", script = "/usr/share/nflua/examples/ssh-banner.lua", on_error = "drop" },
--   rule { "rtp-h263", script = "/usr/share/nflua/examples/rtp-h263.lua", max_instructions = 50000 },
-- }
-- queue { first = 2, last = 3, fail_open = true,
--   rule { "sni", script = "/usr/share/nflua/examples/tls-sni-blocklist.lua" },
-- }

-- The last line of defence: a queue's worker held by one packet longer than stuck_after_ms is
-- reported (log, and STUCK in `nflua-ctl status`); under systemd's watchdog (WatchdogSec= in the
-- unit) nfluad then stops its keep-alives, and systemd restarts it.
--   stuck_after_ms   default: 10 x the time limit of the rule the worker is in, at least 1000
-- watchdog { stuck_after_ms = 2000 }

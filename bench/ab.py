#!/usr/bin/python3
"""ab.py N 'command A' 'command B' [...]: paired, interleaved timing of whole commands.

Why: on the virtual machines we measure on, a command's speed drifts by ~10 ms within minutes,
so timing A for a while and then B (hyperfine's way) can show a drift as a difference. Here each
of N rounds runs every command once, in an order that alternates from round to round, and the
difference to command A is taken per round before its median is. Commands are split like a
shell would (shlex), started with posix_spawn (no shell, no fork of this Python process) with
stdout to /dev/null; wall time from this process's clock, CPU time and minor page faults from
wait4's rusage. Prints per command: median wall (with quartiles), user, sys, CPU, faults, and for
B, C...: the median of the paired wall and CPU differences to A."""
import os
import shlex
import statistics as st
import sys
import time

n = int(sys.argv[1])
cmds = [shlex.split(c) for c in sys.argv[2:]]
res = [[] for _ in cmds]
for r in range(n):
    order = list(range(len(cmds)))
    if r % 2:
        order.reverse()
    for i in order:
        c = cmds[i]
        t0 = time.perf_counter()
        pid = os.posix_spawnp(c[0], c, os.environ,
                              file_actions=[(os.POSIX_SPAWN_OPEN, 1, '/dev/null', os.O_WRONLY, 0)])
        _, status, ru = os.wait4(pid, 0)
        t1 = time.perf_counter()
        if status != 0:
            print('FAILED', shlex.join(c), status)
        res[i].append(((t1 - t0) * 1e3, ru.ru_utime * 1e3, ru.ru_stime * 1e3, ru.ru_minflt))
for i, c in enumerate(cmds):
    w = [x[0] for x in res[i]]
    paired = ''
    if i:
        paired = ' paired dwall %+.2f dcpu %+.2f' % (
            st.median(a[0] - b[0] for a, b in zip(res[i], res[0])),
            st.median(a[1] + a[2] - b[1] - b[2] for a, b in zip(res[i], res[0])))
    q = st.quantiles(w) if len(w) > 1 else [w[0]] * 3
    print('%-2d wall %.2f (q1 %.2f q3 %.2f) user %.2f sys %.2f cpu %.2f faults %d%s' % (
        i, st.median(w), q[0], q[2], st.median(x[1] for x in res[i]),
        st.median(x[2] for x in res[i]), st.median(x[1] + x[2] for x in res[i]),
        st.median(x[3] for x in res[i]), paired))

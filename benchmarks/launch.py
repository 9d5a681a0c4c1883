"""Run a command and write its resource usage as JSON: ``python -m benchmarks.launch OUT CMD…``.

Why a launcher: on Linux a child's ``ru_maxrss`` starts from the resident size of the process
that forked it (the kernel carries the old memory's high-water mark across ``exec``), so a
crawl forked by the benchmark, which holds hundreds of megabytes of saved pages, would report
at least that much. Forked from this small process instead, the crawl's peak is its own, to
within this launcher's few megabytes.

The crawl may start worker processes (``ATLANTICO_READ_WORKERS``): ``ru_maxrss`` is then the
largest one process reached, not what they held together. So the launcher also samples, every
:data:`INTERVAL` seconds, the resident memory of the whole process tree (the crawl and every
descendant, from ``/proc``) and reports its peak sum, ``tree_peak_mb``. CPU time from
``wait4`` covers the workers already: a process's children, once waited for, count in it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

INTERVAL = 0.05


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(name))  # fields[1]: the parent's pid
    return tree


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(root: int) -> int:
    """The resident memory of ``root`` and all its descendants, in kilobytes."""
    tree = _children()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _rss_kb(pid)
        todo.extend(tree.get(pid, ()))
    return total


def main() -> int:
    out, command = sys.argv[1], sys.argv[2:]
    started = time.time()
    process = subprocess.Popen(command)
    peak = {"kb": 0, "processes": 1}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(INTERVAL):
            peak["kb"] = max(peak["kb"], tree_rss_kb(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _pid, status, usage = os.wait4(process.pid, 0)
    ended = time.time()
    done.set()
    sampler.join()
    code = os.waitstatus_to_exitcode(status)
    maxrss_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    with open(out, "w", encoding="utf-8") as target:
        json.dump(
            {
                "returncode": code,
                "started": started,
                "wall_s": ended - started,
                "cpu_s": usage.ru_utime + usage.ru_stime,
                "maxrss_mb": maxrss_mb,
                # Sampled, so it may miss a short peak: never below the largest process's own.
                "tree_peak_mb": max(peak["kb"] / 1024, maxrss_mb),
            },
            target,
        )
    return code


if __name__ == "__main__":
    sys.exit(main())

"""Run a command and write its resource usage as JSON: ``python -m benchmarks.launch OUT CMD…``.

Why a launcher: on Linux a child's ``ru_maxrss`` starts from the resident size of the process
that forked it (the kernel carries the old memory's high-water mark across ``exec``), so a
crawl forked by the benchmark, which holds hundreds of megabytes of saved pages, would report
at least that much. Forked from this small process instead, the crawl's peak is its own, to
within this launcher's few megabytes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def main() -> int:
    out, command = sys.argv[1], sys.argv[2:]
    started = time.time()
    process = subprocess.Popen(command)
    _pid, status, usage = os.wait4(process.pid, 0)
    ended = time.time()
    code = os.waitstatus_to_exitcode(status)
    with open(out, "w", encoding="utf-8") as target:
        json.dump(
            {
                "returncode": code,
                "started": started,
                "wall_s": ended - started,
                "cpu_s": usage.ru_utime + usage.ru_stime,
                "maxrss_mb": usage.ru_maxrss / 1024,  # kilobytes on Linux
            },
            target,
        )
    return code


if __name__ == "__main__":
    sys.exit(main())

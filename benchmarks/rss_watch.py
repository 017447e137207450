#!/usr/bin/env python3
"""Runs a command, samples its VmRSS every 0.2 s, echoes its output; after each line that starts with a digit
(an epoch row) prints the peak RSS since the previous row. Usage: rsswatch.py CMD..."""
import subprocess, sys, threading, time
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
peak = [0.0]; allpeak = [0.0]; lock = threading.Lock()
def sample():
    while p.poll() is None:
        try:
            for line in open(f"/proc/{p.pid}/status"):
                if line.startswith("VmRSS:"):
                    v = int(line.split()[1]) / 1024.0
                    with lock:
                        peak[0] = max(peak[0], v); allpeak[0] = max(allpeak[0], v)
        except OSError:
            pass
        time.sleep(0.2)
threading.Thread(target=sample, daemon=True).start()
for line in p.stdout:
    sys.stdout.write(line)
    if line[:1].isdigit():
        with lock:
            print(f"# watch peak_rss_mb_this_epoch={peak[0]:.0f}"); peak[0] = 0.0
    sys.stdout.flush()
p.wait()
print(f"# watch peak_rss_mb_all={allpeak[0]:.0f}")

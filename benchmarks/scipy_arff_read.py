#!/usr/bin/env python3
"""Times scipy.io.arff.loadarff on an ARFF file, the reference for Chronoscope's `read` benchmark.

Usage: /usr/bin/python3 benchmarks/scipy_arff_read.py FILE [--repeat N]
Needs SciPy (Debian/Ubuntu: apt-get install -y python3-scipy).
"""
import argparse
import os
import resource
import time

from scipy.io import arff


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()

    megabytes = os.path.getsize(args.file) / (1 << 20)
    rss_before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    seconds = []
    series = 0
    for _ in range(args.repeat):
        start = time.perf_counter()
        data, _meta = arff.loadarff(args.file)
        seconds.append(time.perf_counter() - start)
        series = len(data)
        del data
    best = min(seconds)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"scipy {__import__('scipy').__version__} loadarff: {args.file} ({megabytes:.1f} MB, {series:,} series)")
    print(f"  best of {args.repeat}: {best:.2f} s = {megabytes / best:.1f} MB/s = {series / best:,.0f} series/s")
    print(f"  peak resident memory: {peak_kb / 1024:.0f} MB (before reading: {rss_before_kb / 1024:.0f} MB)")


if __name__ == "__main__":
    main()

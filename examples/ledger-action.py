#!/usr/bin/env python3
"""A stand-in remediation program for the command driver (`--executor command`).

Appends one JSON line per call to a ledger file and fsyncs it before exiting 0, so a test can
check afterwards exactly what was applied and undone, in which order, even across kill -9.

usage: ledger-action.py LEDGER [--fail ACTION]... [--sleep SECONDS] -- ARG...

The step's identity comes from the environment the executor sets: TENDER_INCIDENT,
TENDER_EXECUTION, TENDER_STEP (1-based), TENDER_ACTION, TENDER_PHASE (apply or undo). The ARGs
are recorded exactly as received: one argv element each, never interpreted by a shell.
"""
import json
import os
import sys
import time


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 64
    ledger, rest = argv[1], argv[2:]
    fail, sleep = set(), 0.0
    while rest and rest[0] != "--":
        option = rest.pop(0)
        if option == "--fail" and rest:
            fail.add(rest.pop(0))
        elif option == "--sleep" and rest:
            sleep = float(rest.pop(0))
        else:
            print(f"unknown option {option!r}", file=sys.stderr)
            return 64
    args = rest[1:] if rest else []
    action = os.environ.get("TENDER_ACTION", "")
    if sleep:
        time.sleep(sleep)
    if action in fail:
        print(f"{action}: refusing as told (--fail)", file=sys.stderr)
        return 3
    record = {
        "incident": os.environ.get("TENDER_INCIDENT", ""),
        "execution": os.environ.get("TENDER_EXECUTION", ""),
        "step": int(os.environ.get("TENDER_STEP", "0")),
        "phase": os.environ.get("TENDER_PHASE", ""),
        "action": action,
        "args": args,
    }
    fd = os.open(ledger, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (json.dumps(record, sort_keys=True) + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    print(f"{record['phase']} {action} {' '.join(args)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

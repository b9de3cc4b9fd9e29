"""Entry point of a query worker process: `python -m kg.server.worker_entry FD STORE SANDBOX`.

Kept apart from kg.server.workers so that running it does not import that module twice.
"""
import sys

from kg.server.workers import worker_main

if __name__ == "__main__":
    worker_main(int(sys.argv[1]), sys.argv[2], sys.argv[3] == "1")

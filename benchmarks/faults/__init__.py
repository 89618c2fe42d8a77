"""The fault-injection suite: a registration rush with mails, cancellations and promotions, while processes are
killed and restarted, the broker and the database are restarted and poison records are interleaved; then checks
from the outside that every effect happened exactly once, and prints the figures.

Run: `.venv/bin/python -m benchmarks.faults` (the full run) or with `--rounds 2 --poison 300` (short).
`tests/e2e/test_faults.py` runs a short version on the test servers.
"""

"""Tests of whole-site builds: incremental writes, withdrawals, workers, the CLI."""

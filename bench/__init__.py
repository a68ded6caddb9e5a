"""Benchmarks: `make bench` prints a table of medians against each target."""

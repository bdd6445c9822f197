"""Benchmarks and stress runs (`make bench`: bench/run.py; bench/stress.py); generated inputs go to /tmp."""

"""Where CPU work runs: the per-process CPU turn and pools of worker processes."""

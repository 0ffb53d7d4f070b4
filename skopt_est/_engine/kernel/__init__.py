"""The compiled per-sample SGD kernel and its runners."""

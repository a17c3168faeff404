"""Scripts run with bin/instance run; each one's importable functions are tested."""

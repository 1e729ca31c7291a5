"""Pure vectorized kernels on SI float64 arrays (no units objects, no I/O)."""

"""Stage 4, render: one module per output format, and what they share (templates, escaping, wording)."""

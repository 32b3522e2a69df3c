"""The demo's steps on a synthetic world, one module per domain: each calls the core as a user could and measures
the result against the world's truth (``palermo.demo.report`` turns each into a section)."""

"""Screening measured: recorded crossings replayed in time order (``replay``), the answers against ground truth
(``truth``)."""

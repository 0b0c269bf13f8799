"""Verdicts for a loaded case: the engine's outcomes made into verdicts with
citations (read from the case's documents), proofs and notes on suggested facts."""

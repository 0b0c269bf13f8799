"""Rules derive facts with provenance; claims are evaluated to verdicts."""

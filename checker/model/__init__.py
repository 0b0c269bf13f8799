"""Typed models of a case: entities, fact types, facts, claims, verdicts."""

"""Documents in: evidence files become text with offsets, and header facts."""

"""A case folder, loaded: read and cross-checked (`read`, `crosscheck`), its
documents in the case index (`documents`), one pass over them for header and
extracted facts (`stream`), and the loaded `Case` (`load`) or `checker
extract`'s counts (`extract`). `meta` is case.yaml."""

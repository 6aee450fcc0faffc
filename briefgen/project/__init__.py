"""briefs.yaml and what is checked in it: YAML with positions, the model, load, validate, warnings, lock."""

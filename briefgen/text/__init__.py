"""Text matching that knows nothing of briefs.yaml: quotes, names, sentences, text fragments."""

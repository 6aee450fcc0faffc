"""The analyst's tools: suggest (and its YAML), metadata guessing, report, init and its starter project."""

"""The PDF: its job type, the evidence it carries, layout with WeasyPrint, and the process pool."""

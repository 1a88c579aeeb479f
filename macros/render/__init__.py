"""HTML from validated data and computed schedules. Pure: data in, escaped HTML out; no file is read here."""

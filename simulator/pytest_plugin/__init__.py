"""The pytest adapter: fixtures, options, the bound step library and failure reports."""

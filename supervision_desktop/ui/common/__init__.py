"""Building blocks every feature shares: widgets and style, table models and column specs,
the record table, dialog parts and questions, background operations, kept input, messages.
Imports no feature package.
"""

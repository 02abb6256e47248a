"""Records: the list, the record page and its actions (finalise, amend, export, upload,
history), new record, search, carers' responses on a record.
"""

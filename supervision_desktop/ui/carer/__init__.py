"""A foster carer's vault: My supervisions, notes, the signed documents list, importing
signed PDFs, countersigning.
"""

"""Looking after the vault: backup and restore, retention, the audit trail, checking a
signed PDF, changing the passphrase.
"""

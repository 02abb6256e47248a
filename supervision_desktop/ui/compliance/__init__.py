"""What is due: the dashboard and its chart, monitoring sheets, and the dialogs for a
cancelled session, an agreed change of frequency and the policy profile.
"""

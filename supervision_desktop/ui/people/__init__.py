"""People: the list, a person's page and editor, and transfer bundles of a person's file.
"""

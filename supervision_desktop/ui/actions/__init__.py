"""Actions from records' action tables: the Actions page, the carried-actions dialog and the
columns of an actions list. Shared by records (finalising) and compliance (the dashboard).
"""

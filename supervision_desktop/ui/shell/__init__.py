"""The application shell: start-up, unlock and first run, the main window, idle lock, the
crash dialog. The shell composes the feature packages; nothing imports the shell.
"""

"""Browser checks of the built site in Debian's Chromium, driven by Playwright (see conftest.py)."""

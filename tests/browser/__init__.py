"""Browser tests of the built handbook (a package, so its conftest does not shadow tests/conftest.py)."""

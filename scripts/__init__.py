"""Commands maintainers run (through the Makefile); the site's build never imports these."""

"""The site: the macros pages call, their front matter, the files a host reads, theme fix-ups."""

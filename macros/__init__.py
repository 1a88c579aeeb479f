"""Safe Benzo Withdrawal's build-time code, in subpackages by concern.

    data/       load data/*.yaml, validate it (models), name every mistake (errors), check references
    engine/     the taper engine: exact arithmetic, standard library only
    schedules/  data → engine plans → computed schedules
    render/     escaped HTML, inline SVG, citations, the planner's JSON
    site/       the macros pages call, front matter, host files, theme fix-ups
    adapter.py  the one module that imports MkDocs: wires the site into mkdocs-macros

Importing this package imports nothing else, so `import macros.engine` stays light.
"""

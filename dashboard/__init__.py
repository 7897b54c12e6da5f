"""The dashboard layer: the only code that imports streamlit.

Pages (``app.py``, ``pages/``) -> this package -> the engine (``imbal_core``), never
the other way. It lives outside ``imbal_core`` so the engine stays importable and
installable without streamlit (a CLI, a benchmark or a Ray worker needs none of it).

- :mod:`dashboard.session`: every ``st.session_state`` key, with its default.
- :mod:`dashboard.loaders`: cached data sources and prepared Datasets.
- :mod:`dashboard.training`: cached training through the worker process.
- :mod:`dashboard.widgets`: shared widgets (badge, errors, links, charts).
- :mod:`dashboard.compare`: the Compare page's sections.
"""

"""The demo site's data in one command (``manage.py load_demo``): it may import every domain app, and none
imports it. Each app keeps its own loader (``catalog/demo.py``, ``forms/demo.py``, ``dossiers/demo.py``,
``accounts/demo.py``)."""

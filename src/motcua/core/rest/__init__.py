"""What every app's REST API (DRF) shares, below the apps: the JSON error bodies with their OpenAPI
description (``errors``) and the pagination (``pagination``). Routing and versioning stay in ``api``."""

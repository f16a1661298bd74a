"""The fake's own control API (openapi/admin.yaml), mounted at /__admin."""

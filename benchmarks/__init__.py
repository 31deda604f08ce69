"""Benchmarks: FastJango against raw FastAPI, Starlette and Django (``python -m benchmarks``)."""
